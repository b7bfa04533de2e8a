import { AgentSnapshot } from '../common/welcome-agents-protocol';

/* Test code: agents as the orchestrator reports them, for the welcome page's specs. */

export const agent = (id: string, state: AgentSnapshot['state'], lastError?: string, process: AgentSnapshot['process'] = 'always'): AgentSnapshot => ({
    id, name: id[0].toUpperCase() + id.slice(1), vendor: 'anthropic', model: 'claude-sonnet-4-5', process, state, stateSince: 1, lastError,
    locksHeld: [], queued: 0, keyVariable: 'ANTHROPIC_API_KEY', tokensUsed: 0, definitionFile: `.coditect/agents/${id}.json`, restarts: 0,
});

export const missingKey = 'no API key for anthropic: ANTHROPIC_API_KEY is not set in the environment; set ANTHROPIC_API_KEY.';
