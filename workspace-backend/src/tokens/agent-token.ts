import { createHash, randomBytes } from 'node:crypto';
import { agentIdOf } from '../policy/principal';

/**
 * Agent tokens: credentials an admin issues for one agent outside the studio (a CLI agent, a
 * bot), so it acts on the studio's HTTP APIs as `agent:<id>` and as nothing else.
 *
 * Invariants:
 * - The secret exists in plaintext only in the answer to its creation; the database keeps its
 *   SHA-256 (`token_hash`), and nothing logs, audits or echoes a token.
 * - Every token starts with `AGENT_TOKEN_PREFIX`, so one pasted in the wrong place (a log, a
 *   commit) is recognisable, and the studio can tell it from a JWT without trying to parse it.
 */
export const AGENT_TOKEN_PREFIX = 'cdt_';

/** `cdt_` and 32 random bytes in base64url (43 characters). */
const TOKEN_PATTERN = /^cdt_[A-Za-z0-9_-]{43}$/;

/** Agent ids: what follows `agent:`, as the studio's own agents are named (`claude`, `my-bot`). */
const AGENT_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export const MAX_LABEL_LENGTH = 200;
export const MAX_EXPIRY_DAYS = 3650;

/** One token as it is listed: everything but the secret. Times are epoch milliseconds. */
export interface AgentTokenInfo {
    readonly id: string;
    /** Without the `agent:` prefix. */
    readonly agentId: string;
    /** What the studio shows for the agent; the agent id when none was given. */
    readonly displayName: string;
    readonly label: string;
    readonly createdAt: number;
    /** The principal id of the admin who issued it. */
    readonly createdBy: string;
    readonly expiresAt?: number;
    readonly revokedAt?: number;
    readonly revokedBy?: string;
    /** `active`, or why it no longer works (as of when it was read). */
    readonly status: 'active' | 'expired' | 'revoked';
}

/** The answer to a creation: the only time the secret is seen. */
export interface IssuedAgentToken extends AgentTokenInfo {
    readonly token: string;
}

export interface AgentTokenRequest {
    /** With or without the `agent:` prefix. */
    readonly agentId: string;
    readonly displayName?: string;
    readonly label?: string;
    /** Whole or fractional days from now; absent: the token does not expire. */
    readonly expiresInDays?: number;
}

/** Bad input to issuing or revoking a token: HTTP 400, CLI exit 2; the message says what to send instead. */
export class AgentTokenInputError extends Error {
    readonly status = 400;
    constructor(message: string) {
        super(message);
        this.name = 'AgentTokenInputError';
    }
}

/** No token with that id (revoking): HTTP 404. */
export class UnknownAgentTokenError extends Error {
    readonly status = 404;
    constructor(readonly tokenId: string) {
        super(`There is no agent token with id "${tokenId}"; list them (GET /coditect/api/tokens, or coditect-workspace token list) to find its id.`);
        this.name = 'UnknownAgentTokenError';
    }
}

export function newAgentTokenSecret(): string {
    return `${AGENT_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashAgentToken(token: string): string {
    return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Whether a credential is shaped like an agent token (it may still be unknown, revoked or expired). */
export function looksLikeAgentToken(credential: string): boolean {
    return credential.startsWith(AGENT_TOKEN_PREFIX);
}

export function isWellFormedAgentToken(credential: string): boolean {
    return TOKEN_PATTERN.test(credential);
}

/** The agent id without its prefix, or an error saying what an agent id looks like. */
export function normaliseAgentId(value: unknown): string {
    if (typeof value !== 'string' || value.trim() === '') {
        throw new AgentTokenInputError('"agentId" is required: the id of the agent the token is for, e.g. "my-bot" (it will act as agent:my-bot).');
    }
    const id = agentIdOf(value.trim());
    if (!AGENT_ID_PATTERN.test(id)) {
        throw new AgentTokenInputError(`"${id.slice(0, 80)}" is not an agent id: use 1 to 64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit (e.g. "my-bot").`);
    }
    return id;
}

export function normaliseLabel(value: unknown, name = 'label'): string {
    if (value === undefined || value === null) {
        return '';
    }
    if (typeof value !== 'string' || value.length > MAX_LABEL_LENGTH || hasControlCharacters(value)) {
        throw new AgentTokenInputError(`"${name}" must be text of at most ${MAX_LABEL_LENGTH} characters without control characters.`);
    }
    return value.trim();
}

export function normaliseExpiryDays(value: unknown): number | undefined {
    if (value === undefined || value === null) {
        return undefined;
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_EXPIRY_DAYS) {
        throw new AgentTokenInputError(`"expiresInDays" must be a number of days above 0 and at most ${MAX_EXPIRY_DAYS} (leave it out for a token that does not expire), not ${JSON.stringify(value)}.`);
    }
    return value;
}

function hasControlCharacters(value: string): boolean {
    return [...value].some(c => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
}
