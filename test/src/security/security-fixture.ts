import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SignJWT } from 'jose';
import { waitForValue } from '@coditect/workspace-backend/test-support';
import { studioAppDir } from '../lib/repo-paths';
import { launchStudio, StudioProcess } from '../lib/studio-process';

export const JWT_SECRET = 'test-secret-that-is-at-least-32-characters-long';
export const AUDIENCE = 'coditect-studio-test';

/** A signed token as the deployment's identity provider would issue it; each part can be made wrong. */
export async function token(options: {
    readonly sub?: string; readonly role?: 'developer' | 'admin'; readonly audience?: string; readonly secret?: string; readonly expiresIn?: string | number;
} = {}): Promise<string> {
    return new SignJWT({ role: options.role ?? 'developer', name: options.sub ?? 'dev' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(options.sub ?? 'dev')
        .setAudience(options.audience ?? AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '1h')
        .sign(new TextEncoder().encode(options.secret ?? JWT_SECRET));
}

export const bearer = (jwt: string) => ({ Authorization: `Bearer ${jwt}` });

/**
 * A studio with JWT authentication, on a workspace holding `src/a.ts`, a file outside it
 * (`outside/secret.txt`, beside the workspace) and a symlink from inside to outside.
 */
export async function startSecuredStudio(env: Record<string, string> = {}, setup?: (workspaceDir: string) => void | Promise<void>): Promise<{ studio: StudioProcess; root: string; workspaceDir: string; outsideDir: string; stop(): Promise<void> }> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'security-'));
    const workspaceDir = path.join(root, 'workspace');
    const outsideDir = path.join(root, 'outside');
    fs.mkdirSync(path.join(workspaceDir, 'src'), { recursive: true });
    fs.mkdirSync(outsideDir);
    fs.writeFileSync(path.join(workspaceDir, 'src', 'a.ts'), 'export const a = 1;\n');
    fs.writeFileSync(path.join(outsideDir, 'secret.txt'), 'outside the workspace\n');
    fs.symlinkSync(outsideDir, path.join(workspaceDir, 'link-out'));
    await setup?.(workspaceDir);
    const studio = await launchStudio({
        appDir: studioAppDir, workspaceDir, dataDir: path.join(root, 'data'), logName: 'security',
        env: { STUDIO_AUTH: 'jwt', STUDIO_AUTH_JWT_SECRET: JWT_SECRET, STUDIO_AUTH_AUDIENCE: AUDIENCE, STUDIO_REPLICA_URL: `file://${path.join(root, 'replica')}`, ...env },
    });
    return {
        studio, root, workspaceDir, outsideDir,
        stop: async () => {
            await studio.stop();
            fs.rmSync(root, { recursive: true, force: true });
        },
    };
}

/** Waits until the backend's workspace core answers (routes behind it await the core). */
export async function waitForCore(studio: StudioProcess, headers: Record<string, string>): Promise<void> {
    await waitForValue('the workspace core to answer', async () => (await fetch(`${studio.url}/coditect/api/locks`, { headers })).status === 200, 60_000, 200);
}
