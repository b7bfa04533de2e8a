import { injectable } from '@theia/core/shared/inversify';

const STORAGE_KEY = 'coditect.chat.conversationLinks';

/**
 * Which backend conversation a chat session continues, when it is not its own
 * (`<chatSessionId>:<agentId>`): a session opened with "Continue Agent Conversation…" sends to
 * the conversation picked, which may have been started in another browser. Kept in this
 * browser's local storage, so the link survives a reload.
 */
@injectable()
export class ConversationLinks {
    protected readonly links = new Map<string, string>(this.load());

    link(chatSessionId: string, conversationId: string): void {
        this.links.set(chatSessionId, conversationId);
        this.save();
    }

    conversationOf(chatSessionId: string): string | undefined {
        return this.links.get(chatSessionId);
    }

    protected load(): [string, string][] {
        try {
            const stored = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? '[]');
            return Array.isArray(stored) ? stored.filter(e => Array.isArray(e) && e.length === 2) : [];
        } catch {
            return [];
        }
    }

    protected save(): void {
        // Bounded: the most recent 200 links are plenty for one person's chat history.
        window.localStorage.setItem(STORAGE_KEY, JSON.stringify([...this.links].slice(-200)));
    }
}
