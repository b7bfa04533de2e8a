import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';

/**
 * A real S3 server for the migration's tests and benchmark: s3rver, which speaks the S3 REST API
 * (signatures, listings with continuation tokens, ETags) over files in a folder, and is what the
 * AWS SDK's client is pointed at in place of Cloudflare R2. It runs in its own Node process with
 * OpenSSL's legacy provider: s3rver seals continuation tokens with DES, which OpenSSL 3 leaves out
 * by default (a listing past its first page fails without it).
 */
export interface S3TestServer {
    readonly endpoint: string;
    readonly credentials: { accessKeyId: string; secretAccessKey: string };
    /** The folder s3rver keeps the objects in. */
    readonly dir: string;
    close(): Promise<void>;
}

export async function startS3TestServer(options: { buckets: readonly string[]; dir?: string }): Promise<S3TestServer> {
    const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 's3-test-server-'));
    const child = spawn(process.execPath, ['--openssl-legacy-provider', path.join(__dirname, 's3-test-server-main.js'), dir, ...options.buckets], { stdio: ['ignore', 'pipe', 'inherit'] });
    const endpoint = await firstLine(child);
    return {
        endpoint,
        // s3rver checks signatures made with this pair.
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
        dir,
        close: async () => {
            if (child.exitCode === null) {
                const exited = new Promise(resolve => child.once('exit', resolve));
                child.kill('SIGTERM');
                await exited;
            }
            if (!options.dir) {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        },
    };
}

function firstLine(child: ChildProcess): Promise<string> {
    return new Promise((resolve, reject) => {
        const lines = readline.createInterface({ input: child.stdout! });
        lines.once('line', line => resolve(line.trim()));
        child.once('exit', code => reject(new Error(`The S3 test server exited (code ${code}) before it listened.`)));
        child.once('error', reject);
    });
}
