import './welcome-spec-environment-test-support';
import { bindContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { CommandContribution, CommandRegistry, CommandService } from '@theia/core/lib/common/command';
import { Emitter } from '@theia/core/lib/common/event';
import URI from '@theia/core/lib/common/uri';
import { Container } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import { MockLogger } from '@theia/core/lib/common/test/mock-logger';
import { NavigationLocationService } from '@theia/editor/lib/browser/navigation/navigation-location-service';
import { WorkspaceService } from '@theia/workspace/lib/browser/workspace-service';
import type { OrchestratorEvent } from '@coditect/agent-activity/common';
import { AgentSnapshot, OrchestratorClient, WelcomeAgentsService } from '../common/welcome-agents-protocol';
export { agent, missingKey } from './agent-fixtures-test-support';
import { WelcomeAgentsClient } from './welcome-agents-client';
import { WelcomeAgentsWatcher } from './welcome-agents-watcher';
import { WelcomeModel } from './welcome-model';
import { StudioSession } from '@coditect/studio-platform/browser';

/* Test code of the welcome page's specs: an orchestrator answering from a field, and a container with the model over it. */

/** The orchestrator's read-only door, answering `agents` from a field and counting the reads. */
export class FakeWelcomeAgentsService implements WelcomeAgentsService {
    agentList: AgentSnapshot[] = [];
    reads = 0;
    readonly onDidOpenConnection = new Emitter<void>().event;
    async agents(): Promise<AgentSnapshot[]> {
        this.reads++;
        return this.agentList;
    }
    setClient(_client: OrchestratorClient | undefined): void { /* the test fires the client itself */ }
    dispose(): void { /* nothing held */ }
}

export interface WelcomeFixture {
    readonly container: Container;
    readonly service: FakeWelcomeAgentsService;
    readonly client: WelcomeAgentsClient;
    readonly commands: CommandRegistry;
    readonly folder: URI;
    /** What the navigation history holds, oldest first. */
    readonly locations: URI[];
    push(event: OrchestratorEvent): void;
}

/** A container with the welcome model (not yet created) over a fake orchestrator, a real command registry, a workspace at file:///w. */
export function welcomeContainer(): WelcomeFixture {
    const container = new Container();
    const service = new FakeWelcomeAgentsService();
    const folder = new URI('file:///w');
    const locations: URI[] = [];
    container.bind(ILogger).to(MockLogger);
    bindContributionProvider(container, CommandContribution);
    container.bind(CommandRegistry).toSelf().inSingletonScope();
    container.bind(CommandService).toService(CommandRegistry);
    container.bind(WelcomeAgentsService).toConstantValue(service);
    container.bind(WelcomeAgentsClient).toSelf().inSingletonScope();
    container.bind(WelcomeAgentsWatcher).toSelf().inSingletonScope();
    container.bind(WorkspaceService).toConstantValue({
        tryGetRoots: () => [{ resource: folder }], onWorkspaceChanged: new Emitter<unknown>().event,
    } as unknown as WorkspaceService);
    container.bind(NavigationLocationService).toConstantValue({ locations: () => locations.map(uri => ({ uri })) } as unknown as NavigationLocationService);
    container.bind(StudioSession).toConstantValue({ onDidChange: () => ({ dispose: () => undefined }), allows: () => true } as unknown as StudioSession);
    container.bind(WelcomeModel).toSelf();
    const client = container.get(WelcomeAgentsClient);
    return { container, service, client, commands: container.get(CommandRegistry), folder, locations, push: event => client.onOrchestratorEvent(event) };
}

/** Lets the watcher's coalesced read (50 ms) and the promises behind it settle. */
export const settle = () => new Promise(resolve => setTimeout(resolve, 80));
