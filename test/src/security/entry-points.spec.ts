import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PolicyActions, PolicyTable } from '@coditect/workspace-backend';
import { RpcEntryPoints } from '@coditect/studio-platform/node';
import type { HttpEntry } from '@coditect/studio-platform/node';
import { ENTRY_POINTS_HTTP_PATH } from '@coditect/studio-platform/node';
import { PUBLIC_PATHS } from '@coditect/studio-platform/node';
import { SQL_CONSOLE_PATH } from '@coditect/sql-console/common';
import { ContainerModule } from '@theia/core/shared/inversify';
import { repoRoot } from '../lib/repo-paths';
import { StudioRpcClient } from '../lib/studio-rpc-client';
import { bearer, startSecuredStudio, token, waitForCore } from './security-fixture';

/**
 * Runs every extension's backend module's bindings, as the studio's container would, so each
 * registers its RPC services and their policies. The bindings go nowhere: only the registrations
 * made while binding (perConnectionRpcService) are wanted, without Theia's own modules.
 */
function loadEveryBackendModule(): string[] {
    const loaded: string[] = [];
    const syntax: object = new Proxy(() => syntax, { get: () => () => syntax, apply: () => syntax });
    const bind = () => syntax;
    for (const name of fs.readdirSync(path.join(repoRoot, 'extensions'))) {
        const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'extensions', name, 'package.json'), 'utf8')) as { theiaExtensions?: { backend?: string }[] };
        for (const backend of (manifest.theiaExtensions ?? []).map(e => e.backend).filter((b): b is string => !!b)) {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const module = (require(path.join(repoRoot, 'extensions', name, backend)) as { default: ContainerModule }).default;
            (module.registry as unknown as (...args: unknown[]) => void)(bind, () => undefined, () => true, bind, async () => undefined, () => undefined, () => undefined);
            loaded.push(`${name}/${backend}`);
        }
    }
    return loaded;
}

/** How many RPC services the extensions' sources register (in any folder under src/node): the coverage must see each. */
function registeredInSources(): number {
    let count = 0;
    const walk = (dir: string): void => {
        for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
            const file = path.join(dir, entry.name);
            if (entry.isDirectory()) {
                walk(file);
            } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && entry.name !== 'per-connection-rpc-service.ts') {
                count += (fs.readFileSync(file, 'utf8').match(/perConnectionRpcService</g) ?? []).length;
            }
        }
    };
    for (const name of fs.readdirSync(path.join(repoRoot, 'extensions'))) {
        walk(path.join(repoRoot, 'extensions', name, 'src', 'node'));
    }
    return count;
}

/**
 * Express routes registered directly in the extensions' node sources: every route must go
 * through mountJsonApi or mountHttpRoute (studio-platform/src/node/http/), which declare it with its
 * action, so the running studio can list its whole surface. Test code (specs, test-support/) is
 * not looked at: the dependency rules keep it out of a production start.
 */
function rawExpressRoutes(): string[] {
    const found: string[] = [];
    const walk = (dir: string): void => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const file = path.join(dir, entry.name);
            if (entry.isDirectory()) {
                walk(file);
            } else if (/\.tsx?$/.test(entry.name) && !/\.spec\.tsx?$/.test(entry.name) && !file.includes(`${path.sep}http${path.sep}`)
                && !file.includes(`${path.sep}test-support${path.sep}`)) {
                fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
                    if (/\b(app|router)\s*\.\s*(get|post|put|patch|delete|all|use|route)\s*\(/.test(line)) {
                        found.push(`${path.relative(repoRoot, file)}:${i + 1}: ${line.trim()}`);
                    }
                });
            }
        }
    };
    for (const name of fs.readdirSync(path.join(repoRoot, 'extensions'))) {
        const nodeDir = path.join(repoRoot, 'extensions', name, 'src', 'node');
        if (fs.existsSync(nodeDir)) {
            walk(nodeDir);
        }
    }
    return found;
}

