import type { JsonObject, JsonValue, TimelineEventKind } from './timeline-types';

/** The longest summary kept; lists show one line. */
export const SummaryCap = 240;

const str = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: JsonValue | undefined): number | undefined => (typeof v === 'number' ? v : undefined);
const obj = (v: JsonValue | undefined): JsonObject | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined);

/** The first non-empty line of `text`, cut to the summary length. */
export function oneLine(text: string, cap = SummaryCap): string {
    const line = text.split('\n').map(l => l.trim()).find(l => l !== '') ?? '';
    const more = line !== text.trim();
    const cut = line.length > cap ? `${line.slice(0, cap - 1)}…` : line;
    return more && !cut.endsWith('…') ? `${cut} …` : cut;
}

/** 12345 as "12,345" (toLocaleString is slow in a loop over many events). */
const count = (n: number) => String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** What a tool call is about, in a few words: its file (workspace-relative when the event knows it), pattern or command. */
function toolTarget(args: JsonObject | undefined, path: string | undefined): string {
    if (path) {
        return ` ${oneLine(path, 80)}`;
    }
    if (!args) {
        return '';
    }
    const target = str(args.path) ?? str(args.file_path) ?? str(args.notebook_path) ?? str(args.pattern) ?? str(args.command) ?? str(args.url) ?? str(args.query)
        ?? str(args.agent) ?? str(args.to) ?? str(args.description);
    return target ? ` ${oneLine(target, 80)}` : '';
}

/**
 * One line for people about an event, stored beside it so that lists never read payloads.
 * `data` follows the shapes documented in docs/timeline-archive.md; anything unexpected falls
 * back to the kind and whatever text the event has.
 */
export function summarizeEvent(kind: TimelineEventKind, data: JsonObject, path?: string, agentId?: string): string {
    return oneLine(describe(kind, data, path, agentId) || kind);
}

