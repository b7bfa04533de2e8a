import type { TaskInfo } from '../orchestrator/task-repository';

/** Who wrote a message: a person, the agent (its reply to one task), or the studio (a task that failed or was cancelled). */
export type ChatRole = 'user' | 'agent' | 'system';

/** The person sending; `displayName` is how the agent is told who writes. */
export interface ChatUser {
    readonly id: string;
    readonly displayName: string;
}

export interface ChatMessage {
    readonly id: number;
    readonly conversationId: string;
    readonly agentId: string;
    readonly role: ChatRole;
    readonly text: string;
    /** The task the message started (user) or ended (agent, system). */
    readonly taskId?: number;
    /** Set on user messages. */
    readonly user?: ChatUser;
    /** Epoch ms. */
    readonly createdAt: number;
}

export interface ConversationSummary {
    readonly conversationId: string;
    readonly agentId: string;
    /** The first user message, cut to one line. */
    readonly title: string;
    readonly messageCount: number;
    readonly startedAt: number;
    readonly lastMessage: ChatMessage;
    /** Set while the agent has not answered the last user message yet: the task it works on. */
    readonly pendingTaskId?: number;
}

export interface SendResult {
    readonly conversationId: string;
    readonly task: TaskInfo;
    /** The user message as recorded (secrets masked). */
    readonly message: ChatMessage;
}

/** A request the chat cannot serve; the message says what was wrong and what to do. */
export class ChatError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'ChatError';
    }
}