describe('every entry point passes the policy', function () {
    this.timeout(120_000);

    it('every RPC service of every extension names an action of the policy table for each of its methods', () => {
        const modules = loadEveryBackendModule();
        assert.ok(modules.length >= 7, `backend modules: ${modules.join(', ')}`);
        const paths = RpcEntryPoints.map(e => e.path);
        assert.equal(new Set(paths).size, paths.length, `one policy per path: ${paths.join(', ')}`);
        assert.equal(paths.length, registeredInSources(), `every RPC service the sources register is covered: ${paths.join(', ')}`);
        for (const { path: servicePath, policy } of RpcEntryPoints) {
            for (const [method, action] of Object.entries(policy)) {
                assert.ok(action === 'connection' || (PolicyActions as string[]).includes(action), `${servicePath}#${method}: "${action}" is not in the policy table`);
            }
        }
    });

    it('every HTTP route of every extension is served through the helpers that declare its action', () => {
        assert.deepEqual(rawExpressRoutes(), [], 'register routes with mountJsonApi or mountHttpRoute (studio-platform/src/node/http), naming the action or access');
    });

    describe('against a running studio', () => {
        let secured: Awaited<ReturnType<typeof startSecuredStudio>>;
        let developer: StudioRpcClient;
        let admin: StudioRpcClient;
        let adminToken: string;

        before(async () => {
            if (RpcEntryPoints.length === 0) {
                loadEveryBackendModule();
            }
            secured = await startSecuredStudio();
            adminToken = await token({ role: 'admin', sub: 'ada' });
            await waitForCore(secured.studio, bearer(adminToken));
            developer = await StudioRpcClient.connect(secured.studio.url, { headers: bearer(await token({ role: 'developer', sub: 'dev' })) });
            admin = await StudioRpcClient.connect(secured.studio.url, { headers: bearer(adminToken) });
        });
        after(async () => {
            developer?.close();
            admin?.close();
            await secured?.stop();
        });

        it('lists its whole surface to an admin (not to a developer); every HTTP route names a policy action or is one of the public ones, and refuses anyone without a credential', async () => {
            const adminHeaders = bearer(adminToken);
            const listing = await fetch(`${secured.studio.url}${ENTRY_POINTS_HTTP_PATH}`, { headers: adminHeaders });
            assert.equal(listing.status, 200, await listing.clone().text());
            const surface = await listing.json() as { rpc: { path: string }[]; http: HttpEntry[] };
            assert.deepEqual(surface.rpc.map(e => e.path).sort(), RpcEntryPoints.map(e => e.path).sort(), 'the running studio serves the RPC services the modules register');
            const developerListing = await fetch(`${secured.studio.url}${ENTRY_POINTS_HTTP_PATH}`, { headers: bearer(await token({ role: 'developer', sub: 'dev' })) });
            assert.equal(developerListing.status, 403);

            const routes = surface.http.map(e => `${e.method} ${e.path}`);
            for (const expected of ['GET /health', 'POST /login', 'POST /logout', 'GET /coditect/session', 'GET /coditect/api/locks', 'POST /coditect/api/locks/:id/renew', 'DELETE /coditect/api/tokens/:id', `GET ${ENTRY_POINTS_HTTP_PATH}`]) {
                assert.ok(routes.includes(expected), `${expected} is not in the listed surface: ${routes.join(', ')}`);
            }
            for (const entry of surface.http) {
                assert.ok(entry.access === 'public' || entry.access === 'signed-in' || (PolicyActions as string[]).includes(entry.access), `${entry.method} ${entry.path}: "${entry.access}"`);
            }
            assert.deepEqual([...new Set(surface.http.filter(e => e.access === 'public').map(e => e.path))].sort(), [...PUBLIC_PATHS].sort(),
                'the routes reachable without a credential are exactly the ones the authentication middleware lets through');
            for (const entry of surface.http.filter(e => e.access !== 'public')) {
                const url = `${secured.studio.url}${entry.path.replace(/:[a-z]+/gi, 'x')}`;
                const anonymous = await fetch(url, { method: entry.method, headers: { Accept: 'application/json' }, redirect: 'manual' });
                assert.equal(anonymous.status, 401, `${entry.method} ${entry.path} without a credential`);
            }
        });

        it('refuses a developer every HTTP route whose action only admins have, and audits the refusal of an audited one', async () => {
            const developerHeaders = bearer(await token({ role: 'developer', sub: 'dev-http' }));
            const surface = await (await fetch(`${secured.studio.url}${ENTRY_POINTS_HTTP_PATH}`, { headers: bearer(adminToken) })).json() as { http: HttpEntry[] };
            const adminOnly = surface.http.filter(e => (PolicyActions as string[]).includes(e.access) && !('developer' in PolicyTable[e.access as keyof typeof PolicyTable].grants));
            assert.ok(adminOnly.length >= 4, JSON.stringify(adminOnly));
            for (const entry of adminOnly) {
                const response = await fetch(`${secured.studio.url}${entry.path.replace(/:[a-z]+/gi, 'x')}`, {
                    method: entry.method, headers: { ...developerHeaders, 'Content-Type': 'application/json' }, body: entry.method === 'POST' ? '{}' : undefined,
                });
                assert.equal(response.status, 403, `${entry.method} ${entry.path} as a developer`);
                assert.match((await response.json() as { error: string }).error, /may not .*only an admin/);
            }
            const sql = await admin.service<{ run(r: object): Promise<{ page?: { rows: unknown[][] } }> }>(SQL_CONSOLE_PATH);
            const audit = await sql.run({ database: 'workspace', sql: "SELECT action, target FROM audit_log WHERE user_id = 'user:dev-http' AND outcome = 'refused'" });
            const targets = audit.page?.rows.map(r => `${r[0]} ${r[1]}`) ?? [];
            for (const entry of adminOnly.filter(e => (PolicyTable[e.access as keyof typeof PolicyTable] as { audited?: true }).audited)) {
                assert.ok(targets.some(t => t.startsWith(`${entry.access} ${entry.method} `)), `no audit line for ${entry.method} ${entry.path}: ${targets.join('; ')}`);
            }
        });

        it('refuses, on every service, a method the policy does not name (an implementation\'s helpers are not entry points)', async () => {
            for (const { path: servicePath } of RpcEntryPoints) {
                const service = await developer.service<Record<string, () => Promise<unknown>>>(servicePath);
                for (const helper of ['subscribe', 'core', 'consoleSession', 'asAdmin', 'toPath']) {
                    await assert.rejects(service[helper](), (error: Error) => /not an entry point|is not a function/.test(error.message), `${servicePath}#${helper}`);
                }
            }
        });

        it('refuses a developer every method whose action only admins have, before it runs, and audits the refusal; an admin passes the gate', async () => {
            const adminOnly = RpcEntryPoints.flatMap(({ path: servicePath, policy }) => Object.entries(policy)
                .filter(([, action]) => action !== 'connection' && !('developer' in PolicyTable[action as keyof typeof PolicyTable].grants))
                .map(([method, action]) => ({ servicePath, method, action })));
            assert.ok(adminOnly.length >= 3, JSON.stringify(adminOnly));
            for (const { servicePath, method, action } of adminOnly) {
                const service = await developer.service<Record<string, (...args: unknown[]) => Promise<unknown>>>(servicePath);
                await assert.rejects(service[method]({}), new RegExp(`may not .*only an admin`), `${servicePath}#${method} (${action})`);
                const asAdmin = await admin.service<Record<string, (...args: unknown[]) => Promise<unknown>>>(servicePath);
                // Past the gate the method judges its arguments (these are nonsense): any answer but the gate's refusal.
                await asAdmin[method]({}).then(() => undefined, (error: Error) => assert.doesNotMatch(error.message, /may not|not an entry point/, `${servicePath}#${method} as admin`));
            }
            const sql = await admin.service<{ run(r: object): Promise<{ page?: { rows: unknown[][] } }> }>(SQL_CONSOLE_PATH);
            const audit = await sql.run({ database: 'workspace', sql: "SELECT action FROM audit_log WHERE user_id = 'user:dev' AND outcome = 'refused'" });
            const refused = new Set(audit.page?.rows.map(r => String(r[0])));
            for (const { action } of adminOnly.filter(a => (PolicyTable[a.action as keyof typeof PolicyTable] as { audited?: true }).audited)) {
                assert.ok(refused.has(action), `no audit line for the refused ${action}: ${[...refused].join(', ')}`);
            }
        });
    });
});
