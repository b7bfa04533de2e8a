/**
 * Who is acting, as the credential says (never as a request says):
 * - a person signed in to the studio, with the role their credential carries;
 * - an agent: one of the studio's own agents, or an agent outside it (a CLI agent, a bot)
 *   acting with an agent token an admin issued for that agent id;
 * - a service: the studio's own machinery (the orchestrator, start-up, health probes).
 *
 * Ids are the form lock owners and the audit log use: `user:<name>`, `agent:<id>`, `service:<name>`.
 */
export type Role = 'developer' | 'admin';

export type Principal =
    | { readonly kind: 'person'; readonly id: string; readonly displayName: string; readonly role: Role }
    | { readonly kind: 'agent'; readonly id: string; readonly displayName: string }
    | { readonly kind: 'service'; readonly id: string; readonly displayName: string };

export type PrincipalKind = Principal['kind'];

/** The column of the policy table a principal is judged by. */
export type PolicySubject = Role | 'agent' | 'service';

export function subjectOf(principal: Principal): PolicySubject {
    return principal.kind === 'person' ? principal.role : principal.kind;
}

export function personPrincipal(user: { readonly id: string; readonly displayName: string; readonly role: Role }): Principal {
    return { kind: 'person', id: user.id, displayName: user.displayName, role: user.role };
}

/** The kind of principal an id names, by its prefix (`user:`, `agent:`, `service:`); undefined for anything else. */
export function principalKindOf(principalId: string | undefined): PrincipalKind | undefined {
    return principalId?.startsWith('user:') ? 'person' : principalId?.startsWith('agent:') ? 'agent' : principalId?.startsWith('service:') ? 'service' : undefined;
}

/** An agent's principal; `agentId` with or without its `agent:` prefix. */
export function agentPrincipal(agentId: string, displayName?: string): Principal {
    const id = agentId.startsWith('agent:') ? agentId : `agent:${agentId}`;
    return { kind: 'agent', id, displayName: displayName ?? id.slice('agent:'.length) };
}

/** The agent id in a principal's or lock owner's id (`agent:gemini` → `gemini`); any other id as it is. */
export function agentIdOf(id: string): string {
    return id.startsWith('agent:') ? id.slice('agent:'.length) : id;
}

export function servicePrincipal(name: string): Principal {
    return { kind: 'service', id: `service:${name}`, displayName: name };
}

export function describePrincipal(principal: Principal): string {
    return principal.kind === 'person' ? `${principal.displayName} (${principal.role})` : `${principal.kind} ${principal.displayName}`;
}
