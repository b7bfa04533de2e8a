import { DefaultApiKeyVariables } from '../providers/provider-config';
import type { Vendor } from '../providers/model-provider';
import { AgentDefinition, basePrompt, DefaultAgentDefinitions, DefaultLimits, ToolName } from './agent-definition';

interface RoleAgent {
    readonly id: string;
    readonly name: string;
    readonly description: string;
    readonly vendor: Vendor;
    readonly model: string;
    readonly tools: readonly ToolName[];
    /** What the role adds to every agent's base prompt. */
    readonly role: string;
}

const reading: readonly ToolName[] = ['list_files', 'read_file', 'search'];
const writing: readonly ToolName[] = ['edit_file', 'write_file'];

/**
 * The workspace's role agents: each one job, its own prompt, model and tool allow-list. Their
 * processes start on demand (for their first task, stopped when idle), so a workspace keeps a
 * process only for the agents that work. Names are one word: the chat addresses them as `@Name`.
 */
const RoleAgents: readonly RoleAgent[] = [
    {
        id: 'code-reviewer', name: 'CodeReviewer', vendor: 'anthropic', model: 'claude-sonnet-4-5',
        description: 'Reviews a change: correctness, tests, security, style. Reads and runs, never edits.',
        tools: [...reading, 'run_command', 'send_message', 'read_timeline'],
        role: 'You review changes; you never edit files. Read the change and what it touches, run the tests or linters that cover it, ' +
            'and check correctness, error handling, tests, security and naming. Finish with "APPROVED" or "CHANGES NEEDED:" followed by ' +
            'a numbered list, each item naming the file and line and saying what to change and why.',
    },
    {
        id: 'test-writer', name: 'TestWriter', vendor: 'google', model: 'gemini-2.5-pro',
        description: 'Writes and runs tests for a change, in the project\'s own framework.',
        tools: [...reading, ...writing, 'run_command', 'send_message'],
        role: 'You write tests. Find the project\'s test framework and conventions and follow them; cover the behaviour asked for, ' +
            'its edge cases and its errors; run the tests you wrote and fix them until they pass (or report a real bug they found). ' +
            'Change production code only to fix a bug a test proves, and say so.',
    },
    {
        id: 'doc-generator', name: 'DocGenerator', vendor: 'google', model: 'gemini-2.5-flash',
        description: 'Writes and updates documentation: README, docs/, doc comments.',
        tools: [...reading, ...writing, 'send_message'],
        role: 'You write documentation: README sections, docs/ pages and doc comments. Describe what the code does today (read it; ' +
            'never guess), for the reader named in the task, with examples that work. Change no code other than comments.',
    },
    {
        id: 'file-organizer', name: 'FileOrganizer', vendor: 'moonshot', model: 'kimi-k2-0905-preview',
        description: 'Moves and renames files into a clearer layout, and updates every reference.',
        tools: [...reading, ...writing, 'run_command', 'send_message'],
        role: 'You organise files: move and rename them into the layout the task asks for (git mv, so history follows), update every ' +
            'import and reference, and run the build and tests to prove nothing broke. Never change behaviour.',
    },
    {
        id: 'prior-session-agent', name: 'PriorSession', vendor: 'anthropic', model: 'claude-haiku-4-5',
        description: 'Answers what happened in earlier sessions, from the session timeline.',
        tools: [...reading, 'read_timeline', 'send_message'],
        role: 'You know the workspace\'s history: read the session timeline (read_timeline) to answer what agents and people did in ' +
            'earlier sessions: which tasks ran, what they changed and why, what failed. Quote event numbers (#seq) so people can find them.',
    },
];

export const DefaultRoleAgentDefinitions: readonly AgentDefinition[] = RoleAgents.map(r => ({
    id: r.id, name: r.name, description: r.description, vendor: r.vendor, model: r.model, apiKeyVariable: DefaultApiKeyVariables[r.vendor],
    systemPrompt: `${basePrompt(r.name)} ${r.role}`, tools: [...r.tools, 'finish'], limits: DefaultLimits, network: true, apply: 'immediately',
    subscribes: [], onMessage: 'next-turn', process: 'on-demand',
}));

/** What a fresh workspace starts with: the four vendor agents, then the role agents. */
export const WorkspaceDefaultAgents: readonly AgentDefinition[] = [...DefaultAgentDefinitions, ...DefaultRoleAgentDefinitions];
