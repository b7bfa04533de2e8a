import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DatabaseCluster } from '../database/database-cluster';
import type { ObjectStore } from '../object-store/object-store';
import { contentOf } from './file-placement';
import { V1ImportRepository } from './v1-import-repository';

/**
 * What was done in the v2 workspace since the migration: the work a rollback would throw away.
 * Tasks, chat messages, and workspace files that are not as the migration placed them (changed,
 * added, deleted). An empty list means the workspace holds the migration and nothing else.
 */
export async function v2WorkSince(cluster: DatabaseCluster, workspaceDir: string, userId: string): Promise<string[]> {
    const work: string[] = [];
    const tasks = cluster.get('tasks').get<{ n: number }>('SELECT count(*) AS n FROM tasks')!.n;
    if (tasks) {
        work.push(`${tasks} task(s) given to the agents`);
    }
    const messages = cluster.get('sessions').get<{ n: number }>('SELECT count(*) AS n FROM conversation_messages')!.n;
    if (messages) {
        work.push(`${messages} chat message(s)`);
    }
    const placed = new V1ImportRepository(cluster.get('workspace')).files(userId);
    const changed: string[] = [];
    for (const [rel, file] of placed) {
        const local = await contentOf(path.join(workspaceDir, rel));
        if (local === undefined || local === 'not-a-file' || local.sha256 !== file.sha256) {
            changed.push(rel);
        }
    }
    for (const rel of listFiles(workspaceDir)) {
        if (!placed.has(rel)) {
            changed.push(rel);
        }
    }
    if (changed.length) {
        changed.sort();
        work.push(`${changed.length} workspace file(s) changed, added or deleted since the migration (${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ', …' : ''})`);
    }
    return work;
}

/** Every regular file under `dir`, workspace-relative with `/`; the workspace's own Git is the person's too. */
function listFiles(dir: string): string[] {
    if (!fs.existsSync(dir)) {
        return [];
    }
    return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter(entry => entry.isFile())
        .map(entry => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

export interface DiscardReport {
    readonly replicaObjects: number;
    readonly workspaceEntries: number;
    readonly dataEntries: number;
}

/**
 * Discards a v2 workspace whole: its replica's objects, its folder's contents, then its data
 * directory's (which holds the record of the migration, so a rollback cut off part way is found
 * and finished by the next one). The folders themselves stay, empty, for a migration to come.
 */
export async function discardV2Workspace(options: { dataDir: string; workspaceDir: string; store?: ObjectStore }): Promise<DiscardReport> {
    let replicaObjects = 0;
    if (options.store) {
        const keys: string[] = [];
        for await (const object of options.store.list('')) {
            keys.push(object.key);
        }
        for (const key of keys) {
            await options.store.delete(key);
            replicaObjects++;
        }
    }
    return { replicaObjects, workspaceEntries: emptyFolder(options.workspaceDir), dataEntries: emptyFolder(options.dataDir) };
}

function emptyFolder(dir: string): number {
    if (!fs.existsSync(dir)) {
        return 0;
    }
    const entries = fs.readdirSync(dir);
    for (const entry of entries) {
        fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
    }
    return entries.length;
}
