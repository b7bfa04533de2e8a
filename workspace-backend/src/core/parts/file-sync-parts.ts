import { FileSync } from '../../file-sync/file-sync';
import { resolveFileSyncConfig } from '../../file-sync/file-sync-config';
import { fileSyncHealth } from '../../file-sync/file-sync-health';
import { messageOf } from '../core-part';
import type { CorePartOf } from '../core-context';
import { seedWorkspaceDefaults, WorkspaceDefaultsEnv } from '../workspace-defaults';
import { logFor } from '../../telemetry/logger';

/**
 * Workspace files synced to the replica store (file-sync/); off with STUDIO_FILE_SYNC=off or
 * without a replica. Restores or reconciles the workspace files before anything uses the
 * workspace (so an agent never sees a half-restored folder), then watches. A store that is down
 * does not stop the studio: FileSync keeps retrying and health says so. Its stop is the final
 * upload of pending files, once the agents have stopped editing.
 */
export const FileSyncPart: CorePartOf<'file-sync'> = {
    id: 'file-sync', label: 'Workspace file sync', needs: [], stopStep: 'final file sync',
    async start({ config, replica, healthChanged }, parts) {
        let syncer: FileSync | undefined;
        try {
            const shared = replica();
            const settings = resolveFileSyncConfig(shared !== undefined);
            if (!shared || !settings.enabled) {
                return undefined;
            }
            syncer = new FileSync({
                store: shared.store, workspaceDir: config.workspaceDir, dataDir: config.dataDir, debounceMs: settings.debounceMs, alsoIgnore: shared.folder ? [shared.folder] : [],
            });
            syncer.onEvent(event => {
                if (event.type !== 'progress') {
                    healthChanged();
                }
            });
            await syncer.start();
            const started = syncer;
            parts.find('replication')?.attachRestorePointFiles(() => started.publishManifest());
            return syncer;
        } catch (error) {
            await syncer?.stop().catch(() => undefined);
            // Restore points waited for the files; without file sync they name the databases alone.
            parts.find('replication')?.attachRestorePointFiles(async () => undefined);
            throw error;
        }
    },
    async stop(syncer) {
        const problems: string[] = [];
        await syncer.stop().catch(error => problems.push(`final file sync: ${messageOf(error)}`));
        const unsynced = syncer.pending();
        if (unsynced.length > 0) {
            const named = unsynced.slice(0, 3).map(p => `${p.path}${p.error ? ` (${p.error})` : ''}`).join(', ');
            problems.push(`final file sync: ${unsynced.length} workspace change(s) did not reach ${syncer.status().store} (${named}${unsynced.length > 3 ? ', ...' : ''}); ` +
                'they are on local disk and go up at the next start.');
        }
        return problems;
    },
    health: syncer => [fileSyncHealth(syncer.status(), undefined)],
};

/**
 * A new workspace gets the files of STUDIO_WORKSPACE_DEFAULTS, once file sync has restored what
 * the store holds (declared after it). Nothing to run afterwards; a failure is logged, not reported.
 */
export const WorkspaceDefaultsPart: CorePartOf<'workspace-defaults'> = {
    id: 'workspace-defaults', label: 'Workspace defaults', needs: [],
    async start({ config }) {
        const source = process.env[WorkspaceDefaultsEnv]?.trim() || undefined;
        try {
            const written = await seedWorkspaceDefaults(config.workspaceDir, source);
            if (written.length) {
                logFor('workspace').info(`new workspace: copied ${written.length} default file(s) from ${process.env[WorkspaceDefaultsEnv]}: ${written.join(', ')}`);
            }
        } catch (error) {
            logFor('workspace').error(`${messageOf(error)}`);
        }
        return undefined;
    },
};
