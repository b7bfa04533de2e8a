import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SerialQueue } from '@coditect/workspace-backend';
import { StudioUserProvider, StudioWorkspaceRoot } from '@coditect/studio-platform/node';
import { Container } from '@theia/core/shared/inversify';
import { GitService } from '../common/git-protocol';
import { GitServiceImpl, GitWorkQueue } from './git-service-impl';

/*
 * What the specs of source control run on: real repositories in temporary folders, made with the real
 * git CLI, and the backend's GitService over them.
 */

/** Runs the real git CLI in `cwd`, as a person in a terminal would. */
export function git(cwd: string, ...args: string[]): string {
    return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
}

export function write(dir: string, file: string, content: string): void {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
}

/** The GitService of one connection on the workspace folder `dir`, signed in as Ada. */
export function gitServiceOn(dir: string): GitService {
    const container = new Container();
    container.bind(StudioWorkspaceRoot).toConstantValue({ config: { workspaceDir: dir } } as StudioWorkspaceRoot);
    container.bind(StudioUserProvider).toConstantValue({ currentUser: () => ({ id: 'user:ada', displayName: 'Ada Lovelace', role: 'developer' }) });
    container.bind(GitWorkQueue).toConstantValue(new SerialQueue());
    container.bind(GitService).to(GitServiceImpl);
    return container.get<GitService>(GitService);
}

/**
 * Makes `<tmp>/workspace` (which must exist) this repository, with `<tmp>/remote.git` as its origin:
 *
 *     first (tags v1 and annotated v1.1) ─ on main ─ Merge feature (main, pushed to origin/main)
 *          └─ on feature (feature) ───────────────┘
 */
export function branchedRepository(tmp: string): void {
    const workspace = path.join(tmp, 'workspace');
    git(workspace, 'init', '-q', '--initial-branch=main');
    git(workspace, 'config', 'user.name', 'Repo Owner');
    git(workspace, 'config', 'user.email', 'owner@example.com');
    write(workspace, 'a.txt', 'one\ntwo\nthree\n');
    git(workspace, 'add', 'a.txt');
    git(workspace, 'commit', '-q', '-m', 'first');
    git(workspace, 'tag', 'v1');
    git(workspace, 'tag', '-a', 'v1.1', '-m', 'An annotated tag');
    git(workspace, 'switch', '-q', '-c', 'feature');
    write(workspace, 'b.txt', 'bee\n');
    git(workspace, 'add', 'b.txt');
    git(workspace, 'commit', '-q', '-m', 'on feature', '-m', 'Adds b.txt.');
    git(workspace, 'switch', '-q', 'main');
    write(workspace, 'a.txt', 'one\n');
    git(workspace, 'commit', '-q', '-am', 'on main');
    git(workspace, 'merge', '-q', '--no-ff', '--no-edit', '-m', 'Merge feature', 'feature');
    const remote = path.join(tmp, 'remote.git');
    git(tmp, 'init', '-q', '--bare', '--initial-branch=main', remote);
    git(workspace, 'remote', 'add', 'origin', remote);
    git(workspace, 'push', '-q', '-u', 'origin', 'main');
    git(workspace, 'remote', 'set-head', 'origin', 'main'); // refs/remotes/origin/HEAD, which is no branch of its own
}

/** Mocha hooks of a suite: no machine-wide or personal git configuration while it runs (identity cases depend on the repository's). */
export function withoutPersonalGitConfig(): void {
    const saved: Record<string, string | undefined> = {};
    before(() => {
        for (const key of ['GIT_CONFIG_GLOBAL', 'GIT_CONFIG_NOSYSTEM']) {
            saved[key] = process.env[key];
        }
        process.env.GIT_CONFIG_GLOBAL = path.join(os.tmpdir(), 'coditect-git-spec-no-global-config');
        process.env.GIT_CONFIG_NOSYSTEM = '1';
    });
    after(() => {
        for (const [key, value] of Object.entries(saved)) {
            if (value === undefined) {
                delete process.env[key];
            } else {
                process.env[key] = value;
            }
        }
    });
}
