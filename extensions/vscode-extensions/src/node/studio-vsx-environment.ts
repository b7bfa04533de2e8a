import URI from '@theia/core/lib/common/uri';
import { ILogger, PreferenceService } from '@theia/core';
import { inject, injectable } from '@theia/core/shared/inversify';
import { VSXEnvironmentImpl } from '@theia/vsx-registry/lib/node/vsx-environment-impl';
import { chooseRegistryUrl, RegistryUrlPreference } from '../common/registry-preferences';

/**
 * Theia's VSX environment with the registry read from the `coditect.extensions.registryUrl`
 * preference (the user settings the backend reads), then VSX_REGISTRY_URL, then Open VSX, at every
 * call rather than once at start: a changed setting applies to the next search and install.
 *
 * Invariant: a setting that is not an http(s) address is never used; it is logged once per value.
 */
@injectable()
export class StudioVSXEnvironment extends VSXEnvironmentImpl {

    @inject(PreferenceService)
    protected readonly preferences: PreferenceService;

    @inject(ILogger)
    protected readonly logger: ILogger;

    protected lastIgnored: string | undefined;

    override async getRegistryUri(): Promise<string> {
        return (await this.registry()).toString(true);
    }

    override async getRegistryApiUri(): Promise<string> {
        return (await this.registry()).resolve('api').toString(true);
    }

    protected async registry(): Promise<URI> {
        await this.preferences.ready;
        const chosen = chooseRegistryUrl(this.preferences.get(RegistryUrlPreference), process.env.VSX_REGISTRY_URL);
        if (chosen.ignored && chosen.ignored !== this.lastIgnored) {
            this.logger.warn(chosen.ignored);
        }
        this.lastIgnored = chosen.ignored;
        return new URI(chosen.url);
    }
}
