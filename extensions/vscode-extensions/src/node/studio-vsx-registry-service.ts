import { injectable } from '@theia/core/shared/inversify';
import { VSXRegistryServiceImpl } from '@theia/vsx-registry/lib/node/vsx-registry-service-impl';
import type { VSXExtensionRaw, VSXQueryOptions, VSXQueryResult, VSXSearchOptions, VSXSearchResult } from '@theia/ovsx-client/lib/ovsx-types';
import { describeRegistryFailure } from '../common/registry-failure';

/**
 * Theia's registry service with failures the user can read: a request that fails (no network, a
 * refused or dropped connection, an untrusted certificate) is rejected with a sentence naming the
 * registry, the reason and what still works, instead of Node's bare "fetch failed".
 *
 * Invariant: the backend log gets one warning per distinct failure, not one per search keystroke;
 * a request that succeeds clears it, so the next outage is logged again.
 */
@injectable()
export class StudioVSXRegistryServiceImpl extends VSXRegistryServiceImpl {

    protected lastFailure: string | undefined;

    override search(searchOptions?: VSXSearchOptions): Promise<VSXSearchResult> {
        return this.explained(() => super.search(searchOptions));
    }

    override query(queryOptions?: VSXQueryOptions): Promise<VSXQueryResult> {
        return this.explained(() => super.query(queryOptions));
    }

    override findLatestCompatibleExtension(query: VSXQueryOptions): Promise<VSXExtensionRaw | undefined> {
        return this.explained(() => super.findLatestCompatibleExtension(query));
    }

    protected async explained<T>(request: () => Promise<T>): Promise<T> {
        try {
            const answer = await request();
            this.lastFailure = undefined;
            return answer;
        } catch (error) {
            const message = describeRegistryFailure(error, await this.vsxEnvironment.getRegistryUri());
            if (message !== this.lastFailure) {
                this.lastFailure = message;
                this.logger.warn(message);
            }
            throw new Error(message, { cause: error });
        }
    }
}
