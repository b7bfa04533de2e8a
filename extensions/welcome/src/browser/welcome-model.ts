import { CommandRegistry } from '@theia/core/lib/common/command';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { NavigationLocationService } from '@theia/editor/lib/browser/navigation/navigation-location-service';
import { WorkspaceService } from '@theia/workspace/lib/browser/workspace-service';
import { StudioSession, StudioViewModel } from '@coditect/studio-platform/browser';
import { runSharedCommand, SharedCommands } from '@coditect/studio-platform/common';
import { AgentSnapshot } from '../common/welcome-agents-protocol';
import { WelcomeAgentsWatcher } from './welcome-agents-watcher';

/** What the welcome page offers for an agent without a key: the Add key action, or who can add one. */
export type AgentKeyAction = 'add-key' | 'ask-admin';

/** How many recently opened files the page lists. */
const RECENT_FILES_SHOWN = 5;

/**
 * What the welcome page shows that changes: the agents with their state (pushed), what may be done
 * about a missing key, and the files opened last. Renders again when an agent changes and when
 * commands come and go (the Add key command is registered by the agent activity panel, and its
 * enablement follows the user's role).
 */
@injectable()
export class WelcomeModel extends StudioViewModel {

    @inject(WelcomeAgentsWatcher) protected readonly watcher: WelcomeAgentsWatcher;
    @inject(CommandRegistry) protected readonly commands: CommandRegistry;
    @inject(WorkspaceService) protected readonly workspace: WorkspaceService;
    @inject(NavigationLocationService) protected readonly navigation: NavigationLocationService;
    @inject(StudioSession) protected readonly session: StudioSession;

    @postConstruct()
    protected init(): void {
        void this.follow(this.watcher);
        this.fireOn(this.commands.onCommandsChanged);
        // The command's enablement follows the signed-in person's grants, known once the session is read.
        this.fireOn(this.session.onDidChange);
        this.fireOn(this.workspace.onWorkspaceChanged);
    }

    get agents(): readonly AgentSnapshot[] {
        return this.watcher.agents;
    }

    /** Why the agents could not be read, if they could not. */
    get error(): string | undefined {
        return this.watcher.error;
    }

    /**
     * For an agent without its key: `add-key` when this user may run the Set Provider Key command on
     * it, else `ask-admin` (the command is disabled for those who may not manage keys, or not there).
     * Undefined for an agent that has its key.
     */
    keyAction(agent: AgentSnapshot): AgentKeyAction | undefined {
        if (agent.state !== 'needs-key') {
            return undefined;
        }
        // An unregistered command has no handler, so it is not enabled either.
        return this.commands.isEnabled(SharedCommands.PROVIDER_KEY_SET.id, { agentId: agent.id }) ? 'add-key' : 'ask-admin';
    }

    addKey(agentId: string): void {
        void runSharedCommand(this.commands, SharedCommands.PROVIDER_KEY_SET, { agentId });
    }

    /** The workspace's one folder, once known. */
    get folder(): URI | undefined {
        return this.workspace.tryGetRoots()[0]?.resource;
    }

    /** The workspace's files opened last, newest first: what quick open lists as "recently opened". */
    recentFiles(): URI[] {
        const folder = this.folder;
        const seen = new Set<string>();
        const files: URI[] = [];
        for (const { uri } of [...this.navigation.locations()].reverse()) {
            const key = uri.toString();
            if (uri.scheme === 'file' && !seen.has(key) && (!folder || folder.isEqualOrParent(uri))) {
                seen.add(key);
                files.push(uri);
            }
        }
        return files.slice(0, RECENT_FILES_SHOWN);
    }
}
