import { ConnectionHandler, RpcConnectionHandler } from '@theia/core/lib/common/messaging';
import { ConnectionContainerModule } from '@theia/core/lib/node/messaging/connection-container-module';
import { interfaces } from '@theia/core/shared/inversify';

/** What every per-connection service of the studio offers its connection handler. */
export interface ConnectionScopedService<Client> {
    setClient?(client: Client | undefined): void;
    dispose(): void;
}

/**
 * Serves `serviceId` at `path`, one instance per browser connection, created in that
 * connection's container: so it is given that connection's `StudioUserProvider` (the verified
 * person), never another connection's. The service is disposed when its connection closes.
 */
export function perConnectionRpcService<Client extends object, Service extends ConnectionScopedService<Client>>(
    path: string, serviceId: interfaces.ServiceIdentifier<Service>,
): interfaces.ContainerModule {
    return ConnectionContainerModule.create(({ bind }) => {
        bind(ConnectionHandler).toDynamicValue(ctx =>
            new RpcConnectionHandler<Client>(path, client => {
                const service = ctx.container.get<Service>(serviceId);
                service.setClient?.(client);
                client.onDidCloseConnection(() => service.dispose());
                return service;
            })
        ).inSingletonScope();
    });
}
