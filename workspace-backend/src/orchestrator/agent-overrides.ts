import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseJsonc, ParseError } from 'jsonc-parser';
import { AgentDefinition, AgentLimits } from './agent-definition';
import { AgentOverridesPreference, WorkspaceSettingsFile } from './agent-overrides-preference';

/**
 * Per-agent settings layered over `.coditect/agents/<id>.json`: what an admin tunes without
 * editing the definition (model, endpoint, limits). Precedence, lowest first: the definition
 * file, the workspace preference `coditect.agents` (in `.theia/settings.json`, edited through
 * Theia's preferences), the environment (`STUDIO_AGENT_<ID>_MODEL`, ...), which an operator sets.
 */
export interface AgentOverride {
    readonly model?: string;
    readonly baseUrl?: string;
    readonly maxSteps?: number;
    readonly maxTokens?: number;
    readonly temperature?: number;
}
export type AgentOverrides = Readonly<Record<string, AgentOverride>>;

export { AgentOverridesPreference, WorkspaceSettingsFile };

export class AgentOverrideError extends Error { }

const NUMERIC: readonly (keyof AgentOverride)[] = ['maxSteps', 'maxTokens', 'temperature'];

/** Checks one agent's override; `where` names its source in the error ("coditect.agents.claude"). */
export function validateAgentOverride(value: unknown, where: string): AgentOverride {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new AgentOverrideError(`${where} must be an object like { "model": "...", "maxSteps": 20 }.`);
    }
    const result: Record<string, string | number> = {};
    for (const [key, raw] of Object.entries(value)) {
        if (key === 'model' || key === 'baseUrl') {
            if (typeof raw !== 'string' || raw.trim() === '') {
                throw new AgentOverrideError(`${where}.${key} must be a non-empty string.`);
            }
            if (key === 'baseUrl' && !/^https?:\/\//.test(raw)) {
                throw new AgentOverrideError(`${where}.baseUrl must be an http(s) URL, not "${raw}".`);
            }
            result[key] = raw;
        } else if ((NUMERIC as string[]).includes(key)) {
            const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
            const valid = typeof n === 'number' && Number.isFinite(n) && (key === 'temperature' ? n >= 0 && n <= 2 : Number.isInteger(n) && n > 0);
            if (!valid) {
                throw new AgentOverrideError(`${where}.${key} must be ${key === 'temperature' ? 'a number from 0 to 2' : 'a positive whole number'}, not ${JSON.stringify(raw)}.`);
            }
            result[key] = n as number;
        } else {
            throw new AgentOverrideError(`${where} has an unknown setting "${key}"; known: model, baseUrl, maxSteps, maxTokens, temperature.`);
        }
    }
    return result as AgentOverride;
}

/** The `coditect.agents` preference of the workspace, or `{}` when there is none; throws on a malformed value. */
export function readWorkspaceOverrides(workspaceDir: string): AgentOverrides {
    const file = path.join(workspaceDir, WorkspaceSettingsFile);
    let text: string;
    try {
        text = fs.readFileSync(file, 'utf8');
    } catch {
        return {};
    }
    const errors: ParseError[] = [];
    const settings = parseJsonc(text, errors, { allowTrailingComma: true }) as Record<string, unknown> | undefined;
    if (errors.length > 0 || typeof settings !== 'object' || settings === null) {
        throw new AgentOverrideError(`${WorkspaceSettingsFile} is not valid JSON with comments; fix it in the editor (Preferences: Open Workspace Preferences (JSON)).`);
    }
    return overridesOf(settings[AgentOverridesPreference], AgentOverridesPreference);
}

function overridesOf(value: unknown, where: string): AgentOverrides {
    if (value === undefined) {
        return {};
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new AgentOverrideError(`${where} must be an object keyed by agent id, like { "claude": { "model": "claude-opus-4-1" } }.`);
    }
    return Object.fromEntries(Object.entries(value).map(([agentId, override]) => [agentId, validateAgentOverride(override, `${where}.${agentId}`)]));
}

const ENV_KEYS: Readonly<Record<string, keyof AgentOverride>> = {
    MODEL: 'model', BASE_URL: 'baseUrl', MAX_STEPS: 'maxSteps', MAX_TOKENS: 'maxTokens', TEMPERATURE: 'temperature',
};

/** `STUDIO_AGENT_<ID>_<SETTING>` for every agent id (upper-cased, `-` as `_`). */
export function environmentOverrides(agentIds: readonly string[], env: NodeJS.ProcessEnv = process.env): AgentOverrides {
    const result: Record<string, AgentOverride> = {};
    for (const agentId of agentIds) {
        const prefix = `STUDIO_AGENT_${agentId.toUpperCase().replace(/-/g, '_')}_`;
        const raw: Record<string, string> = {};
        for (const [suffix, key] of Object.entries(ENV_KEYS)) {
            const value = env[prefix + suffix];
            if (value !== undefined && value !== '') {
                raw[key] = value;
            }
        }
        if (Object.keys(raw).length > 0) {
            result[agentId] = validateAgentOverride(raw, `${prefix}*`);
        }
    }
    return result;
}

/** `definition` with each override applied in order (later wins). */
export function applyAgentOverrides(definition: AgentDefinition, ...layers: (AgentOverride | undefined)[]): AgentDefinition {
    let result = definition;
    for (const layer of layers) {
        if (!layer) {
            continue;
        }
        const limits: AgentLimits = {
            ...result.limits,
            ...(layer.maxSteps !== undefined ? { maxSteps: layer.maxSteps } : {}),
            ...(layer.maxTokens !== undefined ? { maxTokens: layer.maxTokens } : {}),
            ...(layer.temperature !== undefined ? { temperature: layer.temperature } : {}),
        };
        result = { ...result, ...(layer.model ? { model: layer.model } : {}), ...(layer.baseUrl ? { baseUrl: layer.baseUrl } : {}), limits };
    }
    return result;
}
