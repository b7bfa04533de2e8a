import { EntryAction, personPrincipal, RpcPolicy } from '@coditect/workspace-backend';
import { ConnectionHandler, RpcConnectionHandler } from '@theia/core/lib/common/messaging';
import { ConnectionContainerModule } from '@theia/core/lib/node/messaging/connection-container-module';
import { interfaces } from '@theia/core/shared/inversify';
import { gateRpcService } from './rpc-gate';
import { StudioUserProvider } from './studio-user-provider';
import { WorkspaceCoreHost } from './workspace-core-host';

/** What every per-connection service of the studio offers its connection handler. */
export interface ConnectionScopedService<Client> {
    setClient?(client: Client | undefined): void;
    dispose(): void;
}

/** Every per-connection RPC service of this backend, with its policy: what the entry-point coverage test reads. */
export const RpcEntryPoints: { readonly path: string; readonly policy: Readonly<Record<string, string>> }[] = [];

/**
 * Serves `serviceId` at `path`, one instance per browser connection, created in that
 * connection's container: so it is given that connection's `StudioUserProvider` (the verified
 * person), never another connection's. Every call passes the policy's gate for that person
 * (`policy` names each method's action; rpc-gate.ts). The service is disposed when its
 * connection closes.
 */
export function perConnectionRpcService<Client extends object, Service extends ConnectionScopedService<Client>>(
    path: string, serviceId: interfaces.ServiceIdentifier<Service>, policy: RpcPolicy<Service>,
): interfaces.ContainerModule {
    RpcEntryPoints.push({ path, policy: policy as unknown as Readonly<Record<string, string>> });
    return ConnectionContainerModule.create(({ bind }) => {
        bind(ConnectionHandler).toDynamicValue(ctx =>
            new RpcConnectionHandler<Client>(path, client => {
                const service = ctx.container.get<Service>(serviceId);
                const users = ctx.container.get<StudioUserProvider>(StudioUserProvider);
                const host = ctx.container.get<WorkspaceCoreHost>(WorkspaceCoreHost);
                service.setClient?.(client);
                client.onDidCloseConnection(() => service.dispose());
                return gateRpcService(path, service, policy as unknown as Readonly<Record<string, EntryAction>>, () => personPrincipal(users.currentUser()), () => host.ready);
            })
        ).inSingletonScope();
    });
}
