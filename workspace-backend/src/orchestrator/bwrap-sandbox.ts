import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * What an agent's command sees inside bubblewrap (`bwrap`, Debian's `bubblewrap`), as plain
 * data; `bwrapArguments` turns it into bwrap's command line.
 *
 * The file system is an allowlist, not a deny list: the sandbox starts from an empty root and
 * only what is named here is mounted, so whatever the studio did not think of (the home
 * folder, the data folder, the replica, the secrets file, other users' files, `/run`, `/var`)
 * is simply absent. A path given by a symbolic link resolves inside the sandbox, where its
 * target does not exist unless it is one of the mounted places.
 *
 * Invariants, each enforced by the argument order below:
 * - The workspace is mounted read-write, at its real path and at the path the studio uses.
 * - `readOnly` paths (`.coditect/`, what other owners hold locks on) are mounted read-only over
 *   it, and every folder between the workspace and them is made a mount point of its own, so a
 *   command cannot rename a parent away (`mv src src2`) and recreate the protected file beneath
 *   a new folder of the same name: renaming a mount point fails with EBUSY.
 * - `hidden` paths that lie inside a mounted place are covered last (an empty read-only tmpfs
 *   for a folder, /dev/null for a file), so neither a lock nor a tool folder can reveal them.
 * - New PID, IPC, UTS, cgroup and user namespaces, a fresh /proc that lists only the sandbox's
 *   own processes (never the backend's, nor the agent processes that hold keys in their
 *   environment), a fresh /dev and an empty /tmp; the network namespace too unless `network`.
 * - `--die-with-parent`: killing bwrap (the time limit kills its process group) kills every
 *   process of the sandbox, since they all die with the namespace's first process.
 */
export interface SandboxView {
    /** The workspace's real folder and every path it is mounted at (its real path first). */
    readonly workspace: { readonly real: string; readonly at: readonly string[] };
    /** Real absolute paths inside the workspace, mounted read-only (existing files and folders only). */
    readonly readOnly: readonly string[];
    /** Real absolute paths the command must never see. */
    readonly hidden: readonly string[];
    /** Folders outside the system ones a command needs, read-only (the Node the studio runs on). */
    readonly tools: readonly string[];
    /** The home folder: replaced by an empty, writable tmpfs (caches of npm, pip, git). */
    readonly home?: string;
    /** When false the command gets its own network namespace with only a loopback device. */
    readonly network: boolean;
    /** The command's working folder, as the sandbox sees it. */
    readonly cwd: string;
}

/** System folders mounted read-only when they exist; on merged-/usr systems /bin and friends are symlinks, recreated as such. */
const systemFolders = ['/usr', '/etc', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

function isInside(child: string, parent: string): boolean {
    const relative = path.relative(parent, child);
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function isSameOrInside(child: string, parent: string): boolean {
    return child === parent || isInside(child, parent);
}

/** bwrap's arguments up to (not including) the command; pure apart from lstat/readlink of the system folders. */
export function bwrapArguments(view: SandboxView): string[] {
    const args = ['--unshare-all', '--unshare-user', '--disable-userns', '--die-with-parent', '--new-session'];
    if (view.network) {
        args.push('--share-net');
    }
    // Mounted places as (source on the host, where the command sees it): what `hidden` is checked against.
    const mounted: { source: string; at: string }[] = [];
    for (const folder of systemFolders) {
        const stat = fs.lstatSync(folder, { throwIfNoEntry: false });
        if (stat?.isSymbolicLink()) {
            args.push('--symlink', fs.readlinkSync(folder), folder);
        } else if (stat?.isDirectory()) {
            args.push('--ro-bind', folder, folder);
            mounted.push({ source: folder, at: folder });
        }
    }
    // A resolv.conf that links out of /etc (systemd-resolved) would dangle: mount its target too.
    const resolv = realpathOrUndefined('/etc/resolv.conf');
    if (view.network && resolv && !isInside(resolv, '/etc') && !isInside(resolv, '/usr')) {
        args.push('--ro-bind', resolv, resolv);
    }
    args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp');
    if (view.home && !systemFolders.some(f => isSameOrInside(f, view.home!)) && !view.workspace.at.some(at => isSameOrInside(view.home!, at))) {
        args.push('--tmpfs', view.home);
    }
    // A tool may live in the home folder (nvm's Node): only that folder is mounted, the rest of the home stays hidden.
    const home = view.home && realpathOrUndefined(view.home);
    for (const tool of view.tools) {
        const covered = mounted.some(m => isSameOrInside(tool, m.source));
        const exposesHidden = view.hidden.some(h => h !== home && isSameOrInside(tool, h));
        if (!covered && !exposesHidden) {
            args.push('--ro-bind', tool, tool);
            mounted.push({ source: tool, at: tool });
        }
    }
    for (const at of view.workspace.at) {
        args.push('--bind', view.workspace.real, at);
        mounted.push({ source: view.workspace.real, at });
    }
    // Where a real path inside the workspace shows up in the sandbox (once per place the workspace is mounted at).
    const places = (real: string): string[] => view.workspace.at.map(at => path.join(at, path.relative(view.workspace.real, real)));
    const readOnly = view.readOnly.filter(p => isSameOrInside(p, view.workspace.real)).sort((a, b) => depth(a) - depth(b));
    const parents = new Set<string>();
    for (const protectedPath of readOnly) {
        for (let parent = path.dirname(protectedPath); isInside(parent, view.workspace.real); parent = path.dirname(parent)) {
            parents.add(parent);
        }
    }
    for (const parent of [...parents].sort((a, b) => depth(a) - depth(b))) {
        for (const at of places(parent)) {
            args.push('--bind', parent, at);
        }
    }
    for (const protectedPath of readOnly) {
        for (const at of places(protectedPath)) {
            args.push('--ro-bind', protectedPath, at);
        }
    }
    for (const hidden of view.hidden) {
        const stat = fs.statSync(hidden, { throwIfNoEntry: false });
        if (!stat) {
            continue;
        }
        for (const m of mounted) {
            if (!isInside(hidden, m.source)) {
                continue;
            }
            const at = path.join(m.at, path.relative(m.source, hidden));
            if (stat.isDirectory()) {
                args.push('--tmpfs', at, '--remount-ro', at);
            } else {
                args.push('--ro-bind', '/dev/null', at);
            }
        }
    }
    args.push('--chdir', view.cwd);
    return args;
}

function depth(p: string): number {
    return p.split(path.sep).length;
}

export function realpathOrUndefined(p: string): string | undefined {
    try {
        return fs.realpathSync(p);
    } catch {
        return undefined;
    }
}
