import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GcsTestServer } from '@coditect/gcs-test-server';
import { DirectoryObjectStore } from '../object-store/directory-object-store';
import { GcsObjectStore } from '../object-store/gcs-object-store';
import { ObjectStore } from '../object-store/object-store';
import { FileSync, FileSyncEvent, FileSyncOptions } from './file-sync';

/** Test helpers for the file-sync specs (not loaded by the core). */
export interface StoreFixture {
    store: ObjectStore;
    server?: GcsTestServer;
    dispose(): Promise<void>;
}

/**
 * Where a scale test puts its folders: memory (tmpfs) where the machine has it, so the 100,000s of
 * fsyncs that make each file durable cost nothing. Scale and progress are what such a test checks;
 * durability has its own tests on disk, which kill real processes.
 */
export const scaleTestDir = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();

export const storeFixtures: Record<string, (root?: string) => Promise<StoreFixture>> = {
    DirectoryObjectStore: async (root = os.tmpdir()) => {
        const dir = fs.mkdtempSync(path.join(root, 'fs-store-'));
        return { store: new DirectoryObjectStore(dir), dispose: async () => fs.rmSync(dir, { recursive: true, force: true }) };
    },
    GcsObjectStore: async () => {
        const server = new GcsTestServer();
        const { url } = await server.start();
        return { server, store: new GcsObjectStore({ bucket: 'replica', prefix: 'ws', apiEndpoint: url, retryOptions: { maxRetryDelay: 1, maxRetries: 1 } }), dispose: () => server.stop() };
    },
};

/** A workspace and a data directory, as one machine has them. */
export class Machine {
    readonly dir: string;
    readonly workspace: string;
    readonly data: string;
    readonly events: FileSyncEvent[] = [];
    sync: FileSync | undefined;

    constructor(root = os.tmpdir()) {
        this.dir = fs.mkdtempSync(path.join(root, 'fs-machine-'));
        this.workspace = path.join(this.dir, 'ws');
        this.data = path.join(this.dir, 'data');
        fs.mkdirSync(this.workspace);
    }

    async start(store: ObjectStore, options: Partial<FileSyncOptions> = {}): Promise<FileSync> {
        this.sync = new FileSync({ store, workspaceDir: this.workspace, dataDir: this.data, debounceMs: 50, retryBaseMs: 50, ...options });
        this.sync.onEvent(event => this.events.push(event));
        await this.sync.start();
        return this.sync;
    }

    async stop(): Promise<void> {
        await this.sync?.stop();
        this.sync = undefined;
    }

    write(rel: string, content: string | Buffer, mode?: number): void {
        const file = path.join(this.workspace, rel);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content);
        if (mode !== undefined) {
            fs.chmodSync(file, mode);
        }
    }

    read(rel: string): string | undefined {
        try {
            return fs.readFileSync(path.join(this.workspace, rel), 'utf8');
        } catch {
            return undefined;
        }
    }

    files(): string[] {
        const out: string[] = [];
        const walk = (dir: string, rel: string) => {
            for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
                const r = rel ? `${rel}/${entry.name}` : entry.name;
                if (entry.isDirectory()) {
                    walk(path.join(dir, entry.name), r);
                } else {
                    out.push(r);
                }
            }
        };
        walk(this.workspace, '');
        return out.sort();
    }

    async dispose(): Promise<void> {
        await this.stop();
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

export async function storeKeys(store: ObjectStore, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const info of store.list(prefix)) {
        keys.push(info.key);
    }
    return keys;
}
