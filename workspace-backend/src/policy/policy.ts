import { describePrincipal, Principal, PrincipalKind, principalKindOf, subjectOf } from './principal';
import { grantAllows } from './grant';
import { ActionRule, PolicyAction, PolicyTable } from './policy-table';

/** What an action is done to, when the decision depends on it. */
export interface PolicyResource {
    /** What it is, for the refusal and the audit line: a path, a lock id, a task id, a database. */
    readonly target?: string;
    /** Who owns it (a lock's holder, a task's submitter), by principal id. */
    readonly ownerId?: string;
    readonly ownerKind?: PrincipalKind;
}

/** A resource owned by the principal `ownerId` names (a task by its submitter, a lock by its holder). */
export function ownedBy(ownerId: string | undefined, target?: string): PolicyResource {
    return { target, ownerId, ownerKind: principalKindOf(ownerId) };
}

export interface PolicyDecision {
    readonly allowed: boolean;
    readonly action: PolicyAction;
    /** Why it was refused, in words for the person refused; empty when allowed. */
    readonly reason: string;
}

/** Where audited decisions go (the core's `audit_log`); the policy imports nothing of the core. */
export interface PolicyAuditSink {
    record(entry: { userId?: string; userName?: string; action: string; target?: string; outcome: 'allowed' | 'refused'; detail?: string }): void;
}

/** A refusal: HTTP 403, and the message says who, what, and what to do instead. */
export class PolicyDeniedError extends Error {
    readonly status = 403;
    constructor(readonly decision: PolicyDecision) {
        super(decision.reason);
        this.name = 'PolicyDeniedError';
    }
}

export const Policy = Symbol('Policy');
/**
 * The one place that decides who may do what (policy-table.ts). Callers ask before they act;
 * audited actions are written to the audit log, allowed or refused, before the answer.
 */
export interface Policy {
    decide(principal: Principal, action: PolicyAction, resource?: PolicyResource, detail?: string): PolicyDecision;
    /** `decide`, throwing PolicyDeniedError when refused. */
    authorize(principal: Principal, action: PolicyAction, resource?: PolicyResource, detail?: string): void;
    /** Whether it would be allowed, without an audit line (for what a UI offers). */
    allows(principal: Principal, action: PolicyAction, resource?: PolicyResource): boolean;
}

export class PolicyImpl implements Policy {
    constructor(protected readonly audit?: () => PolicyAuditSink | undefined) { }

    decide(principal: Principal, action: PolicyAction, resource: PolicyResource = {}, detail?: string): PolicyDecision {
        const decision = judge(principal, action, resource);
        const rule: ActionRule = PolicyTable[action];
        if (rule.audited) {
            this.audit?.()?.record({
                userId: principal.id, userName: principal.displayName, action, target: resource.target,
                outcome: decision.allowed ? 'allowed' : 'refused', detail: decision.allowed ? detail : decision.reason,
            });
        }
        return decision;
    }

    authorize(principal: Principal, action: PolicyAction, resource?: PolicyResource, detail?: string): void {
        const decision = this.decide(principal, action, resource, detail);
        if (!decision.allowed) {
            throw new PolicyDeniedError(decision);
        }
    }

    allows(principal: Principal, action: PolicyAction, resource: PolicyResource = {}): boolean {
        return judge(principal, action, resource).allowed;
    }
}

/** The table's answer; pure. */
export function judge(principal: Principal, action: PolicyAction, resource: PolicyResource = {}): PolicyDecision {
    const rule: ActionRule | undefined = PolicyTable[action];
    if (!rule) {
        return { allowed: false, action, reason: `"${action}" is not an action the studio knows; nothing may do it.` };
    }
    const grant = rule.grants[subjectOf(principal)];
    const allowed = grantAllows(grant, principal.id, { id: resource.ownerId, isAgent: resource.ownerKind === 'agent' });
    if (allowed) {
        return { allowed, action, reason: '' };
    }
    const target = resource.target ? ` (${resource.target})` : '';
    const why = grant === undefined
        ? `only ${whoMay(rule)} may`
        : grant === 'own'
            ? `it belongs to ${resource.ownerId ?? 'someone else'}; only its owner${rule.grants.admin === 'any' ? ' or an admin' : ''} may`
            : `it belongs to ${resource.ownerId ?? 'someone else'}, not an agent; only an admin may`;
    return { allowed: false, action, reason: `${describePrincipal(principal)} may not ${rule.does}${target}: ${why}.` };
}

function whoMay(rule: ActionRule): string {
    const names: Record<string, string> = { developer: 'a developer', admin: 'an admin', agent: 'an agent', service: 'the studio itself' };
    const subjects = Object.keys(rule.grants).map(s => names[s]);
    return subjects.length === 0 ? 'nobody' : subjects.join(' or ');
}
