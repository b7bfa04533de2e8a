import { ContainerModule } from '@theia/core/shared/inversify';
import { bindViewContribution, WidgetFactory } from '@theia/core/lib/browser';
import { ServiceConnectionProvider } from '@theia/core/lib/browser/messaging/service-connection-provider';
import { bindAgentPreferences } from '../common/agent-preferences';
import { CommandContribution } from '@theia/core/lib/common/command';
import { ORCHESTRATOR_PATH, OrchestratorService } from '../common/orchestrator-protocol';
import { PROVIDER_KEYS_PATH, ProviderKeyService } from '../common/provider-key-protocol';
import { AgentActivityModel } from './agent-activity-model';
import { AgentActivityViewContribution } from './agent-activity-view-contribution';
import { AgentActivityWidget } from './agent-activity-widget';
import { OrchestratorClientImpl } from './orchestrator-client-impl';
import { OrchestratorWatcher } from './orchestrator-watcher';
import { ProviderKeyContribution } from './provider-key-contribution';
import { ProviderKeyDialogPrompt } from './provider-key-dialog';
import { ProviderKeyPrompt } from './provider-key-prompt';
import { TaskQueueModel } from './task-queue-model';
import { TaskQueueViewContribution } from './task-queue-view-contribution';
import { WorkflowCommandContribution } from './workflow-command-contribution';
import { TaskQueueWidget } from './task-queue-widget';
import '../../src/browser/style/agent-activity.css';

export default new ContainerModule(bind => {
    bindAgentPreferences(bind);
    bind(OrchestratorClientImpl).toSelf().inSingletonScope();
    bind(OrchestratorService).toDynamicValue(ctx =>
        ServiceConnectionProvider.createProxy<OrchestratorService>(ctx.container, ORCHESTRATOR_PATH, ctx.container.get(OrchestratorClientImpl))
    ).inSingletonScope();
    bind(OrchestratorWatcher).toSelf().inSingletonScope();

    bind(ProviderKeyService).toDynamicValue(ctx => ServiceConnectionProvider.createProxy<ProviderKeyService>(ctx.container, PROVIDER_KEYS_PATH)).inSingletonScope();
    bind(ProviderKeyPrompt).to(ProviderKeyDialogPrompt).inSingletonScope();
    bind(ProviderKeyContribution).toSelf().inSingletonScope();
    bind(CommandContribution).toService(ProviderKeyContribution);

    // Models are not singletons: each widget gets its own.
    bind(AgentActivityModel).toSelf();
    bind(AgentActivityWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({ id: AgentActivityWidget.ID, createWidget: () => ctx.container.get(AgentActivityWidget) })).inSingletonScope();
    bindViewContribution(bind, AgentActivityViewContribution);

    bind(TaskQueueModel).toSelf();
    bind(TaskQueueWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({ id: TaskQueueWidget.ID, createWidget: () => ctx.container.get(TaskQueueWidget) })).inSingletonScope();
    bindViewContribution(bind, TaskQueueViewContribution);
    bind(WorkflowCommandContribution).toSelf().inSingletonScope();
    bind(CommandContribution).toService(WorkflowCommandContribution);
});
