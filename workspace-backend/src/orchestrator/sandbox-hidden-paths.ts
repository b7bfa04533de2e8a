import * as fs from 'node:fs';
import * as path from 'node:path';
import { isSecretName } from '../policy/secrets';

/**
 * What an agent's command must never see, as real paths of things that exist now: the studio's
 * data folder (its databases), the replica folder, the home folder (the studio's configuration,
 * caches, credentials of tools), and every file a secret-named variable points at
 * (STUDIO_SECRETS_FILE, GOOGLE_APPLICATION_CREDENTIALS, ...: the variable is dropped from the
 * command's environment by the same rule, and its file is hidden with it).
 *
 * The bubblewrap sandbox mounts only an allowlist, so most of these are absent anyway; the list
 * matters where one lies inside a mounted place (a data folder inside the workspace, a secrets
 * file under /etc), which the sandbox then covers.
 */
export function sandboxHiddenPaths(options: { readonly folders: readonly (string | undefined)[]; readonly env: NodeJS.ProcessEnv }): string[] {
    const candidates = [...options.folders, options.env.HOME];
    for (const [name, value] of Object.entries(options.env)) {
        if (value && isSecretName(name) && path.isAbsolute(value.trim())) {
            candidates.push(value.trim());
        }
    }
    const hidden = new Set<string>();
    for (const candidate of candidates) {
        if (!candidate) {
            continue;
        }
        try {
            hidden.add(fs.realpathSync(path.resolve(candidate)));
        } catch {
            // Does not exist (yet): nothing to hide. A file created later is picked up by the next command.
        }
    }
    return [...hidden];
}
