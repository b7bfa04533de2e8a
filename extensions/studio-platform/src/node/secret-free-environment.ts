import { withoutSecrets } from '@coditect/workspace-backend';
import { EnvironmentUtils } from '@theia/core/lib/node/environment-utils';
import { injectable } from '@theia/core/shared/inversify';

/**
 * The environment of the terminals people open: the backend's without its secret-named variables
 * (policy/secrets.ts, the rule agents' commands follow), so `env` in a terminal never sends a
 * vendor's key or the studio's credentials to the browser. Variables the terminal was opened with
 * are kept. (The terminal still runs as the studio's user and can read what it can: README, Security.)
 */
@injectable()
export class SecretFreeEnvironmentUtils extends EnvironmentUtils {
    override mergeProcessEnv(env: Record<string, string | null> = {}): Record<string, string> {
        return withoutSecrets(super.mergeProcessEnv(env), env);
    }
}