function describe(kind: TimelineEventKind, data: JsonObject, path: string | undefined, agentId: string | undefined): string {
    switch (kind) {
        case 'chat-message': {
            const user = obj(data.user);
            const who = str(data.role) === 'user' ? (str(user?.displayName) ?? 'User') : str(data.role) === 'system' ? 'Studio' : 'Agent';
            return `${who}: ${str(data.text) ?? ''}`;
        }
        case 'task': {
            const task = obj(data.task);
            const change = str(data.change) ?? 'changed';
            const id = num(task?.id);
            const tail = change === 'done' ? str(task?.summary) : change === 'failed' || change === 'cancelled' || change === 'retrying' ? str(task?.error) : str(task?.title);
            return `Task${id !== undefined ? ` #${id}` : ''} ${change}${tail ? `: ${tail}` : ''}`;
        }
        case 'agent-state': {
            const waiting = obj(data.waitingOn);
            const why = str(waiting?.message) ?? str(data.reason);
            return `${str(data.from) ?? '?'} → ${str(data.to) ?? '?'}${why ? `: ${why}` : ''}`;
        }
        case 'tool-call': {
            const call = obj(data.call);
            const name = str(call?.name) ?? 'tool';
            const target = toolTarget(obj(call?.arguments), path);
            if (str(data.phase) !== 'finished') {
                return `${name}${target}`;
            }
            const result = obj(data.result);
            const ms = num(data.durationMs);
            const outcome = result ? `${result.isError === true ? '✗ ' : '→ '}${oneLine(str(result.content) ?? '', 100)}` : '';
            return `${name}${target} ${outcome}${ms !== undefined ? ` (${ms} ms)` : ''}`;
        }
        case 'model-turn':
            return `${data.reasoning === true ? '(thinking) ' : ''}${str(data.text) ?? ''}`;
        case 'usage': {
            const usage = obj(data.usage);
            const parts = [
                [num(usage?.inputTokens), 'in'], [num(usage?.outputTokens), 'out'],
                [num(usage?.cacheReadTokens), 'cache read'], [num(usage?.cacheWriteTokens), 'cache write'],
            ].filter(([n]) => typeof n === 'number' && n > 0).map(([n, label]) => `${count(n as number)} ${label}`);
            return `${str(data.model) ?? 'model'}: ${parts.join(' · ') || 'no tokens'}`;
        }
        case 'file-edit': {
            const change = str(data.change);
            const verb = change === 'create' ? 'Created' : change === 'delete' ? 'Deleted' : 'Edited';
            const added = num(data.added) ?? 0;
            const removed = num(data.removed) ?? 0;
            // An agent's lane names it; a person's save sits in the Studio lane, so the summary names them.
            const person = agentId ? undefined : str(data.by);
            return `${verb} ${str(data.path) ?? '?'} (+${added} −${removed})${person ? ` by ${person}` : ''}`;
        }
        case 'file-change':
            return describeFileChange(data);
        case 'lock': {
            const owner = str(obj(data.owner)?.displayName) ?? 'someone';
            const path = str(data.path) || '(workspace)';
            const mode = str(data.mode) === 'shared' ? 'read' : 'write';
            switch (str(data.change)) {
                case 'acquired': return `${owner} locked ${path} (${mode})${(num(data.waitedMs) ?? 0) > 0 ? ` after waiting ${num(data.waitedMs)} ms` : ''}`;
                case 'released': return `${owner} released ${path}`;
                case 'expired': return `${owner}'s lock on ${path} expired`;
                case 'force-released': return `${str(obj(data.by)?.displayName) ?? 'someone'} force-released ${owner}'s lock on ${path}${str(data.reason) ? `: ${str(data.reason)}` : ''}`;
                case 'waiting': return `${owner} waits for ${path} (${mode})`;
                case 'escalated': return `${owner} has waited long for ${path}`;
                case 'wait-ended': return `${owner} stopped waiting for ${path}: ${str(data.outcome) ?? 'ended'}`;
                case 'changed-outside': return `${path}, locked by ${owner}, was changed by ${str(obj(data.changedOutside)?.by) ?? 'someone else'}`;
                default: return `${owner}: ${str(data.change) ?? 'lock'} ${path}`;
            }
        }
        case 'message':
            return `${str(data.from) ?? '?'} → ${str(data.to) ?? str(data.topic) ?? '?'}: ${str(data.text) ?? ''}`;
        case 'cost': {
            const pico = str(data.costPico);
            const dollars = pico !== undefined && /^-?\d+$/.test(pico) ? Number(pico) / 1e12 : undefined;
            return `${str(data.model) ?? 'model'}: ${dollars === undefined ? 'no price' : `$${dollars < 0.01 ? dollars.toPrecision(2) : dollars.toFixed(4)}`}`;
        }
        case 'budget':
            return str(data.message) ?? `Budget ${str(data.kind) ?? 'event'}`;
        case 'workflow': {
            const steps = Array.isArray(data.steps) ? data.steps.map(obj) : [];
            const done = steps.filter(step => str(step?.status) === 'done').length;
            const run = `Workflow ${str(data.name) ?? '?'} #${num(data.runId) ?? '?'}${str(data.input) ? ` (${str(data.input)})` : ''}`;
            return str(data.status) === 'running' ? `${run}: ${done} of ${steps.length} steps done`
                : `${run} ${str(data.status) ?? 'ended'}${str(data.error) ? `: ${str(data.error)}` : ''}`;
        }
        case 'restart':
            return `Restart in ${num(data.delayMs) ?? 0} ms: ${str(data.reason) ?? ''}`;
        case 'definition': {
            const change = str(data.change);
            return change === 'invalid' ? `Invalid definition ${str(data.file) ?? ''}: ${str(data.error) ?? ''}` : `Definition ${change ?? 'changed'} (${str(data.file) ?? ''})`;
        }
        default:
            return str(data.summary) ?? str(data.message) ?? str(data.text) ?? kind;
    }
}

/** A `file-change` (docs/timeline-archive.md): who, what, which file or how many. */
function describeFileChange(data: JsonObject): string {
    const by = str(data.by) ?? 'someone';
    const total = num(data.count) ?? 1;
    if (total > 1 || data.bulk === true) {
        const counts = obj(data.counts);
        const parts = [['created', num(counts?.created)], ['updated', num(counts?.updated)], ['deleted', num(counts?.deleted)]]
            .filter(([, n]) => typeof n === 'number' && n > 0).map(([what, n]) => `${count(n as number)} ${what}`);
        return `${count(total)} files changed by ${by}${parts.length ? ` (${parts.join(', ')})` : ''}`;
    }
    const change = str(data.change);
    const verb = change === 'created' ? 'Created' : change === 'deleted' ? 'Deleted' : 'Changed';
    return `${verb} ${str(data.path) ?? '?'} by ${by}`;
}
