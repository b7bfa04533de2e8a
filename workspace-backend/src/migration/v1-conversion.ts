import type { ImportedUsageRow } from '../orchestrator/agent-repository';
import type { ResumableImport } from '../timeline/session-timeline';
import type { TimelineEventInput } from '../timeline/timeline-types';
import type { V1LogRecord, V1Profile, V1Session, V1UsageRecord } from './v1-reader';

/*
 * What each v1 record becomes in v2 (docs/v1-layout.md, "What becomes what"). Pure functions:
 * the migration writes what they return, and verify compares v2 with what they return, so both
 * sides agree by construction. One v1 log record is exactly one timeline event, which is what
 * lets a resumed run skip the events a session already holds.
 */

/** The timeline session of a v1 session: `v1-<id>` (v1 ids are at most 120 characters, so this is a valid session id). */
export const v2SessionId = (session: V1Session): string => `v1-${session.id}`;

/** Where an imported session says it came from; the same user and session always give the same source. */
export const sessionSource = (userId: string, session: V1Session): string => `v1:${userId}/${session.id}`;

/** The usage row's key: the v1 user and record. */
export const usageImportKey = (userId: string, record: V1UsageRecord): string => `v1:${userId}/${record.id}`;
export const usageKeyPrefix = (userId: string): string => `v1:${userId}/`;

const laneName = (agentId: string) => agentId.charAt(0).toUpperCase() + agentId.slice(1);

export function sessionImport(userId: string, session: V1Session): ResumableImport {
    return {
        id: v2SessionId(session), title: session.title, source: sessionSource(userId, session), startedAt: session.startedAt,
        endedAt: session.endedAt, lanes: session.agents.map(a => ({ id: a.id, name: laneName(a.id) })),
    };
}

export function timelineEvent(profile: V1Profile, session: V1Session, record: V1LogRecord): TimelineEventInput {
    switch (record.type) {
        case 'message':
            return record.role === 'user'
                ? { kind: 'chat-message', at: record.at, data: { role: 'user', text: record.text, conversationId: session.id, messageId: record.id, user: { id: profile.userId, displayName: profile.displayName } } }
                : {
                    kind: 'chat-message', at: record.at, ...(record.agent ? { agentId: record.agent } : {}),
                    data: { role: record.role === 'assistant' ? 'agent' : 'system', text: record.text, conversationId: session.id, messageId: record.id },
                };
        case 'tool_call':
            return {
                kind: 'tool-call', at: record.at, agentId: record.agent, ...pathOf(record.args),
                data: { phase: 'started', call: { id: record.callId, name: record.name, arguments: record.args as never } },
            };
        case 'tool_result':
            return {
                kind: 'tool-call', at: record.at, agentId: record.agent,
                data: { phase: 'finished', call: { id: record.callId, name: record.name, arguments: {} }, result: { content: record.output, isError: record.isError } },
            };
        case 'note':
            return { kind: 'note', at: record.at, data: { text: record.text, source: 'v1' } };
    }
}

export function usageRow(userId: string, record: V1UsageRecord): ImportedUsageRow {
    return {
        importKey: usageImportKey(userId, record), agentId: record.agent, provider: record.provider, model: record.model, at: record.at,
        usage: { inputTokens: record.inputTokens, outputTokens: record.outputTokens, cacheReadTokens: record.cacheReadTokens, cacheWriteTokens: record.cacheWriteTokens, reasoningTokens: 0 },
    };
}

/** A file tool's path, so the timeline's file filter finds the call. */
function pathOf(args: Record<string, unknown>): { path?: string } {
    return typeof args.path === 'string' && args.path ? { path: args.path } : {};
}
