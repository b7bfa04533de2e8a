import { DefaultApiKeyVariables, personPrincipal, type Disposable, type RpcPolicy } from '@coditect/workspace-backend';
import { CoreConnectionService, StudioUserProvider } from '@coditect/studio-platform/node';
import { inject, injectable } from '@theia/core/shared/inversify';
import { ProviderKeyClient, ProviderKeyService, ProviderKeyStatus } from '../common/provider-key-protocol';

/** The action of each method (policy/entry-policy.ts); the core decides and audits the key's own. */
export const ProviderKeyServicePolicy: RpcPolicy<ProviderKeyService> = {
    status: 'workspace.read', set: 'provider-key.manage', remove: 'provider-key.manage',
    setClient: 'connection', getClient: 'connection', dispose: 'connection',
};

/** One per browser connection, acting as its signed-in person. */
@injectable()
export class ProviderKeyServiceImpl extends CoreConnectionService<ProviderKeyClient> implements ProviderKeyService {

    @inject(StudioUserProvider) protected readonly users: StudioUserProvider;

    protected subscribe(): Disposable[] {
        return [];
    }

    async status(): Promise<ProviderKeyStatus[]> {
        const core = await this.core();
        // The agents' variables, and every vendor's, so an admin can set a key before an agent that needs it is defined.
        const variables = [...core.orchestrator.listAgents().map(agent => agent.keyVariable), ...Object.values(DefaultApiKeyVariables)];
        return core.providerKeys.status(this.principal(), variables);
    }

    async set(variable: string, key: string): Promise<ProviderKeyStatus> {
        return (await this.core()).providerKeys.set(this.principal(), variable, key);
    }

    async remove(variable: string): Promise<ProviderKeyStatus> {
        return (await this.core()).providerKeys.remove(this.principal(), variable);
    }

    protected principal(): ReturnType<typeof personPrincipal> {
        return personPrincipal(this.users.currentUser());
    }
}
