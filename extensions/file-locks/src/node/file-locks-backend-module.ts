import { ContainerModule } from '@theia/core/shared/inversify';
import { ConnectionHandler, RpcConnectionHandler } from '@theia/core/lib/common/messaging';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { DiskFileSystemProvider } from '@theia/filesystem/lib/node/disk-file-system-provider';
import { LockClient, LOCKS_PATH, LockService } from '../common/lock-protocol';
import { LockAwareFileSystemProvider } from './lock-aware-file-system-provider';
import { LockHttpEndpoint } from './lock-http-endpoint';
import { LockServiceImpl } from './lock-service-impl';
import { SaveRefusals } from './save-refusals';

export default new ContainerModule((bind, _unbind, _isBound, rebind) => {
    bind(SaveRefusals).toSelf().inSingletonScope();
    // Every write a person makes through the IDE passes the lock check in the backend.
    bind(LockAwareFileSystemProvider).toSelf();
    rebind(DiskFileSystemProvider).toService(LockAwareFileSystemProvider);

    bind(LockService).to(LockServiceImpl);
    bind(ConnectionHandler).toDynamicValue(ctx =>
        new RpcConnectionHandler<LockClient>(LOCKS_PATH, client => {
            const service = ctx.container.get<LockService>(LockService);
            service.setClient(client);
            client.onDidCloseConnection(() => service.dispose());
            return service;
        })
    ).inSingletonScope();

    bind(LockHttpEndpoint).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(LockHttpEndpoint);
});
