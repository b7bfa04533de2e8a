import { agentPrincipal, Policy, Principal } from '../policy';
import {
    AgentTokenInfo, AgentTokenInputError, AgentTokenRequest, hashAgentToken, isWellFormedAgentToken, IssuedAgentToken,
    newAgentTokenSecret, normaliseAgentId, normaliseExpiryDays, normaliseLabel, UnknownAgentTokenError,
} from './agent-token';
import { AgentTokenRepository } from './agent-token-repository';

const DAY_MS = 24 * 60 * 60_000;

/** Why a presented agent token was not accepted; `message` is safe to show (it never contains the token). */
export type AgentTokenRejection = 'unknown' | 'revoked' | 'expired';

export type AgentTokenAuthentication =
    | { readonly ok: true; readonly principal: Principal; readonly token: AgentTokenInfo }
    | { readonly ok: false; readonly rejection: AgentTokenRejection; readonly message: string };

/**
 * Issuing, listing and revoking agent tokens, and authenticating them.
 *
 * Invariants:
 * - Issuing, listing and revoking are `token.manage` (admins), decided and audited by the policy
 *   before anything is read or written; the audit line names the agent and the token id, never
 *   the secret.
 * - `authenticate` reads the database on every call (a point query on the hash's index), so a
 *   revocation or expiry takes effect on the very next request; nothing caches a verdict.
 */
export class AgentTokens {
    constructor(protected readonly repository: AgentTokenRepository, protected readonly policy: Policy, protected readonly now: () => number = Date.now) { }

    issue(actor: Principal, request: AgentTokenRequest): IssuedAgentToken {
        // Input first, so a refusal's audit line names a well-formed target.
        const agentId = normaliseAgentId(request.agentId);
        const displayName = normaliseLabel(request.displayName, 'displayName');
        const label = normaliseLabel(request.label);
        const expiresInDays = normaliseExpiryDays(request.expiresInDays);
        const expiresAt = expiresInDays === undefined ? undefined : this.now() + Math.round(expiresInDays * DAY_MS);
        this.policy.authorize(actor, 'token.manage', { target: `agent:${agentId}` },
            `issue${label ? ` "${label}"` : ''}${expiresAt ? `, expires ${new Date(expiresAt).toISOString()}` : ', no expiry'}`);
        const token = newAgentTokenSecret();
        const info = this.repository.insert({ agentId, displayName, tokenHash: hashAgentToken(token), label, createdBy: actor.id, expiresAt });
        return { ...info, token };
    }

    list(actor: Principal, options: { readonly agentId?: string } = {}): AgentTokenInfo[] {
        const agentId = options.agentId === undefined ? undefined : normaliseAgentId(options.agentId);
        this.policy.authorize(actor, 'token.manage', { target: agentId ? `agent:${agentId}` : 'agent tokens' }, 'list');
        return this.repository.list({ agentId });
    }

    /** Revokes it at once; revoking a revoked token again answers it as it is. */
    revoke(actor: Principal, tokenId: string): AgentTokenInfo {
        if (typeof tokenId !== 'string' || !/^tok_[0-9a-f]{16}$/.test(tokenId)) {
            throw new AgentTokenInputError(`"${String(tokenId).slice(0, 40)}" is not a token id (they look like tok_0123456789abcdef); list the tokens to find it. A token's secret (cdt_…) is not its id.`);
        }
        const existing = this.repository.get(tokenId);
        this.policy.authorize(actor, 'token.manage', { target: existing ? `agent:${existing.agentId} (${tokenId})` : tokenId }, 'revoke');
        if (!existing) {
            throw new UnknownAgentTokenError(tokenId);
        }
        this.repository.revoke(tokenId, actor.id);
        return this.repository.get(tokenId)!;
    }

    /** The agent a presented token stands for, or why it is not accepted. */
    authenticate(credential: string): AgentTokenAuthentication {
        const token = isWellFormedAgentToken(credential) ? this.repository.findByHash(hashAgentToken(credential)) : undefined;
        if (!token) {
            return { ok: false, rejection: 'unknown', message: 'the agent token is not one this workspace issued (mistyped, or from another workspace); ask an admin for a new one' };
        }
        if (token.status === 'revoked') {
            return { ok: false, rejection: 'revoked', message: `the agent token ${token.id} for agent:${token.agentId} was revoked at ${new Date(token.revokedAt!).toISOString()}; ask an admin for a new one` };
        }
        if (token.status === 'expired') {
            return { ok: false, rejection: 'expired', message: `the agent token ${token.id} for agent:${token.agentId} expired at ${new Date(token.expiresAt!).toISOString()}; ask an admin for a new one` };
        }
        return { ok: true, principal: agentPrincipal(token.agentId, token.displayName), token };
    }
}
