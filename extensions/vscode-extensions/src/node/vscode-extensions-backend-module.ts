import { ContainerModule } from '@theia/core/shared/inversify';
import { VSXRegistryServiceImpl } from '@theia/vsx-registry/lib/node/vsx-registry-service-impl';
import { StudioVSXRegistryServiceImpl } from './studio-vsx-registry-service';

export default new ContainerModule((_bind, _unbind, _isBound, rebind) => {
    // VSXRegistryService (the browser's RPC service) is bound to VSXRegistryServiceImpl; this keeps that chain.
    rebind(VSXRegistryServiceImpl).to(StudioVSXRegistryServiceImpl).inSingletonScope();
});
