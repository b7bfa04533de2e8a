import { randomUUID } from 'node:crypto';
import { Disposable, Emitter, Event } from '../common/emitter';
import type { SqliteDatabase } from '../database/sqlite-database';
import type { Orchestrator } from '../orchestrator/orchestrator';
import type { TaskInfo } from '../orchestrator/task-repository';
import { ChatError, ChatMessage, ChatUser, ConversationSummary, SendResult } from './chat-types';
import { conversationPrompt, DefaultPromptLimits, PromptLimits } from './conversation-prompt';
import { ConversationRepository } from './conversation-repository';
import { maskSecrets } from '../policy/secrets';
import { workspaceSecretValues } from '../providers/provider-secrets';
import { inSpan, SpanAttribute } from '../telemetry/tracing';

/** What the chat needs of the orchestrator. */
export type ChatOrchestrator = Pick<Orchestrator, 'submitTask' | 'getTask' | 'onEvent'>;

export interface ChatConversationsOptions {
    /** The sessions database. */
    readonly db: SqliteDatabase;
    readonly orchestrator: ChatOrchestrator;
    readonly promptLimits?: PromptLimits;
    /** Values masked before anything is written; default: the environment's API keys, tokens and passwords. */
    readonly secrets?: () => readonly string[];
    readonly now?: () => number;
}

/** A user message longer than this is refused (it would crowd out the agent's own context). */
export const MaxUserMessageChars = 100_000;

const ended = (task: TaskInfo | undefined): task is TaskInfo => task !== undefined && (task.status === 'done' || task.status === 'failed' || task.status === 'cancelled');

/**
 * Chat with one agent at a time, persisted in sessions.db so a conversation continues after a
 * reload, a restart or from another browser. Each user message becomes one task of the agent
 * whose prompt carries the conversation so far; when the task ends its reply (the model's text
 * of each turn, then the `finish` summary) is recorded, linked to the task.
 *
 * Invariants:
 * - Every user message that started a task gets exactly one reply row (agent or system), also
 *   for tasks that ended while the backend was down (`start()` records those).
 * - Nothing is written or sent to an agent before secrets are masked in it.
 */
export class ChatConversations implements Disposable {
    protected readonly messageAdded = new Emitter<ChatMessage>();
    /** Every message as it is recorded (user messages and replies), for live views. */
    readonly onMessage: Event<ChatMessage> = this.messageAdded.event;

    protected readonly repo: ConversationRepository;
    protected readonly limits: PromptLimits;
    protected readonly secrets: () => readonly string[];
    /** Model text of each turn of tasks the chat started, until the task ends (lost with the process: the summary still makes a reply). */
    protected readonly turnTexts = new Map<number, string[]>();
    protected readonly subscription: Disposable;

    constructor(protected readonly options: ChatConversationsOptions) {
        this.repo = new ConversationRepository(options.db, options.now);
        this.limits = options.promptLimits ?? DefaultPromptLimits;
        this.secrets = options.secrets ?? (() => workspaceSecretValues());
        this.subscription = options.orchestrator.onEvent(event => {
            if (event.type === 'model-turn' && this.turnTexts.has(event.taskId)) {
                this.turnTexts.get(event.taskId)!.push(event.text);
            } else if (event.type === 'task' && event.task.status === 'queued' && this.turnTexts.has(event.task.id)) {
                this.turnTexts.set(event.task.id, []); // a retry starts the reply over
            } else if (event.type === 'task' && ended(event.task)) {
                this.recordReply(event.task);
            }
        });
    }

    /** Records the replies of chat tasks that ended while the backend was down; the others are followed from now on. */
    start(): void {
        for (const taskId of this.repo.unansweredTasks()) {
            const task = this.options.orchestrator.getTask(taskId);
            if (ended(task)) {
                this.recordReply(task);
            } else if (task) {
                this.turnTexts.set(taskId, []);
            } else {
                const owner = this.repo.conversationOfTask(taskId)!;
                this.add({ ...owner, role: 'system', text: `Task ${taskId} no longer exists in tasks.db; send the message again.`, taskId });
            }
        }
    }

