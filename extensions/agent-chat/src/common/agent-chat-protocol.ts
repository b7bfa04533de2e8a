import { RpcServer } from '@theia/core/lib/common/messaging/proxy-factory';
import type { BusMessage, ChatMessage, ConversationSummary } from '@coditect/workspace-backend/types';

export type { BusMessage, ChatMessage, ConversationSummary };

export const AGENT_CHAT_PATH = '/services/coditect/agent-chat';

/** A workspace agent as the chat lists it. */
export interface ChatableAgent {
    readonly id: string;
    readonly name: string;
    readonly vendor: string;
    readonly model: string;
    /** What a role agent is for; the chat shows it in the agent's description. */
    readonly description?: string;
}

/** What happens to a chat message's task, as the chat shows it. */
export type ChatTaskUpdate =
    | { readonly kind: 'queued'; readonly taskId: number; readonly position: number }
    | { readonly kind: 'started'; readonly taskId: number }
    | { readonly kind: 'text'; readonly taskId: number; readonly step: number; readonly text: string }
    | { readonly kind: 'tool-call'; readonly taskId: number; readonly callId: string; readonly name: string; readonly arguments: string; readonly finished: boolean; readonly result?: string; readonly isError?: boolean }
    | { readonly kind: 'waiting'; readonly taskId: number; readonly message: string }
    | { readonly kind: 'done'; readonly taskId: number; readonly summary: string }
    | { readonly kind: 'failed'; readonly taskId: number; readonly error: string }
    | { readonly kind: 'cancelled'; readonly taskId: number; readonly reason: string };

export interface AgentChatClient {
    onTaskUpdate(update: ChatTaskUpdate): void;
    /** A message on the workspace's bus, as it is published (the Message Bus view's live rows). */
    onBusMessage(message: BusMessage): void;
}

export const AgentChatService = Symbol('AgentChatService');
export interface AgentChatService extends RpcServer<AgentChatClient> {
    agents(): Promise<ChatableAgent[]>;
    /**
     * Sends a chat message to an agent: it becomes a task on that agent's queue, in the conversation of this chat session
     * with that agent, or in `conversationId` when the chat session continues an earlier conversation (from any browser).
     */
    send(agentId: string, chatSessionId: string, text: string, conversationId?: string): Promise<{ taskId: number }>;
    /** Every agent's conversations, the most recently active first: what "Continue Agent Conversation…" offers. */
    conversations(): Promise<ConversationSummary[]>;
    /** One conversation's messages, oldest first. */
    transcript(conversationId: string): Promise<ChatMessage[]>;
    cancel(taskId: number): Promise<void>;
    /** A message on the workspace's bus from the signed-in person, to one agent (`to`) or on a `topic`. */
    sendBusMessage(target: { readonly to?: string; readonly topic?: string }, text: string): Promise<BusMessage>;
    /** The bus's latest messages, newest last. */
    busMessages(limit: number): Promise<BusMessage[]>;
}
