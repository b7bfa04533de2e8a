import { ContainerModule } from '@theia/core/shared/inversify';
import { VSXExtensionsModel } from '@theia/vsx-registry/lib/browser/vsx-extensions-model';
import { bindRegistryPreferences } from '../common/registry-preferences';
import { StudioVSXExtensionsModel } from './studio-vsx-extensions-model';

export default new ContainerModule((bind, _unbind, _isBound, rebind) => {
    rebind(VSXExtensionsModel).to(StudioVSXExtensionsModel).inSingletonScope();
    // The registry setting appears in the Settings editor; the backend reads and applies it.
    bindRegistryPreferences(bind);
});
