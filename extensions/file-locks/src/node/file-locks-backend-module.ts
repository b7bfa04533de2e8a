import { ContainerModule } from '@theia/core/shared/inversify';
import { ConnectionHandler, RpcConnectionHandler } from '@theia/core/lib/common/messaging';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { ConnectionContainerModule } from '@theia/core/lib/node/messaging/connection-container-module';
import { DiskFileSystemProvider } from '@theia/filesystem/lib/node/disk-file-system-provider';
import { RemoteFileSystemClient, RemoteFileSystemProxyFactory, RemoteFileSystemServer, remoteFileSystemPath } from '@theia/filesystem/lib/common/remote-file-system-provider';
import { perConnectionRpcService } from '@coditect/studio-platform/node';
import { LockClient, LOCKS_PATH, LockService } from '../common/lock-protocol';
import { LockAwareFileSystemProvider } from './lock-aware-file-system-provider';
import { LockHttpEndpoint } from './lock-http-endpoint';
import { LockServiceImpl, LockServicePolicy } from './lock-service-impl';
import { SaveRefusals } from './save-refusals';

export default new ContainerModule((bind, _unbind, _isBound, rebind) => {
    bind(SaveRefusals).toSelf().inSingletonScope();
    // Every write a person makes through the IDE passes the lock check in the backend.
    bind(LockAwareFileSystemProvider).toSelf();
    rebind(DiskFileSystemProvider).toService(LockAwareFileSystemProvider);
    // Theia serves the file system from the root container, where nobody in particular is asking; served from each
    // connection's container instead, a save is checked against the locks as the person behind that connection.
    bind(ConnectionContainerModule).toConstantValue(ConnectionContainerModule.create(({ bind: bindInConnection }) => {
        bindInConnection(ConnectionHandler).toDynamicValue(ctx => new RpcConnectionHandler<RemoteFileSystemClient>(remoteFileSystemPath, client => {
            const server = ctx.container.get<RemoteFileSystemServer>(RemoteFileSystemServer);
            server.setClient(client);
            client.onDidCloseConnection(() => server.dispose());
            return server;
        }, RemoteFileSystemProxyFactory)).inSingletonScope();
    }));

    bind(LockService).to(LockServiceImpl);
    bind(ConnectionContainerModule).toConstantValue(perConnectionRpcService<LockClient, LockService>(LOCKS_PATH, LockService, LockServicePolicy));

    bind(LockHttpEndpoint).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(LockHttpEndpoint);
});
