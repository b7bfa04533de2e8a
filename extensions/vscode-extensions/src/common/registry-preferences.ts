import { PreferenceContribution, PreferenceSchema, PreferenceScope } from '@theia/core';
import { interfaces } from '@theia/core/shared/inversify';

export const RegistryUrlPreference = 'coditect.extensions.registryUrl';

/** Where the Extensions view searches and installs from when neither the preference nor VSX_REGISTRY_URL names a registry. */
export const DefaultRegistryUrl = 'https://open-vsx.org';

/**
 * A user setting (the backend reads the user's settings, not a workspace's: the registry is the
 * studio's, one for every connection), so its scope stops at User.
 */
const RegistryPreferenceSchema: PreferenceSchema = {
    properties: {
        [RegistryUrlPreference]: {
            type: 'string',
            default: '',
            scope: PreferenceScope.User,
            pattern: '^(https?://.+)?$',
            patternErrorMessage: 'An http:// or https:// address of an Open VSX registry, or nothing for the default.',
            description: 'VS Code Extensions: Registry URL. The Open VSX registry the Extensions view searches and installs from, '
                + 'for example an internal mirror. Empty: the studio\'s VSX_REGISTRY_URL, else https://open-vsx.org. Takes effect at the next search.',
        },
    },
};

export function bindRegistryPreferences(bind: interfaces.Bind): void {
    bind(PreferenceContribution).toConstantValue({ schema: RegistryPreferenceSchema });
}

/**
 * The registry in use: the preference when it holds an http(s) address, else VSX_REGISTRY_URL, else
 * Open VSX. A value that is not an http(s) address is passed over, with the reason.
 */
export function chooseRegistryUrl(preference: unknown, fromEnvironment: string | undefined): { readonly url: string; readonly ignored?: string } {
    const configured = typeof preference === 'string' ? preference.trim() : '';
    const fallback = fromEnvironment?.trim() || DefaultRegistryUrl;
    if (!configured) {
        return { url: fallback };
    }
    let parsed: URL | undefined;
    try {
        parsed = new URL(configured);
    } catch {
        parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
        return { url: fallback, ignored: `${RegistryUrlPreference} is "${configured}", not an http:// or https:// address; using ${fallback} instead. Fix or clear the setting.` };
    }
    return { url: configured.replace(/\/+$/, '') };
}
