import { RequestService } from '@theia/core/shared/@theia/request';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { ContainerModule } from '@theia/core/shared/inversify';
import { PluginHostEnvironmentVariable } from '@theia/plugin-ext/lib/common/plugin-protocol';
import { ProcessTaskRunner } from '@theia/task/lib/node/process/process-task-runner';
import { OVSXClientProvider, OVSXUrlResolver } from '@theia/vsx-registry/lib/common/ovsx-client-provider';
import { VSXEnvironment } from '@theia/vsx-registry/lib/common/vsx-environment';
import { VSXRegistryServiceImpl } from '@theia/vsx-registry/lib/node/vsx-registry-service-impl';
import { bindRegistryPreferences } from '../common/registry-preferences';
import { registryClientProvider } from './registry-client-provider';
import { SecretFreePluginHostEnvironment } from './secret-free-plugin-host';
import { SecretFreeProcessTaskRunner } from './secret-free-task-runner';
import { StudioVSXEnvironment } from './studio-vsx-environment';
import { StudioVSXRegistryServiceImpl } from './studio-vsx-registry-service';
import { UserSettingsFile } from './user-settings-file';

export default new ContainerModule((bind, _unbind, _isBound, rebind) => {
    // VSXRegistryService (the browser's RPC service) is bound to VSXRegistryServiceImpl; this keeps that chain.
    rebind(VSXRegistryServiceImpl).to(StudioVSXRegistryServiceImpl).inSingletonScope();
    // The registry from the preference, read at each request, with a client per registry address.
    bindRegistryPreferences(bind);
    bind(UserSettingsFile).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(UserSettingsFile);
    rebind(VSXEnvironment).to(StudioVSXEnvironment).inSingletonScope();
    rebind(OVSXClientProvider).toDynamicValue(ctx =>
        registryClientProvider(ctx.container.get(VSXEnvironment), ctx.container.get(RequestService), ctx.container.get(OVSXUrlResolver))
    ).inSingletonScope();
    // Extensions and the tasks they (or people) run inherit the backend's environment without its secrets.
    bind(SecretFreePluginHostEnvironment).toSelf().inSingletonScope();
    bind(PluginHostEnvironmentVariable).toService(SecretFreePluginHostEnvironment);
    rebind(ProcessTaskRunner).to(SecretFreeProcessTaskRunner).inSingletonScope();
});
