import type { Grant } from './grant';
import type { PolicySubject } from './principal';

export type { Grant } from './grant';

export interface ActionRule {
    /** What the action does, as a refusal says it ("may not <does>"). */
    readonly does: string;
    readonly grants: Partial<Record<PolicySubject, Grant>>;
    /** Every decision, allowed or refused, goes to the audit log (admin actions and overrides). */
    readonly audited?: true;
}

/**
 * The one table of who may do what. Every RPC method, HTTP route and agent tool names one of
 * these actions (policy-coverage.spec.ts checks that none is left out); nothing else decides.
 */
export const PolicyTable = {
    'workspace.read': { does: 'see the workspace (files, agents, tasks, locks, timeline, costs)', grants: { developer: 'any', admin: 'any', agent: 'any', service: 'any' } },
    'terminal.open': { does: 'open a terminal in the workspace, whose `coditect` CLI acts in their name', grants: { developer: 'any', admin: 'any' } },
    'workspace.sync': { does: 'sync the workspace files with the replica now', grants: { developer: 'any', admin: 'any', service: 'any' } },
    'source-control.write': { does: 'change the workspace\'s git repository (stage, discard, commit, branches, pull and push)', grants: { developer: 'any', admin: 'any' } },
    'timeline.import': { does: 'import a transcript into the session timeline', grants: { developer: 'any', admin: 'any', service: 'any' } },
    'health.detail': { does: 'see the workspace\'s health in detail (folders, spend, errors)', grants: { admin: 'any', service: 'any' } },
    'metrics.read': { does: 'read the workspace\'s Prometheus metrics (activity and spend of every agent)', grants: { admin: 'any', service: 'any' } },

    'lock.acquire': { does: 'take a lock', grants: { developer: 'any', admin: 'any', agent: 'any', service: 'any' } },
    'lock.renew': { does: 'renew a lock', grants: { developer: 'own', admin: 'own', agent: 'own', service: 'own' } },
    'lock.release': { does: 'release a lock', grants: { developer: 'own', admin: 'own', agent: 'own', service: 'own' } },
    'lock.force-release': { does: 'force-release someone else\'s lock', grants: { developer: 'own-or-agents', admin: 'any', agent: 'own', service: 'any' }, audited: true },

    'change.review': { does: 'accept or reject an agent\'s changes (which writes the workspace files back)', grants: { developer: 'any', admin: 'any', service: 'any' } },
    'checkpoint.restore': { does: 'put the workspace\'s files back as they were at a checkpoint', grants: { developer: 'any', admin: 'any', service: 'any' }, audited: true },
    'task.submit': { does: 'give an agent a task', grants: { developer: 'any', admin: 'any', agent: 'any', service: 'any' } },
    'task.cancel': { does: 'cancel a task', grants: { developer: 'own', admin: 'any', agent: 'own', service: 'any' } },
    'task.reprioritise': { does: 'change a task\'s priority', grants: { developer: 'own', admin: 'any', agent: 'own', service: 'any' } },
    'agent.control': { does: 'pause, resume or restart an agent', grants: { developer: 'any', admin: 'any', service: 'any' } },
    'bus.send': { does: 'send a message to an agent or on a topic of the message bus', grants: { developer: 'any', admin: 'any', agent: 'any', service: 'any' } },
    'agent.configure': { does: 'change an agent\'s definition or the workflows', grants: { admin: 'any' }, audited: true },

    'budget.set': { does: 'set a budget', grants: { admin: 'any' }, audited: true },
    'budget.remove': { does: 'remove a budget', grants: { admin: 'any' }, audited: true },
    'prices.set': { does: 'change model prices', grants: { admin: 'any' }, audited: true },

    'sql.read': { does: 'query the workspace\'s databases', grants: { developer: 'any', admin: 'any' } },
    'sql.write': { does: 'change the workspace\'s databases', grants: { admin: 'any' }, audited: true },
    // The audit trail and credentials (sql-console/restricted-tables.ts): admins read them, and
    // only the studio's own code changes them, never a console script.
    'sql.read-restricted': { does: 'read the audit trail or credentials (audit_log, sql_write_audit, sql_history, tokens, web_sessions) in the SQL console', grants: { admin: 'any' }, audited: true },
    'sql.write-restricted': { does: 'change the audit trail or credentials (audit_log, sql_write_audit, sql_history, tokens, web_sessions) directly', grants: { service: 'any' }, audited: true },
    // The studio's own tables, indexes and triggers change only by its migrations and its repair at start.
    'sql.schema': { does: 'drop or alter the studio\'s own tables, indexes or triggers', grants: { service: 'any' }, audited: true },

    'token.manage': { does: 'issue, list or revoke agent tokens', grants: { admin: 'any' }, audited: true },
    // Keys are set and removed, never read back: the studio's own start-up (service) sets none.
    'provider-key.manage': { does: 'set or remove a model provider\'s API key', grants: { admin: 'any' }, audited: true },
} as const satisfies Record<string, ActionRule>;

export type PolicyAction = keyof typeof PolicyTable;

export const PolicyActions = Object.keys(PolicyTable) as PolicyAction[];
