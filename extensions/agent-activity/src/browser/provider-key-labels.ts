import { nls } from '@theia/core/lib/common/nls';
import type { ProviderKeyStatus } from '../common/provider-key-protocol';

const K = 'coditect/agent-activity/';

/** How a key's status reads: where it comes from, never what it is (at most its last four characters, for admins). */
export namespace ProviderKeyLabels {
    export function describe(status: ProviderKeyStatus | undefined): string {
        const ending = status?.hint ? nls.localize(`${K}key-ending`, ' (ends in {0})', status.hint) : '';
        const problem = status?.problem ? ` ${status.problem}` : '';
        switch (status?.source) {
            case 'studio':
                return nls.localize(`${K}key-from-studio`, 'Set in the studio by {0} on {1}{2}.', status.setBy?.replace(/^user:/, '') ?? '?',
                    status.setAt ? new Date(status.setAt).toLocaleString() : '?', ending) + problem;
            case 'environment':
                return nls.localize(`${K}key-from-env`, 'Now from the environment{0}; a key saved here takes its place.', ending) + problem;
            case 'secrets-file':
                return nls.localize(`${K}key-from-file`, 'Now from the secrets file{0}; a key saved here takes its place.', ending) + problem;
            default:
                return nls.localize(`${K}key-not-set`, 'No key is set.') + problem;
        }
    }
}
