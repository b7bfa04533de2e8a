import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { V1Reader } from '../migration/v1-reader';
import { CliError, CliValues, ExitCode, out } from './cli-command';
import { FleetApi, FleetWorkspace } from './fleet-api';
import { oneUser, usersOf } from './migrate-v1-store';
import { migrateInto, V2WorkspaceOptions, verifyIn } from './migrate-workspace';

/** How one user's cutover went. */
export interface CutoverResult {
    readonly user: string;
    readonly workspace?: string;
    /** `moved`: on v2 now; `already`: was on v2; `failed`: on v1 (still, or again), with `error`. */
    readonly outcome: 'moved' | 'already' | 'failed';
    /** The bulk copy, while the user worked on in v1. */
    readonly precopyMs?: number;
    /** From the freeze of the user's v1 writes to the route to v2: what the user waits. */
    readonly downtimeMs?: number;
    readonly integrityPct?: number;
    readonly error?: string;
}

export const cutoverHelp = `cutover  Moves users from v1 to v2 through the fleet (docs/fleet.md, "Moving v1 users"), each:
         its v2 workspace is made (stopped, route v1), the bulk of its data copied while the user
         works on in v1; then the user's v1 writes are frozen at the gateway (reads go on), the
         delta copied, verified, and the route flipped to v2. A user whose verify is not 100 %
         goes back to v1 at once. Users already on v2 are left. By --user, or --all with
         --percent <n>: a stable n % of the users (the same users at every run, growing with n).
rollback --fleet: the route goes back to v1 at once (the user is on v1 again: v1 was never
         changed) and the v2 workspace is stopped and kept (its owner cannot open it while on v1).

The fleet (cutover, rollback --fleet):
  --fleet <url>       The fleet service (env FLEET_URL); FLEET_TOKEN: an admin's identity token
  --v2-bucket <url>   The fleet's bucket as this machine reaches it: gs://<bucket>, or file:///dir
                      (env FLEET_BUCKET_URL); a workspace's replica is its folder there
  --staging <dir>     Where each user's workspace is built before it is sent (default
                      ./migration-staging; keep it between the bulk copy and the delta)
  --percent <n>       With --all: the users whose stable hash falls in the first n %
  --size <name>       The v2 workspaces' size (default small)
`;

export const cutoverOptions = {
    fleet: { type: 'string' },
    'v2-bucket': { type: 'string' },
    staging: { type: 'string' },
    percent: { type: 'string' },
    size: { type: 'string' },
} as const;

export function fleetOf(values: CliValues): FleetApi {
    const url = (values.fleet as string | undefined) ?? process.env.FLEET_URL;
    const token = process.env.FLEET_TOKEN;
    if (!url || !token) {
        throw new CliError(!url ? 'Give the fleet service: --fleet <url> (or FLEET_URL).' : 'Set FLEET_TOKEN to an admin\'s token from the identity provider: the fleet\'s API needs it.');
    }
    return new FleetApi(url, token);
}

/** The user's place in 0..99, from their id alone: a wave of n % is the users below n, and a larger wave contains a smaller one. */
export function percentBucket(userId: string): number {
    return createHash('sha256').update(userId).digest().readUInt32BE(0) % 100;
}

export async function cutoverCommand(values: CliValues, reader: V1Reader): Promise<number> {
    const fleet = fleetOf(values);
    const bucket = ((values['v2-bucket'] as string | undefined) ?? process.env.FLEET_BUCKET_URL)?.replace(/\/+$/, '');
    if (!bucket) {
        throw new CliError('Give the fleet\'s bucket as this machine reaches it: --v2-bucket gs://<bucket> (or FLEET_BUCKET_URL).');
    }
    let users = await usersOf(values, reader);
    if (values.percent !== undefined) {
        const percent = Number(values.percent);
        if (!values.all || !Number.isInteger(percent) || percent < 1 || percent > 100) {
            throw new CliError(`--percent goes with --all and is a whole number from 1 to 100; got "${String(values.percent)}".`);
        }
        users = users.filter(u => percentBucket(u) < percent);
    }
    const staging = path.resolve((values.staging as string | undefined) ?? 'migration-staging');
    const results: CutoverResult[] = [];
    for (const user of users) {
        const result = await cutoverUser(fleet, reader, user, {
            bucket, staging, size: (values.size as string | undefined) ?? 'small', allowSkips: values['allow-skips'] === true,
        });
        results.push(result);
        if (!values.json) {
            out(describe(result));
        }
    }
    const failed = results.filter(r => r.outcome === 'failed').length;
    if (values.json) {
        process.stdout.write(`${JSON.stringify({ users: results, moved: results.filter(r => r.outcome === 'moved').length, failed }, undefined, 2)}\n`);
    } else {
        out(`${results.length} user(s): ${results.filter(r => r.outcome === 'moved').length} moved, ${results.filter(r => r.outcome === 'already').length} already on v2, ${failed} failed (on v1).`);
    }
    return failed ? ExitCode.failed : ExitCode.ok;
}

