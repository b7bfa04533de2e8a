import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProviderFactory } from '../provider-factory';
import { scriptedProviderFactory, ScriptedTurnSpec } from './scripted-provider-factory';

/** A script file: the turns each task of an agent replays (`{"agents": {"claude": [turns...]}}`). */
export interface AgentScriptFile {
    readonly agents?: Readonly<Record<string, readonly ScriptedTurnSpec[]>>;
    /** For agents the file does not name. */
    readonly default?: readonly ScriptedTurnSpec[];
}

/**
 * Test code: scripted agents from a JSON script file, read once, now. A bad file throws, saying what
 * is wrong in it. An agent the file does not name (and no `default`) finishes at once, saying so.
 */
export function scriptedProviderFactoryFromFile(file: string): ProviderFactory {
    let script: AgentScriptFile;
    try {
        script = JSON.parse(fs.readFileSync(file, 'utf8')) as AgentScriptFile;
    } catch (error) {
        throw new Error(`the agent script ${file} could not be read as JSON: ${(error as Error).message}. Write a JSON file like {"agents": {"claude": [turns...]}}.`, { cause: error });
    }
    const named = script.agents ?? {};
    for (const [agentId, turns] of Object.entries(named)) {
        if (!Array.isArray(turns)) {
            throw new Error(`the agent script ${file}: "agents.${agentId}" must be a list of turns.`);
        }
    }
    return scriptedProviderFactory(definition => named[definition.id] ?? script.default ?? [
        { text: `${definition.name} has no scripted turns in ${path.basename(file)}.`, toolCalls: [{ name: 'finish', arguments: { summary: 'No scripted turns for this agent.' } }] },
    ]);
}
