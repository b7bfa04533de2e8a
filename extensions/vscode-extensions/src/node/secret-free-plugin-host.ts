import { withoutSecrets } from '@coditect/workspace-backend';
import { injectable } from '@theia/core/shared/inversify';
import { PluginHostEnvironmentVariable } from '@theia/plugin-ext/lib/common/plugin-protocol';

/**
 * The plugin host (where every installed VS Code extension runs) starts without the backend's
 * secret-named variables (policy/secrets.ts): an extension reading `process.env` finds no vendor
 * key, no studio credential and no STUDIO_KEYS_ENCRYPTION_KEY, so it cannot decrypt an encrypted
 * provider-keys.json either. (It runs as the studio's user, like a terminal: README, Security.)
 */
@injectable()
export class SecretFreePluginHostEnvironment implements PluginHostEnvironmentVariable {
    process(env: NodeJS.ProcessEnv): void {
        const clean = withoutSecrets(env);
        for (const name of Object.keys(env)) {
            if (!Object.prototype.hasOwnProperty.call(clean, name)) {
                delete env[name];
            }
        }
    }
}
