import type { ChatMessage, ChatUser } from './chat-types';

export interface PromptLimits {
    /** Characters of earlier messages the prompt carries at most; older messages are left out first. */
    readonly maxHistoryChars: number;
    /** Earlier messages the prompt carries at most. */
    readonly maxHistoryMessages: number;
    /** One earlier message longer than this is cut (its head kept). */
    readonly maxMessageChars: number;
}

export const DefaultPromptLimits: PromptLimits = { maxHistoryChars: 16_000, maxHistoryMessages: 40, maxMessageChars: 4_000 };

const speaker = (m: ChatMessage): string => m.role === 'user' ? `${m.user?.displayName ?? 'user'} (user)` : m.role === 'agent' ? 'you' : 'studio';

const clip = (text: string, max: number): string => text.length <= max ? text : `${text.slice(0, max)}\n… (${text.length - max} more characters left out)`;

/**
 * The task prompt that lets an agent continue a conversation: the earlier messages (most recent
 * kept, oldest dropped first, within `limits`), then the new message whole. Invariant: the new
 * message is never cut, and the history never exceeds `maxHistoryChars` plus the clipping notes.
 */
export function conversationPrompt(history: readonly ChatMessage[], text: string, user: ChatUser, limits: PromptLimits = DefaultPromptLimits): string {
    const kept: string[] = [];
    let used = 0;
    for (let i = history.length - 1; i >= 0 && kept.length < limits.maxHistoryMessages; i--) {
        const entry = `--- ${speaker(history[i])}:\n${clip(history[i].text, limits.maxMessageChars)}`;
        if (used + entry.length > limits.maxHistoryChars) {
            break;
        }
        kept.unshift(entry);
        used += entry.length;
    }
    const left = history.length - kept.length;
    const parts = [`You are chatting with ${user.displayName} in the studio's chat.`];
    if (kept.length) {
        parts.push(`The conversation so far, oldest first${left ? ` (${left} earlier message${left === 1 ? '' : 's'} left out)` : ''}:\n\n${kept.join('\n\n')}`);
    }
    parts.push(`--- ${user.displayName} (user) now writes:\n${text}`);
    parts.push(`Do what the message asks, using the tools as needed; then call \`finish\` with your reply to ${user.displayName}.`);
    return parts.join('\n\n');
}
