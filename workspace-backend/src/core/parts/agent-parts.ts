import { ChatConversations } from '../../chat/chat-conversations';
import { budgetPausesAtStart } from '../../costs/budget-repository';
import { WorkspaceCosts } from '../../costs/workspace-costs';
import { Orchestrator } from '../../orchestrator/orchestrator';
import { messageOf } from '../core-part';
import type { CorePartOf } from '../core-context';
import { costAgentsOf } from '../cost-agents-adapter';
import { submitDemoTasks } from '../demo-mode';
import { recordChangesFrom, recordCommitsOfCommands } from './changes-part';
import { feedTimelineFrom, timelineReaderOf } from './timeline-part';
import { logFor } from '../../telemetry/logger';

/**
 * The agents: definitions, queues, supervised agent processes and their event stream. Needs the
 * locks, and agents.db, tasks.db and metrics.db. Its stop, before the locks and databases,
 * checkpoints running tasks for retry and stops the agents' processes.
 */
export const OrchestratorPart: CorePartOf<'orchestrator'> = {
    id: 'orchestrator', label: 'Agents', needs: ['locks', 'databases'], startingDetail: 'Starting.', stopStep: 'stopping the agents',
    start(context, parts) {
        const { config, options } = context;
        const databases = parts.get('databases');
        // No provider factory unless the embedder gives one: the orchestrator's default is the vendors' real models.
        const orchestrator = new Orchestrator({
            ...options.orchestrator,
            workspaceDir: config.workspaceDir,
            providerKeys: context.providerKeys,
            locks: parts.get('locks').manager,
            databases: { agents: databases.get('agents'), tasks: databases.get('tasks'), metrics: databases.get('metrics') },
            // The costs start after the orchestrator (they need its agents); their pauses are read here, so a held agent takes no step first.
            heldAtStart: budgetPausesAtStart(databases.get('metrics')),
            acknowledge: (what, ...written) => context.durability().durability.acknowledge(what, ...written),
            // Agents' commands never see the databases nor their replica (the home folder and secret files they hide themselves).
            commandSandbox: { ...options.orchestrator?.commandSandbox, hidden: [config.dataDir, context.replicaFolder(), ...options.orchestrator?.commandSandbox?.hidden ?? []] },
            changeAttribution: parts.find('file-changes'),
            // The git commits each command of a task makes join the task's change set.
            commandObserver: recordCommitsOfCommands(parts, config.workspaceDir),
            // Agents that apply after review keep their edits in their change set's overlay.
            overlays: parts.find('changes')?.overlays,
            // The role agents that know the workspace's history read it here (read_timeline).
            timeline: timelineReaderOf(parts),
        });
        orchestrator.onEvent(event => {
            if (event.type === 'agent-state' || event.type === 'definition') {
                context.healthChanged();
            }
        });
        feedTimelineFrom(parts, { orchestrator });
        recordChangesFrom(parts, orchestrator);
        orchestrator.start();
        return orchestrator;
    },
    // Whether bubblewrap works here is decided before the studio reports itself started.
    ready: orchestrator => orchestrator.commands.ready(),
    stop: orchestrator => orchestrator.stop(),
    // With how agents' commands are isolated: degraded (what is missing, what to do) in the separate-uid fallback.
    health: orchestrator => [orchestrator.health(), orchestrator.commands.health()],
};

/**
 * Chat with the agents (conversations persisted in sessions.db), which it gives its tasks to;
 * then the demo's tasks (STUDIO_DEMO_TASKS), as chat messages. It hears the agents' events until
 * they, and the watcher whose last changes reach them, have stopped.
 */
export const ChatPart: CorePartOf<'chat'> = {
    id: 'chat', label: 'Chat', needs: ['orchestrator', 'databases'], stopsAfter: ['orchestrator', 'file-changes'],
    start({ config }, parts) {
        const chat = new ChatConversations({ db: parts.get('databases').get('sessions'), orchestrator: parts.get('orchestrator') });
        feedTimelineFrom(parts, { chat });
        chat.start();
        try {
            submitDemoTasks(chat, config.dataDir);
        } catch (error) {
            logFor('demo').error(`${messageOf(error)}`);
        }
        return chat;
    },
    stop: chat => chat.dispose(),
};

/**
 * Prices, the cost ledger, budgets and infrastructure cost (metrics.db). After the orchestrator,
 * whose usage they price and whose agents the budgets pause; they stop listening first, since
 * the orchestrator's stop (checkpointed tasks) is no spend.
 */
export const CostsPart: CorePartOf<'costs'> = {
    id: 'costs', label: 'Costs', needs: ['orchestrator', 'databases'],
    start({ config, healthChanged }, parts) {
        let costs: WorkspaceCosts | undefined;
        try {
            costs = new WorkspaceCosts({ db: parts.get('databases').get('metrics'), workspaceDir: config.workspaceDir, dataDir: config.dataDir, agents: costAgentsOf(parts.get('orchestrator')) });
            costs.onBudgetEvent(() => healthChanged());
            feedTimelineFrom(parts, { costs });
            costs.start();
            return costs;
        } catch (error) {
            costs?.dispose();
            throw error;
        }
    },
    stop: costs => costs.dispose(),
    health: costs => [costs.health()],
};
