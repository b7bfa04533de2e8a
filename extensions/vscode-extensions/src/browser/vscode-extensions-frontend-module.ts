import { ContainerModule } from '@theia/core/shared/inversify';
import { VSXExtensionsModel } from '@theia/vsx-registry/lib/browser/vsx-extensions-model';
import { StudioVSXExtensionsModel } from './studio-vsx-extensions-model';

export default new ContainerModule((_bind, _unbind, _isBound, rebind) => {
    rebind(VSXExtensionsModel).to(StudioVSXExtensionsModel).inSingletonScope();
});