    /**
     * Records `text` from `user` in the conversation (a new one when `conversationId` is undefined)
     * and gives it to the agent as a task whose prompt carries the conversation so far.
     * Throws a ChatError for an empty or oversized message or a conversation of another agent,
     * and the orchestrator's error for an unknown agent.
     */
    send(agentId: string, conversationId: string | undefined, text: string, user: ChatUser, options: { readonly createIfMissing?: boolean } = {}): SendResult {
        // The root of the message's trace: the agent's task, its model requests and tools are its children.
        return inSpan('chat.message', { [SpanAttribute.agent]: agentId, [SpanAttribute.newConversation]: conversationId === undefined },
            () => this.sendNow(agentId, conversationId, text, user, options));
    }

    protected sendNow(agentId: string, conversationId: string | undefined, text: string, user: ChatUser, options: { readonly createIfMissing?: boolean }): SendResult {
        if (text.trim() === '') {
            throw new ChatError('The message is empty; write something for the agent to do.');
        }
        if (text.length > MaxUserMessageChars) {
            throw new ChatError(`The message has ${text.length} characters, more than ${MaxUserMessageChars}; attach large content as a workspace file and refer to it by path.`);
        }
        if (!user.id || !user.displayName) {
            throw new ChatError('A chat message needs a user with an id and a display name.');
        }
        // A caller that names its conversations (the IDE: one per chat session and agent) may
        // start one under its own id; everyone else gets an error for an id that does not exist.
        const isNew = conversationId === undefined || (options.createIfMissing === true && this.repo.agentOf(conversationId) === undefined);
        if (conversationId !== undefined && !isNew) {
            const owner = this.repo.agentOf(conversationId);
            if (owner === undefined) {
                throw new ChatError(`There is no conversation "${conversationId}"; send without a conversation id to start a new one.`);
            }
            if (owner !== agentId) {
                throw new ChatError(`Conversation "${conversationId}" is with agent "${owner}", not "${agentId}"; start a new conversation to talk to ${agentId}.`);
            }
        }
        const id = conversationId ?? randomUUID();
        const secrets = this.secrets();
        const safeText = maskSecrets(text, secrets);
        const history = isNew ? [] : this.repo.messages(id, this.limits.maxHistoryMessages);
        const prompt = conversationPrompt(history, safeText, { id: user.id, displayName: maskSecrets(user.displayName, secrets) }, this.limits);
        const task = this.options.orchestrator.submitTask(agentId, { prompt, title: safeText, submittedBy: user.id });
        this.turnTexts.set(task.id, []);
        const message = this.add({ conversationId: id, agentId, role: 'user', text: safeText, taskId: task.id, user });
        // A task can end inside submitTask (before its user row existed): record its reply now.
        const now = this.options.orchestrator.getTask(task.id);
        if (ended(now)) {
            this.recordReply(now);
        }
        return { conversationId: id, task, message };
    }

    /** The conversation's messages, oldest first; empty for an unknown id. */
    conversation(conversationId: string): ChatMessage[] {
        return this.repo.messages(conversationId);
    }

    /** The agent's conversations with their last message, the most recently active first. */
    conversations(agentId: string, limit = 100): ConversationSummary[] {
        return this.repo.summaries(agentId, limit);
    }

    dispose(): void {
        this.subscription.dispose();
        this.messageAdded.dispose();
    }

    protected add(message: Omit<ChatMessage, 'id' | 'createdAt'>): ChatMessage {
        const recorded = this.repo.insert({ ...message, text: maskSecrets(message.text, this.secrets()) });
        this.messageAdded.fire(recorded);
        return recorded;
    }

    /** Idempotent: a task gets one reply however often its end is seen. */
    protected recordReply(task: TaskInfo): void {
        const texts = (this.turnTexts.get(task.id) ?? []).map(t => t.trim()).filter(t => t !== '');
        this.turnTexts.delete(task.id);
        const owner = this.repo.conversationOfTask(task.id);
        if (!owner || this.repo.hasReply(task.id)) {
            return;
        }
        if (task.status === 'done') {
            const summary = task.result?.summary?.trim() ?? '';
            const parts = summary && texts.at(-1) !== summary ? [...texts, summary] : texts;
            this.add({ ...owner, role: 'agent', text: parts.join('\n\n') || '(the agent finished without a reply)', taskId: task.id });
            return;
        }
        if (texts.length) {
            // Model text before the failure is part of the reply; the system row below is the one that closes the task.
            this.add({ ...owner, role: 'agent', text: texts.join('\n\n') });
        }
        const why = task.result?.error ?? task.lastError ?? 'no reason recorded';
        this.add({ ...owner, role: 'system', text: `Task ${task.id} ${task.status === 'failed' ? 'failed' : 'was cancelled'}: ${why}`, taskId: task.id });
    }
}
