import type { AgentSnapshot, OrchestratorClient, OrchestratorService } from '@coditect/agent-activity/common';

/**
 * Where the welcome page reads the agents: agent-activity's orchestrator service (its common
 * protocol: `OrchestratorService`, `OrchestratorClient`) behind a read-only door of its own. Its
 * own path because a browser's Theia connection opens one channel per path, and agent-activity's
 * views already hold `ORCHESTRATOR_PATH`: a second proxy there fails ("Another channel with the id
 * … is already open").
 */
export const WELCOME_AGENTS_PATH = '/services/coditect/welcome/agents';

/** The part of the orchestrator service the welcome page uses: the agents, and their changes pushed to its client. */
export type WelcomeAgentsService = Pick<OrchestratorService, 'agents' | 'setClient' | 'getClient' | 'dispose'>;
export const WelcomeAgentsService = Symbol('WelcomeAgentsService');

export type { AgentSnapshot, OrchestratorClient };
