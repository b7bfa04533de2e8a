import { injectable } from '@theia/core/shared/inversify';
import { CancellationToken } from '@theia/core/lib/common/cancellation';
import { VSXExtensionsModel } from '@theia/vsx-registry/lib/browser/vsx-extensions-model';
import type { VSXSearchOptions } from '@theia/ovsx-client/lib/ovsx-types';

/**
 * Theia's Extensions view model, with a search's error belonging to that search: Theia 1.74 keeps
 * the first failure's message on the view forever, even after the registry answers again.
 */
@injectable()
export class StudioVSXExtensionsModel extends VSXExtensionsModel {

    protected override doUpdateSearchResult(param: VSXSearchOptions, token: CancellationToken): Promise<void> {
        this._searchError = undefined;
        return super.doUpdateSearchResult(param, token);
    }
}
