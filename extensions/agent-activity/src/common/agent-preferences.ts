import { PreferenceContribution, PreferenceSchema, PreferenceScope } from '@theia/core';
import { interfaces } from '@theia/core/shared/inversify';
import { AgentOverridesPreference } from '@coditect/workspace-backend/types';

/**
 * `coditect.agents`: per-agent model, endpoint and limits, laid over `.coditect/agents/<id>.json`
 * by the workspace core (orchestrator/agent-overrides.ts reads the workspace's settings file;
 * environment variables STUDIO_AGENT_<ID>_* win over it). Workspace scope only: agents belong to
 * the workspace, not to one person. Changing it is an admin action, enforced in the backend.
 */
const AgentsPreference = AgentOverridesPreference;

const override = {
    type: 'object',
    additionalProperties: false,
    properties: {
        model: { type: 'string', description: 'The model this agent uses, e.g. claude-opus-4-1.' },
        baseUrl: { type: 'string', pattern: '^https?://', description: 'The vendor endpoint (a proxy or gateway).' },
        maxSteps: { type: 'integer', minimum: 1, description: 'Model turns per task.' },
        maxTokens: { type: 'integer', minimum: 1, description: 'Output tokens per model turn.' },
        temperature: { type: 'number', minimum: 0, maximum: 2, description: 'Sampling temperature.' },
    },
} as const;

const AgentPreferenceSchema: PreferenceSchema = {
    scope: PreferenceScope.Workspace,
    properties: {
        [AgentsPreference]: {
            type: 'object',
            default: {},
            scope: PreferenceScope.Workspace,
            additionalProperties: override,
            markdownDescription: 'Agents: per-agent settings over the definitions in `.coditect/agents/`, keyed by agent id, e.g. '
                + '`{ "claude": { "model": "claude-opus-4-1", "maxSteps": 20 } }`. Admins only; `STUDIO_AGENT_<ID>_*` environment variables win.',
        },
    },
};

export function bindAgentPreferences(bind: interfaces.Bind): void {
    bind(PreferenceContribution).toConstantValue({ schema: AgentPreferenceSchema });
}
