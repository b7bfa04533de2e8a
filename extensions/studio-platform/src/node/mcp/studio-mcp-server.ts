import { LockMode, lockOwnerOfPrincipal, PolicyAction, PolicyResource, Principal, WorkspaceCore } from '@coditect/workspace-backend';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { TaskSubmissionLimiter } from '../auth/task-submission-limiter';
import { submitTaskFor } from '../task-submission';

/** The reviewer a review request goes to when none is named: the workspace's role agent for reviews. */
const DefaultReviewer = 'code-reviewer';
/** The most of a change set's diffs a review request puts in the reviewer's prompt; the reviewer reads the rest with its tools. */
const MaxReviewDiffChars = 60_000;

const answer = (value: unknown): CallToolResult => ({ content: [{ type: 'text', text: JSON.stringify(value ?? null, null, 2) }] });
const refusal = (message: string): CallToolResult => ({ isError: true, content: [{ type: 'text', text: message }] });

/**
 * The studio's coordination tools for one caller (`principal`: what its credential says, an agent
 * token's agent or a person): locks, the message bus, tasks, change sets and review requests. Each
 * tool names its policy action and acts as the caller, exactly as the HTTP APIs and the studio's own
 * agents do (nothing in the arguments chooses who); a refusal or a bad argument is a tool error that
 * says what to do, never a protocol failure.
 */
export function createStudioMcpServer(core: WorkspaceCore, principal: Principal, limiter: TaskSubmissionLimiter): McpServer {
    const server = new McpServer({ name: 'coditect-studio', version: '1.0.0' }, {
        instructions: 'Coordinate with the agents and people of this CODITECT workspace: take an exclusive lock before editing a file and '
            + 'release it when done (locks are enforced: the studio\'s agents wait for yours), read and send messages on the bus, give agents tasks, '
            + 'and read what each task changed or ask a reviewer agent to review it.',
    });
    // registerTool's own generics recurse too deep over these schemas for TypeScript; each tool's
    // arguments are typed from its schema here instead.
    const register = server.registerTool.bind(server) as unknown as
        (name: string, config: { description: string; inputSchema: z.ZodRawShape }, callback: (args: never) => Promise<CallToolResult>) => void;
    const tool = <S extends z.ZodRawShape>(
        name: string, description: string, action: PolicyAction, inputSchema: S, run: (args: z.infer<z.ZodObject<S>>) => unknown,
        resourceOf?: (args: z.infer<z.ZodObject<S>>) => PolicyResource,
    ) => {
        register(name, { description, inputSchema }, async (args: z.infer<z.ZodObject<S>>) => {
            const decision = core.policy.decide(principal, action, resourceOf?.(args) ?? {});
            if (!decision.allowed) {
                return refusal(decision.reason);
            }
            try {
                return answer(await run(args));
            } catch (error) {
                return refusal(error instanceof Error ? error.message : String(error));
            }
        });
    };
    const owner = lockOwnerOfPrincipal(principal);

    tool('locks_list', 'The locks held now and the requests waiting for them.', 'workspace.read', {},
        () => ({ locks: core.locks.list(), waiters: core.locks.waiters() }));
    tool('lock_acquire', 'Take a lock on a workspace file or folder: "exclusive" to write it, "shared" to read it steadily. '
        + 'Waits up to waitMs (default 0: answers at once, naming the holders when it is taken).', 'lock.acquire', {
        path: z.string().describe('A path inside the workspace, e.g. src/a.ts'),
        mode: z.enum(['exclusive', 'shared']),
        waitMs: z.number().int().min(0).max(300_000).optional(),
        ttlMs: z.number().int().positive().optional().describe('How long the lock lasts unless renewed (default one hour).'),
    }, args => core.locks.acquire({ path: args.path, mode: args.mode as LockMode, owner, waitMs: args.waitMs ?? 0, ttlMs: args.ttlMs }));
    tool('lock_release', 'Release a lock you hold (by the id lock_acquire answered).', 'lock.release', { lockId: z.string() }, args => {
        core.locks.release(args.lockId, owner);
        return { released: args.lockId };
    }, args => {
        // The policy's `own`: judged on the lock's holder. An unknown lock is the lock manager's to answer (it says so).
        const lock = core.locks.get(args.lockId);
        return lock
            ? { target: lock.path || '/', ownerId: lock.owner.id, ownerKind: lock.owner.kind === 'human' ? 'person' : 'agent' }
            : { ownerId: principal.id, ownerKind: principal.kind };
    });
    tool('bus_read', 'Read the message bus: the latest messages, or those on a topic after an id (to follow it).', 'workspace.read', {
        topic: z.string().optional().describe('A topic, a prefix such as build/*, or * for all'),
        after: z.number().int().min(0).optional().describe('Only messages after this id, oldest first'),
        limit: z.number().int().min(1).max(500).optional(),
    }, args => ({ messages: core.orchestrator.bus.recent(args.limit ?? 50, { topic: args.topic, afterId: args.after ?? 0 }) }));
    tool('bus_send', 'Send a message to one agent (to) or publish it on a topic; the recipients read it on their next turn.', 'bus.send', {
        to: z.string().optional().describe('An agent id, e.g. gemini'),
        topic: z.string().optional().describe('Instead of to: a topic, e.g. reviews'),
        text: z.string(),
    }, args => core.orchestrator.publishMessage(principal, { to: args.to, topic: args.topic }, args.text));
    tool('task_create', 'Give one of the workspace\'s agents a task; it joins that agent\'s queue.', 'task.submit', {
        agent: z.string().describe('An agent id, e.g. codex'),
        prompt: z.string(),
        title: z.string().optional(),
        priority: z.number().int().optional(),
    }, args => submitTaskFor(core, limiter, principal, args.agent, { prompt: args.prompt, title: args.title, priority: args.priority }));
    tool('change_sets_list', 'The tasks\' change sets, newest first: what each task changed, its review state and overlaps.', 'workspace.read', {
        agent: z.string().optional(),
        limit: z.number().int().min(1).max(1000).optional(),
    }, args => ({ changeSets: core.changes.list({ agentId: args.agent, limit: args.limit ?? 50 }) }));
    tool('change_set_get', 'One task\'s change set with each file\'s unified diff and hunks, and the comments on it.', 'workspace.read',
        { taskId: z.number().int().positive() }, args => core.changes.get(args.taskId));
    tool('review_request', 'Ask a reviewer agent (by default the code-reviewer) to review what a task changed; answers the review task.', 'task.submit', {
        taskId: z.number().int().positive(),
        reviewer: z.string().optional(),
        note: z.string().optional().describe('What the reviewer should look at'),
    }, args => {
        const changeSet = core.changes.get(args.taskId);
        const diffs = changeSet.files.map(file => file.diff).join('\n');
        const prompt = [
            `Review the changes of task #${args.taskId} ("${changeSet.title}", by ${changeSet.agentId}), asked by ${principal.displayName}.`,
            ...(args.note ? [`They ask: ${args.note}`] : []),
            `Files: ${changeSet.files.map(file => file.path).join(', ') || '(none)'}.`,
            'The diffs:', diffs.length > MaxReviewDiffChars ? `${diffs.slice(0, MaxReviewDiffChars)}\n… (cut; read the files for the rest)` : diffs,
            'Finish with your verdict: approve, or request changes with what to change and where.',
        ].join('\n');
        return submitTaskFor(core, limiter, principal, args.reviewer ?? DefaultReviewer, { prompt, title: `Review of task #${args.taskId}` });
    });
    return server;
}
