import { RpcServer } from '@theia/core/lib/common/messaging/proxy-factory';
import type { ProviderKeyStatus } from '@coditect/workspace-backend/types';

export type { ProviderKeySource, ProviderKeyStatus } from '@coditect/workspace-backend/types';

export const PROVIDER_KEYS_PATH = '/services/coditect/provider-keys';

/** The service pushes nothing: a key's effect reaches the browser as the agents' state changes (orchestrator-protocol.ts). */
export type ProviderKeyClient = object;

/**
 * The model providers' keys as the browser sees them: where each comes from, never its value.
 * A key goes one way, browser to backend, and is kept there only (the data folder's key file).
 */
export const ProviderKeyService = Symbol('ProviderKeyService');
export interface ProviderKeyService extends RpcServer<ProviderKeyClient> {
    /** Every variable an agent reads its key from, with where its key comes from (the last four characters only for admins). */
    status(): Promise<ProviderKeyStatus[]>;
    /** Admins: keeps `key` for every agent that reads `variable`; those waiting for it start at once. */
    set(variable: string, key: string): Promise<ProviderKeyStatus>;
    /** Admins: forgets the key set in the studio; the environment's, if any, applies again. */
    remove(variable: string): Promise<ProviderKeyStatus>;
}
