import * as path from 'node:path';
import { applyPatch } from 'diff';
import type { WriterInput } from './session-writer';
import type { JsonObject, JsonValue, TimelineEventInput } from './timeline-types';

/** The lane of the main agent of a Claude Code transcript, and of its sub-agents (Task tool; `isSidechain`). */
export const ClaudeCodeLane = { id: 'claude-code', name: 'Claude Code' } as const;
export const ClaudeCodeSubagentLane = { id: 'claude-code-subagent', name: 'Claude Code sub-agent' } as const;

/** Entry types that hold nothing for the timeline; counted in the report, not skipped. */
const IgnoredTypes: ReadonlySet<string> = new Set(['file-history-snapshot', 'queue-operation', 'progress']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** What one line gave: events, or why it was skipped or ignored. */
export type LineOutcome =
    | { readonly kind: 'events'; readonly inputs: WriterInput[] }
    | { readonly kind: 'skipped'; readonly reason: string }
    | { readonly kind: 'ignored'; readonly type: string };

interface PendingUsage {
    readonly messageId: string;
    readonly model: string;
    readonly agentId: string;
    readonly at: number | undefined;
    inputTokens: number;
    outputTokens: number;
    cacheReadTokens: number;
    cacheWriteTokens: number;
}

/**
 * Reads a Claude Code session transcript (`~/.claude/projects/<project>/<session>.jsonl`) one
 * line at a time into timeline events:
 *
 * - `user` lines: text becomes a `chat-message`; `tool_result` blocks finish their `tool-call`
 *   (matched by `tool_use_id`), and for Write, Edit and MultiEdit results (their
 *   `toolUseResult`) a `file-edit` with the content before and after.
 * - `assistant` lines: text and thinking become `model-turn`s, `tool_use` blocks start a
 *   `tool-call`. Claude Code writes one line per content block, each repeating the message's
 *   usage: one `usage` event is recorded per message id, after its last line.
 * - `system` lines become `note`s; `summary` lines give the session its title.
 * - Entry types known to hold nothing for the timeline are counted as ignored; unknown types,
 *   lines that are not JSON objects, and entries missing what their type needs are skipped
 *   with the reason. Nothing is dropped without a mention in the report.
 */
export class ClaudeCodeTranscriptReader {
    title: string | undefined;
    firstUserText: string | undefined;
    cwd: string | undefined;
    protected lastAt: number | undefined;
    protected readonly toolUses = new Map<string, { name: string; input: Obj }>();
    /** Content of files as the transcript last showed them (full reads, edits), for edits whose result lacks the content before. */
    protected readonly known = new Map<string, string>();
    protected pendingUsage: PendingUsage | undefined;

    read(text: string): LineOutcome {
        if (text.trim() === '') {
            return { kind: 'ignored', type: '(blank line)' };
        }
        let entry: unknown;
        try {
            entry = JSON.parse(text);
        } catch (error) {
            return { kind: 'skipped', reason: `not valid JSON (${(error as Error).message})` };
        }
        if (!isObj(entry)) {
            return { kind: 'skipped', reason: 'not a JSON object' };
        }
        const type = str(entry.type);
        if (type === undefined) {
            return { kind: 'skipped', reason: 'no "type" field; not a Claude Code transcript entry' };
        }
        const timestamp = str(entry.timestamp) !== undefined ? Date.parse(entry.timestamp as string) : NaN;
        const at = Number.isFinite(timestamp) ? timestamp : this.lastAt;
        this.cwd ??= str(entry.cwd);
        switch (type) {
            case 'summary':
                if (typeof entry.summary === 'string' && entry.summary.trim()) {
                    this.title ??= entry.summary.trim();
                }
                return { kind: 'ignored', type: 'summary (the session title)' };
            case 'user':
            case 'assistant':
            case 'system': {
                const outcome = type === 'user' ? this.user(entry, at) : type === 'assistant' ? this.assistant(entry, at) : this.system(entry, at);
                if (outcome.kind === 'events' && Number.isFinite(timestamp)) {
                    this.lastAt = timestamp;
                }
                return outcome;
            }
            default:
                return IgnoredTypes.has(type) ? { kind: 'ignored', type } : { kind: 'skipped', reason: `unknown entry type "${type}"` };
        }
    }

    /** Events still held back at the end of the transcript (the last message's usage). */
    finish(): WriterInput[] {
        return this.flushUsage();
    }

    protected lane(entry: Obj): string {
        return entry.isSidechain === true ? ClaudeCodeSubagentLane.id : ClaudeCodeLane.id;
    }

    protected user(entry: Obj, at: number | undefined): LineOutcome {
        const message = entry.message;
        if (!isObj(message) || (typeof message.content !== 'string' && !Array.isArray(message.content))) {
            return { kind: 'skipped', reason: 'a user entry without message.content' };
        }
        const agentId = this.lane(entry);
        const inputs: WriterInput[] = [...this.flushUsage()];
        const event = (e: Omit<TimelineEventInput, 'at' | 'agentId'>): WriterInput => ({ type: 'event', event: { ...e, agentId, at } });
        if (typeof message.content === 'string') {
            inputs.push(event(this.userText(entry, message.content)));
            return { kind: 'events', inputs };
        }
        const texts: string[] = [];
        for (const block of message.content) {
            if (!isObj(block)) {
                continue;
            }
            if (block.type === 'text' && typeof block.text === 'string') {
                texts.push(block.text);
            } else if (block.type === 'image') {
                texts.push('[image]');
            } else if (block.type === 'tool_result') {
                inputs.push(...this.toolResult(entry, block, agentId, at));
            }
        }
        if (texts.length) {
            inputs.push(event(this.userText(entry, texts.join('\n\n'))));
        }
        return inputs.length ? { kind: 'events', inputs } : { kind: 'skipped', reason: 'a user entry with no text or tool result in its content' };
    }

    protected userText(entry: Obj, text: string): Omit<TimelineEventInput, 'at' | 'agentId'> {
        if (entry.isCompactSummary === true) {
            return { kind: 'note', data: { text: `Conversation compacted: ${text}`, source: 'claude-code' } };
        }
        if (entry.isMeta === true) {
            return { kind: 'note', data: { text, source: 'claude-code', meta: true } };
        }
        this.firstUserText ??= text;
        return { kind: 'chat-message', data: { role: entry.isSidechain === true ? 'agent' : 'user', text, user: { id: 'user', displayName: entry.isSidechain === true ? 'Claude Code' : 'User' } } };
    }

    protected toolResult(entry: Obj, block: Obj, agentId: string, at: number | undefined): WriterInput[] {
        const id = str(block.tool_use_id) ?? '';
        const use = this.toolUses.get(id);
        this.toolUses.delete(id);
        const content = typeof block.content === 'string' ? block.content
            : Array.isArray(block.content) ? block.content.map(b => (isObj(b) && typeof b.text === 'string' ? b.text : isObj(b) && b.type === 'image' ? '[image]' : '')).join('\n') : '';
        const isError = block.is_error === true;
        const name = use?.name ?? 'tool';
        const inputs: WriterInput[] = [{
            type: 'event', event: {
                kind: 'tool-call', agentId, at, path: this.toolPath(use?.input),
                data: { phase: 'finished', call: { id, name, arguments: (use?.input ?? {}) as JsonObject }, result: { content, isError } },
            },
        }];
        const result = entry.toolUseResult;
        if (!isError && isObj(result)) {
            const edit = this.fileEdit(name, use?.input, result);
            if (edit) {
                inputs.push({ type: 'file-edit', edit: { ...edit, agentId, at, by: 'Claude Code' } });
                this.known.set(edit.path, edit.after);
            }
            this.remember(result);
        }
        return inputs;
    }

    /** The before and after of a Write, Edit or MultiEdit result, when the transcript gives enough to know them. */
    protected fileEdit(name: string, input: Obj | undefined, result: Obj): { path: string; before: string | undefined; after: string } | undefined {
        const file = str(result.filePath) ?? str(input?.file_path);
        if (!file) {
            return undefined;
        }
        const relative = this.relative(file);
        const original = str(result.originalFile) ?? str(result.originalFileContents) ?? this.known.get(relative);
        if (result.type === 'create' && typeof result.content === 'string') {
            return { path: relative, before: undefined, after: result.content };
        }
        if (result.type === 'update' && typeof result.content === 'string') {
            return original === undefined ? undefined : { path: relative, before: original, after: result.content };
        }
        if (original === undefined) {
            return undefined;
        }
        const edits = name === 'MultiEdit' || Array.isArray(result.edits)
            ? (Array.isArray(result.edits) ? result.edits : Array.isArray(input?.edits) ? input.edits as unknown[] : []).filter(isObj)
                .map(e => ({ oldText: str(e.old_string) ?? str(e.oldString), newText: str(e.new_string) ?? str(e.newString), all: e.replace_all === true || e.replaceAll === true }))
            : [{ oldText: str(result.oldString) ?? str(input?.old_string), newText: str(result.newString) ?? str(input?.new_string), all: result.replaceAll === true }];
        let after: string | undefined = original;
        for (const e of edits) {
            if (after === undefined || e.oldText === undefined || e.newText === undefined || e.oldText === '' || !after.includes(e.oldText)) {
                after = undefined;
                break;
            }
            after = e.all ? after.split(e.oldText).join(e.newText) : after.replace(e.oldText, () => e.newText!);
        }
        after ??= this.applyStructuredPatch(original, result.structuredPatch, relative);
        return after === undefined ? undefined : { path: relative, before: original, after };
    }

    protected applyStructuredPatch(original: string, hunks: unknown, file: string): string | undefined {
        if (!Array.isArray(hunks) || hunks.length === 0) {
            return undefined;
        }
        const patched = applyPatch(original, { oldFileName: file, newFileName: file, oldHeader: undefined, newHeader: undefined, hunks: hunks as never });
        return patched === false ? undefined : patched;
    }

    /** Keeps what a result shows of a file's whole content. */
    protected remember(result: Obj): void {
        const file = isObj(result.file) ? result.file : undefined;
        if (file && typeof file.filePath === 'string' && typeof file.content === 'string' && num(file.startLine) <= 1 && num(file.numLines) >= num(file.totalLines)) {
            this.known.set(this.relative(file.filePath), file.content);
        }
    }

    protected assistant(entry: Obj, at: number | undefined): LineOutcome {
        const message = entry.message;
        if (!isObj(message) || !Array.isArray(message.content)) {
            return { kind: 'skipped', reason: 'an assistant entry without message.content' };
        }
        const agentId = this.lane(entry);
        const messageId = str(message.id);
        const inputs: WriterInput[] = [];
        if (this.pendingUsage && this.pendingUsage.messageId !== messageId) {
            inputs.push(...this.flushUsage());
        }
        const model = str(message.model) ?? 'claude';
        if (model === '<synthetic>') {
            // Claude Code's own messages in the assistant's place (API errors, interruptions).
            const text = message.content.map(b => (isObj(b) && typeof b.text === 'string' ? b.text : '')).join('\n').trim();
            inputs.push({ type: 'event', event: { kind: 'note', agentId, at, data: { text: text || '(no text)', source: 'claude-code', level: 'error' } } });
            return { kind: 'events', inputs };
        }
        for (const block of message.content) {
            if (!isObj(block)) {
                continue;
            }
            if (block.type === 'text' && typeof block.text === 'string') {
                inputs.push({ type: 'event', event: { kind: 'model-turn', agentId, at, data: { text: block.text, model } } });
            } else if (block.type === 'thinking' && typeof block.thinking === 'string') {
                inputs.push({ type: 'event', event: { kind: 'model-turn', agentId, at, data: { text: block.thinking, model, reasoning: true } } });
            } else if (block.type === 'redacted_thinking') {
                inputs.push({ type: 'event', event: { kind: 'model-turn', agentId, at, data: { text: '(redacted thinking)', model, reasoning: true } } });
            } else if ((block.type === 'tool_use' || block.type === 'server_tool_use') && typeof block.name === 'string') {
                const input = isObj(block.input) ? block.input : {};
                const id = str(block.id) ?? '';
                this.toolUses.set(id, { name: block.name, input });
                inputs.push({
                    type: 'event', event: {
                        kind: 'tool-call', agentId, at, path: this.toolPath(input),
                        data: { phase: 'started', call: { id, name: block.name, arguments: input as JsonObject } },
                    },
                });
            }
        }
        const usage = message.usage;
        if (isObj(usage) && messageId) {
            const pending = this.pendingUsage ?? { messageId, model, agentId, at, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
            // Anthropic's convention is ours: input excludes cache reads and writes; output includes thinking.
            pending.inputTokens = Math.max(pending.inputTokens, num(usage.input_tokens));
            pending.outputTokens = Math.max(pending.outputTokens, num(usage.output_tokens));
            pending.cacheReadTokens = Math.max(pending.cacheReadTokens, num(usage.cache_read_input_tokens));
            pending.cacheWriteTokens = Math.max(pending.cacheWriteTokens, num(usage.cache_creation_input_tokens));
            this.pendingUsage = { ...pending, at: at ?? pending.at };
        }
        return inputs.length || isObj(usage) ? { kind: 'events', inputs } : { kind: 'skipped', reason: 'an assistant entry with no text, thinking, tool use or usage' };
    }

    protected system(entry: Obj, at: number | undefined): LineOutcome {
        const text = str(entry.content);
        if (text === undefined) {
            return { kind: 'skipped', reason: 'a system entry without content' };
        }
        return { kind: 'events', inputs: [...this.flushUsage(), { type: 'event', event: { kind: 'note', at, data: { text, source: 'claude-code', ...(str(entry.level) ? { level: str(entry.level)! } : {}), ...(str(entry.subtype) ? { subtype: str(entry.subtype)! } : {}) } } }] };
    }

    protected flushUsage(): WriterInput[] {
        const u = this.pendingUsage;
        this.pendingUsage = undefined;
        if (!u) {
            return [];
        }
        const usage: { [key: string]: JsonValue } = { inputTokens: u.inputTokens, outputTokens: u.outputTokens, cacheReadTokens: u.cacheReadTokens, cacheWriteTokens: u.cacheWriteTokens, reasoningTokens: 0 };
        return [{ type: 'event', event: { kind: 'usage', agentId: u.agentId, at: u.at, data: { model: u.model, usage, messageId: u.messageId } } }];
    }

    protected toolPath(input: Obj | undefined): string | undefined {
        const file = str(input?.file_path) ?? str(input?.notebook_path) ?? str(input?.path);
        return file ? this.relative(file) : undefined;
    }

    /** Paths inside the transcript's working folder become workspace-relative; others stay as they are. */
    protected relative(file: string): string {
        if (this.cwd && path.posix.isAbsolute(file)) {
            const rel = path.posix.relative(this.cwd, file);
            if (rel && !rel.startsWith('..') && !path.posix.isAbsolute(rel)) {
                return rel;
            }
        }
        return file;
    }
}
