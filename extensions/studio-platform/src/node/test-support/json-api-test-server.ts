import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Principal, WorkspaceCore, WorkspaceCoreOptions } from '@coditect/workspace-backend';
import { setReplicaUrl } from '@coditect/workspace-backend/test-support';
import express from '@theia/core/shared/express';
import { Container, interfaces } from '@theia/core/shared/inversify';
import type { AuthConfig } from '../auth/auth-config';
import { AuthConfigValue } from '../auth/credential-verifier';
import { RequestUsers } from '../auth/request-users';
import { TaskSubmissionLimiter } from '../auth/task-submission-limiter';
import { WorkspaceCoreHost } from '../workspace-core-host';

export interface JsonAnswerSeen {
    readonly status: number;
    /** The parsed JSON body; undefined when there is none. */
    readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
    readonly cacheControl: string | null;
}

export interface JsonApiTestServer {
    readonly core: WorkspaceCore;
    /** The test's folder: the workspace is `ws/` in it, the data `data/`. */
    readonly root: string;
    readonly workspaceDir: string;
    /** Calls `basePath + url` as the principal named `as` (recorded the way the authentication middleware does), or with no credential. */
    call(as: string, method: string, url?: string, body?: unknown): Promise<JsonAnswerSeen>;
    close(): Promise<void>;
}

/**
 * One of the studio's JSON APIs served on a real port over a real started core, with each test
 * request's principal chosen by name from `principals` (header `x-test-as`), as the
 * authentication middleware records it. `close` stops the server and the core and removes the folder.
 */
export async function startJsonApiTestServer(options: {
    readonly endpoint: interfaces.Newable<{ configure(app: express.Application): void }>;
    readonly basePath: string;
    readonly principals: Readonly<Record<string, Principal>>;
    readonly prefix: string;
    readonly coreOptions?: WorkspaceCoreOptions;
    /** Runs on the workspace folder before the core starts. */
    readonly prepareWorkspace?: (workspaceDir: string) => void;
    /** The task rate per person (STUDIO_TASKS_PER_MINUTE) of the endpoints that submit tasks; default 60. */
    readonly tasksPerMinute?: number;
}): Promise<JsonApiTestServer> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), options.prefix));
    const workspaceDir = path.join(root, 'ws');
    fs.mkdirSync(workspaceDir, { recursive: true });
    options.prepareWorkspace?.(workspaceDir);
    const restoreReplica = setReplicaUrl('off');
    const core = new WorkspaceCore({ workspaceDir, dataDir: path.join(root, 'data') }, options.coreOptions);
    await core.start();
    const container = new Container();
    container.bind(WorkspaceCoreHost).toConstantValue({ ready: Promise.resolve(core) });
    container.bind(RequestUsers).toSelf().inSingletonScope();
    container.bind(AuthConfigValue).toConstantValue({ tasksPerMinute: options.tasksPerMinute ?? 60 } as AuthConfig);
    container.bind(TaskSubmissionLimiter).toSelf().inSingletonScope();
    container.bind(options.endpoint).toSelf();
    const users = container.get(RequestUsers);
    const app = express();
    app.use((req, _res, next) => {
        const principal = options.principals[String(req.headers['x-test-as'])];
        if (principal?.kind === 'agent') {
            users.setAgent(req, principal);
        } else if (principal?.kind === 'person') {
            users.set(req, { id: principal.id, displayName: principal.displayName, role: principal.role });
        }
        next();
    });
    container.get(options.endpoint).configure(app);
    const server = app.listen(0, '127.0.0.1');
    await new Promise(resolve => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${options.basePath}`;
    return {
        core, root, workspaceDir,
        async call(as, method, url = '', body) {
            const response = await fetch(`${base}${url}`, {
                method, headers: { 'content-type': 'application/json', 'x-test-as': as },
                body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
            });
            const text = await response.text();
            return { status: response.status, body: text ? JSON.parse(text) : undefined, cacheControl: response.headers.get('cache-control') };
        },
        async close() {
            await new Promise(resolve => server.close(resolve));
            await core.stop();
            restoreReplica();
            fs.rmSync(root, { recursive: true, force: true });
        },
    };
}
