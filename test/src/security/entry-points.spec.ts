import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PolicyActions, PolicyTable } from '@coditect/workspace-backend';
import { RpcEntryPoints } from '@coditect/studio-core/lib/node/per-connection-rpc-service';
import { SQL_CONSOLE_PATH } from '@coditect/sql-console/lib/common/sql-console-protocol';
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

/** How many RPC services the extensions' sources register: the coverage must see each. */
function registeredInSources(): number {
    let count = 0;
    for (const name of fs.readdirSync(path.join(repoRoot, 'extensions'))) {
        const nodeDir = path.join(repoRoot, 'extensions', name, 'src', 'node');
        for (const file of fs.existsSync(nodeDir) ? fs.readdirSync(nodeDir).filter(f => f.endsWith('.ts') && !f.endsWith('.spec.ts') && f !== 'per-connection-rpc-service.ts') : []) {
            count += (fs.readFileSync(path.join(nodeDir, file), 'utf8').match(/perConnectionRpcService</g) ?? []).length;
        }
    }
    return count;
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
