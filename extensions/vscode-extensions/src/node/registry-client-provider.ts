import type { RequestService } from '@theia/core/shared/@theia/request';
import {
    ExtensionIdMatchesFilterFactory, OVSXClient, OVSXHttpClient, OVSXRouterClient, RequestContainsFilterFactory,
} from '@theia/ovsx-client';
import type { OVSXClientProvider, OVSXUrlResolver } from '@theia/vsx-registry/lib/common/ovsx-client-provider';
import type { VSXEnvironment } from '@theia/vsx-registry/lib/common/vsx-environment';
import { RateLimiter } from 'limiter';

/**
 * The backend's Open VSX client for the registry the environment names now: Theia makes one client
 * for the process's life, this one makes a new client when the registry's address changes (the
 * preference was edited), and otherwise reuses it. A router configuration (`--ovsx-router-config`)
 * fixes its registries itself, as in Theia.
 */
export function registryClientProvider(environment: VSXEnvironment, requests: RequestService, resolveUrl: OVSXUrlResolver): OVSXClientProvider {
    let current: { readonly apiUrl: string; readonly client: Promise<OVSXClient> } | undefined;
    return async () => {
        const apiUrl = await environment.getRegistryApiUri();
        if (current?.apiUrl !== apiUrl) {
            current = { apiUrl, client: createClient(environment, requests, resolveUrl, apiUrl) };
        }
        return current.client;
    };
}

async function createClient(environment: VSXEnvironment, requests: RequestService, resolveUrl: OVSXUrlResolver, apiUrl: string): Promise<OVSXClient> {
    const [routerConfig, rateLimit] = await Promise.all([environment.getOvsxRouterConfig?.(), environment.getRateLimit()]);
    const limiter = new RateLimiter({ interval: 'second', tokensPerInterval: rateLimit });
    if (routerConfig) {
        const clientFor = OVSXHttpClient.createClientFactory(requests, limiter);
        return OVSXRouterClient.FromConfig(routerConfig, async url => clientFor(await resolveUrl(url)), [RequestContainsFilterFactory, ExtensionIdMatchesFilterFactory]);
    }
    return new OVSXHttpClient(await resolveUrl(apiUrl), requests, limiter);
}
