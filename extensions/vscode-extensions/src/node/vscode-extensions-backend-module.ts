import { ContainerModule } from '@theia/core/shared/inversify';
import { PluginHostEnvironmentVariable } from '@theia/plugin-ext/lib/common/plugin-protocol';
import { ProcessTaskRunner } from '@theia/task/lib/node/process/process-task-runner';
import { VSXRegistryServiceImpl } from '@theia/vsx-registry/lib/node/vsx-registry-service-impl';
import { SecretFreePluginHostEnvironment } from './secret-free-plugin-host';
import { SecretFreeProcessTaskRunner } from './secret-free-task-runner';
import { StudioVSXRegistryServiceImpl } from './studio-vsx-registry-service';

export default new ContainerModule((bind, _unbind, _isBound, rebind) => {
    // VSXRegistryService (the browser's RPC service) is bound to VSXRegistryServiceImpl; this keeps that chain.
    rebind(VSXRegistryServiceImpl).to(StudioVSXRegistryServiceImpl).inSingletonScope();
    // Extensions and the tasks they (or people) run inherit the backend's environment without its secrets.
    bind(SecretFreePluginHostEnvironment).toSelf().inSingletonScope();
    bind(PluginHostEnvironmentVariable).toService(SecretFreePluginHostEnvironment);
    rebind(ProcessTaskRunner).to(SecretFreeProcessTaskRunner).inSingletonScope();
});
