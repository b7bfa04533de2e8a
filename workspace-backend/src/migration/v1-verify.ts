import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { DatabaseCluster } from '../database/database-cluster';
import { TokenUsageRepository } from '../orchestrator/agent-repository';
import { maskSecrets } from '../policy/secrets';
import { workspaceSecretValues } from '../providers/provider-secrets';
import { sanitizeObject } from '../timeline/event-payload';
import { TimelineRepository } from '../timeline/timeline-repository';
import { contentOf } from './file-placement';
import { sessionImport, timelineEvent, usageKeyPrefix, usageRow } from './v1-conversion';
import { V1ImportRepository } from './v1-import-repository';
import { V1Reader } from './v1-reader';
import { readV1User } from './v1-user';

export interface V1Difference {
    /** `session`, `event`, `file`, `usage`, `record` (a v1 record that did not convert). */
    readonly what: string;
    /** The v1 object or the v2 thing it is about. */
    readonly where: string;
    readonly difference: string;
}

export interface V1VerifyReport {
    readonly user: string;
    /** Everything v1 holds of the user that the migration must carry: sessions, events, files, usage records, and records that did not convert. */
    readonly checked: number;
    readonly matched: number;
    /** matched / checked, in percent; 100 only when nothing differs. */
    readonly integrityPct: number;
    readonly differences: readonly V1Difference[];
}

/** The most differences a report lists one by one (the counts are always exact). */
const MaxListed = 500;

/**
 * Compares v1 with the v2 workspace, both read afresh: every session and each of its events
 * (content hash of what the timeline stores, computed the way its writer stores it: masked, capped,
 * times never going back), every file (SHA-256, size, executable bit), every usage record (figures
 * and time) and its cost ledger entry. A v1 record that does not convert is a difference too: 100 %
 * means v2 holds everything v1 did.
 */
export async function verifyV1User(reader: V1Reader, userId: string, v2: { cluster: DatabaseCluster; workspaceDir: string }): Promise<V1VerifyReport> {
    const user = await readV1User(reader, userId);
    const differences: V1Difference[] = user.problems.map(p => ({ what: 'record', where: `${p.object}${p.line ? ` line ${p.line}` : ''}`, difference: `not migrated: ${p.problem}` }));
    let checked = user.problems.length;
    let matched = 0;
    const differ = (difference: V1Difference) => differences.push(difference);

    const timeline = new TimelineRepository(v2.cluster.get('sessions'));
    const secrets = workspaceSecretValues();
    for (const { session, records } of user.sessions) {
        const spec = sessionImport(userId, session);
        checked += 1 + records.length;
        const stored = timeline.session(spec.id);
        if (!stored) {
            differ({ what: 'session', where: session.meta.key, difference: `timeline session ${spec.id} is missing, with its ${records.length} event(s)` });
            continue;
        }
        if (stored.source === spec.source && stored.title === spec.title && (spec.endedAt === undefined || stored.endedAt !== undefined)) {
            matched++;
        } else {
            differ({ what: 'session', where: spec.id, difference: `holds source "${stored.source}", title "${stored.title}"${stored.endedAt === undefined ? ', not ended' : ''}; v1 says "${spec.source}", "${spec.title}"${spec.endedAt !== undefined ? ', ended' : ''}` });
        }
        let lastAt = spec.startedAt;
        for (let n = 0; n < records.length; n += 1000) {
            const rows = timeline.eventsFrom(spec.id, n, 1000);
            for (let i = 0; i < Math.min(1000, records.length - n); i++) {
                const event = timelineEvent(user.profile, session, records[n + i]);
                lastAt = Math.max(lastAt, event.at!);
                const expected = digest(event.kind, event.agentId, event.path && maskSecrets(event.path, secrets), lastAt, JSON.stringify(sanitizeObject(event.data, secrets)));
                const row = rows[i];
                if (row && digest(row.kind, row.agentId, row.path, row.at, row.dataJson) === expected) {
                    matched++;
                } else if (differences.length < MaxListed) {
                    differ({ what: 'event', where: `${spec.id} #${n + i}`, difference: row ? `differs from v1 record "${records[n + i].id}" (${row.kind} at ${new Date(row.at).toISOString()})` : `missing (v1 record "${records[n + i].id}")` });
                }
            }
        }
        if (stored.eventCount > records.length) {
            differ({ what: 'session', where: spec.id, difference: `holds ${stored.eventCount - records.length} event(s) v1 does not have` });
        }
    }

    const files = user.snapshot?.files ?? [];
    checked += files.length;
    for (const file of files) {
        const local = await contentOf(path.join(v2.workspaceDir, file.path));
        if (local === undefined || local === 'not-a-file') {
            differ({ what: 'file', where: file.path, difference: local ? 'something that is not a file is in its place' : 'missing' });
        } else if (local.sha256 !== file.sha256 || local.size !== file.size) {
            differ({ what: 'file', where: file.path, difference: `holds ${local.size} bytes, SHA-256 ${local.sha256.slice(0, 12)}…; v1 has ${file.size} bytes, ${file.sha256.slice(0, 12)}…` });
        } else if (file.executable && !(await isExecutable(path.join(v2.workspaceDir, file.path)))) {
            differ({ what: 'file', where: file.path, difference: 'is not executable; v1 had it executable' });
        } else {
            matched++;
        }
    }
    const placed = new V1ImportRepository(v2.cluster.get('workspace')).files(userId);
    const wanted = new Set(files.map(f => f.path));
    for (const rel of placed.keys()) {
        if (!wanted.has(rel)) {
            differ({ what: 'file', where: rel, difference: 'placed by an earlier run, and v1 no longer has it' });
        }
    }

    const metrics = v2.cluster.get('metrics');
    const imported = new Map(new TokenUsageRepository(metrics).importedRows(usageKeyPrefix(userId)).map(r => [r.importKey, r]));
    const priced = new Set(metrics.all<{ k: string }>(
        'SELECT u.import_key AS k FROM token_usage u JOIN cost_ledger c ON c.usage_id = u.id WHERE u.import_key >= ? AND u.import_key < ?', usageKeyPrefix(userId), `${usageKeyPrefix(userId)}\uffff`,
    ).map(r => r.k));
    checked += user.usage.length;
    for (const record of user.usage) {
        const expected = usageRow(userId, record);
        const row = imported.get(expected.importKey);
        if (!row) {
            differ({ what: 'usage', where: `${record.batch} ${record.id}`, difference: 'missing from token_usage' });
        } else if (!isDeepStrictEqual(row, expected)) {
            differ({ what: 'usage', where: `${record.batch} ${record.id}`, difference: `token_usage holds ${JSON.stringify(row)}; v1 has ${JSON.stringify(expected)}` });
        } else if (!priced.has(expected.importKey)) {
            differ({ what: 'usage', where: `${record.batch} ${record.id}`, difference: 'in token_usage but not in the cost ledger' });
        } else {
            matched++;
        }
        imported.delete(expected.importKey);
    }
    for (const extra of imported.keys()) {
        differ({ what: 'usage', where: extra, difference: 'in token_usage, but v1 has no such record' });
    }

    const integrityPct = checked === 0 ? 100 : Math.floor((matched / checked) * 100_000) / 1000;
    return { user: userId, checked, matched, integrityPct: differences.length ? Math.min(integrityPct, 99.999) : integrityPct, differences };
}

function digest(...fields: (string | number | undefined)[]): string {
    return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

async function isExecutable(file: string): Promise<boolean> {
    return ((await fs.promises.stat(file)).mode & 0o100) !== 0;
}