/**
 * One user's cutover. The invariant: the user is always on exactly one side that takes their
 * writes: v1 until the route says v2, and the route says v2 only after a delta copied while v1's
 * writes were frozen verified at 100 %. Anything else puts the route back to v1.
 */
export async function cutoverUser(fleet: FleetApi, reader: V1Reader, userId: string,
    options: { bucket: string; staging: string; size: string; allowSkips: boolean }): Promise<CutoverResult> {
    let workspace: FleetWorkspace | undefined;
    let frozen = false;
    try {
        workspace = await fleet.provisionForV1User(userId, options.size);
        if (workspace.route === 'v2') {
            return { user: userId, workspace: workspace.id, outcome: 'already' };
        }
        if (workspace.state !== 'stopped') {
            // Nobody but an admin reaches it before the cutover; its pod must not write the replica while the migration does.
            workspace = await fleet.stop(workspace.id);
        }
        const target: V2WorkspaceOptions = {
            'data-dir': path.join(options.staging, userId, 'data'), workspace: path.join(options.staging, userId, 'workspace'),
            replica: `${options.bucket}/${workspace.bucketPrefix}`,
        };
        const precopyStarted = performance.now();
        await migrateInto(target, reader, userId, { allowSkips: options.allowSkips });
        const precopyMs = Math.round(performance.now() - precopyStarted);

        const frozenAt = performance.now();
        await fleet.setRoute(workspace.id, 'frozen');
        frozen = true;
        await migrateInto(target, reader, userId, { allowSkips: options.allowSkips });
        const verified = await verifyIn(target, reader, userId);
        if (verified.differences.length && !(options.allowSkips && verified.differences.every(d => d.what === 'record'))) {
            throw new CliError(`verify found ${verified.differences.length} difference(s) (${verified.differences.slice(0, 3).map(d => `${d.what} ${d.where}: ${d.difference}`).join('; ')}); `
                + `the user stays on v1. Look with: coditect-workspace migrate verify --user ${userId} --data-dir ${target['data-dir']} --workspace ${target.workspace}`);
        }
        await fleet.setRoute(workspace.id, 'v2');
        return { user: userId, workspace: workspace.id, outcome: 'moved', precopyMs, downtimeMs: Math.round(performance.now() - frozenAt), integrityPct: verified.integrityPct };
    } catch (error) {
        let message = (error as Error).message;
        if (frozen && workspace) {
            await fleet.setRoute(workspace.id, 'v1').catch(unfreeze => {
                message += ` Putting the route back to v1 failed too (${(unfreeze as Error).message}): the user's v1 writes stay frozen; set it with the fleet's PUT /workspaces/${workspace!.id}/route {"route":"v1"}.`;
            });
        }
        return { user: userId, ...(workspace ? { workspace: workspace.id } : {}), outcome: 'failed', error: message };
    }
}

/** `migrate rollback --fleet`: the route back to v1 at once, then the v2 workspace stopped and kept. */
export async function fleetRollbackCommand(values: CliValues): Promise<number> {
    const userId = oneUser(values);
    const fleet = fleetOf(values);
    const started = performance.now();
    const workspace = await fleet.workspaceOfV1User(userId);
    if (!workspace) {
        throw new CliError(`The fleet has no v2 workspace of v1 user "${userId}": they are on v1 (never moved, or already rolled back and deleted).`, ExitCode.failed);
    }
    await fleet.setRoute(workspace.id, 'v1');
    const handedBackMs = Math.round(performance.now() - started);
    const stopped = workspace.state === 'stopped' ? workspace : await fleet.stop(workspace.id);
    const report = { user: userId, workspace: workspace.id, route: 'v1', handedBackMs, workspaceState: stopped.state };
    if (values.json) {
        process.stdout.write(`${JSON.stringify(report, undefined, 2)}\n`);
    } else {
        out(`${userId} is on v1 again (${handedBackMs} ms): v1 was never changed. Their v2 workspace ${workspace.id} is ${stopped.state} and kept `
            + '(they cannot open it while on v1); a later cutover brings what v1 got since, and the fleet\'s DELETE discards it.');
    }
    return ExitCode.ok;
}

function describe(r: CutoverResult): string {
    switch (r.outcome) {
        case 'moved':
            return `${r.user}: on v2 (${r.workspace}), bulk copy ${r.precopyMs} ms, writes paused ${r.downtimeMs} ms, ${r.integrityPct} % verified.`;
        case 'already':
            return `${r.user}: already on v2 (${r.workspace}).`;
        case 'failed':
            return `${r.user}: still on v1: ${r.error}`;
    }
}
