import { randomBytes, randomUUID } from 'node:crypto';
import { Principal, personPrincipal, Role } from '../policy/principal';
import { AGENT_TOKEN_PREFIX, hashAgentToken } from './agent-token';

/** Every terminal token starts so: an agent-token-shaped credential the front door sends to the same API-only path. */
export const TERMINAL_TOKEN_PREFIX = `${AGENT_TOKEN_PREFIX}term_`;
const TERMINAL_TOKEN_PATTERN = /^cdt_term_[A-Za-z0-9_-]{43}$/;

export const isTerminalToken = (credential: string): boolean => credential.startsWith(TERMINAL_TOKEN_PREFIX);

type Person = Extract<Principal, { kind: 'person' }>;

export interface IssuedTerminalToken {
    readonly id: string;
    readonly token: string;
}

export type TerminalTokenAuthentication =
    | { readonly ok: true; readonly principal: Person; readonly id: string }
    | { readonly ok: false; readonly message: string };

/**
 * Tokens for the `coditect` CLI in a studio terminal: one per terminal, issued for the person who
 * opened it when the terminal is created and revoked when it exits.
 *
 * Invariants:
 * - Held in memory only, as SHA-256 hashes: a terminal does not outlive the backend that runs
 *   its shell, so neither does its token; a restart ends them all, as it ends the terminals.
 * - A token acts as its person with the role they had when the terminal opened, on the studio's
 *   HTTP APIs only (the front door routes it as it routes agent tokens); it never signs in to the IDE.
 * - The secret is handed to the caller once, for the shell's environment, and never logged.
 */
export class TerminalTokens {
    protected readonly byHash = new Map<string, { readonly id: string; readonly principal: Person }>();

    /** A token for the person who opens a terminal, with the role they have now. */
    issue(person: { readonly id: string; readonly displayName: string; readonly role: Role }): IssuedTerminalToken {
        const token = `${TERMINAL_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
        const id = `term_${randomUUID().slice(0, 8)}`;
        this.byHash.set(hashAgentToken(token), { id, principal: personPrincipal(person) as Person });
        return { id, token };
    }

    /** Ends the token at once; revoking one that is gone is nothing. */
    revoke(id: string): void {
        for (const [hash, entry] of this.byHash) {
            if (entry.id === id) {
                this.byHash.delete(hash);
            }
        }
    }

    authenticate(credential: string): TerminalTokenAuthentication {
        const entry = TERMINAL_TOKEN_PATTERN.test(credential) ? this.byHash.get(hashAgentToken(credential)) : undefined;
        return entry
            ? { ok: true, principal: entry.principal, id: entry.id }
            : { ok: false, message: 'the terminal token is not one this studio issued, or its terminal has closed (a token lives as long as its terminal); open a new terminal in the studio' };
    }

    /** How many terminals hold a token now. */
    get count(): number {
        return this.byHash.size;
    }
}
