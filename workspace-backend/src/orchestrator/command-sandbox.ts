import * as fs from 'node:fs';
import { withoutSecrets } from '../policy/secrets';

/**
 * What an agent's `run_command` runs with: the studio's environment minus every secret (so
 * `env` or a malicious script cannot read the vendors' keys into a transcript), and, when the
 * studio runs as root, the identity of an unprivileged user: `STUDIO_COMMAND_USER_ID`
 * (uid[:gid]), else the workspace folder's owner when that is not root. (The container image runs
 * the whole studio as its unprivileged workspace user, so there nothing changes identity.)
 */
export interface CommandSandbox {
    readonly env: NodeJS.ProcessEnv;
    readonly uid?: number;
    readonly gid?: number;
}

export function commandSandbox(workspaceDir: string, env: NodeJS.ProcessEnv = process.env): CommandSandbox {
    // The same rule the masker uses: what it would hide, a command never sees.
    const clean = withoutSecrets(env);
    if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
        return { env: clean };
    }
    const configured = env.STUDIO_COMMAND_USER_ID;
    if (configured) {
        const match = /^(\d+)(?::(\d+))?$/.exec(configured);
        if (!match || Number(match[1]) === 0) {
            throw new Error(`STUDIO_COMMAND_USER_ID must be an unprivileged uid[:gid] such as 1000:1000, not "${configured}".`);
        }
        return { env: clean, uid: Number(match[1]), gid: Number(match[2] ?? match[1]) };
    }
    const owner = fs.statSync(workspaceDir);
    return owner.uid !== 0 ? { env: clean, uid: owner.uid, gid: owner.gid } : { env: clean };
}
