import * as crypto from 'node:crypto';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { inject, injectable, postConstruct, preDestroy } from '@theia/core/shared/inversify';
import type { WebSessionRecord, WebSessionRepository } from '@coditect/workspace-backend';
import { StudioUser } from '../../common/studio-user';
import { WorkspaceCoreHost } from '../workspace-core-host';
import { AuthConfig } from './auth-config';
import { credentialFingerprint } from './credential-fingerprint';
import { AuthConfigValue } from './credential-verifier';

/** A session found for a cookie, or why there is none. */
export type SessionLookup =
    | { readonly ok: true; readonly user: StudioUser; readonly idHash: string; readonly expiresAt: number }
    /** `starting`: the stored sessions are not loaded yet (the workspace core is starting); ask again shortly. */
    | { readonly ok: false; /** Safe to show: never contains the id. */ readonly reason: string; readonly starting?: boolean };

export interface SessionEnd {
    /** SHA-256 hex of the session id (the only name of a session outside its cookie). */
    readonly idHash: string;
    readonly reason: 'signed-out' | 'expired' | 'evicted';
}

export const SessionStore = Symbol('SessionStore');
/**
 * Browser sessions: signing in makes one, its random id goes into the HttpOnly cookie, and every
 * later request names it. The token or JWT that signed in never leaves the sign-in request.
 */
export interface SessionStore {
    /** A new session for `user`; `credentialExpiresAt` (a JWT's `exp`, epoch ms) caps its life. The id is returned once, for the cookie. */
    create(user: StudioUser, options: { readonly credentialExpiresAt?: number; readonly client: string }): Promise<{ readonly id: string; readonly expiresAt: number }>;
    /** The live session `id` names, marking it used now. */
    resolve(id: string): Promise<SessionLookup>;
    /** Ends the session `id` names (sign-out); true when there was one. */
    revoke(id: string): Promise<boolean>;
    /** True while the session of this hash is live (not ended), without marking it used. */
    isLive(idHash: string): boolean;
    /** Fired for every session that ends in this process: signed out, expired, or evicted (past MAX_LIVE_SESSIONS). */
    readonly onDidEnd: Event<SessionEnd>;
}

/** Session ids are 32 random bytes, base64url (43 characters). */
const ID_BYTES = 32;
const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** More live sessions than this and the oldest is ended: memory stays bounded whatever signs in. */
const MAX_LIVE_SESSIONS = 10_000;

export function sessionIdHash(id: string): string {
    return crypto.createHash('sha256').update(id).digest('hex');
}

/**
 * The sessions of this studio, kept in memory for every request and written through to
 * `workspace.db` (`WebSessionRepository`), so a restart keeps people signed in.
 *
 * The workspace core starts asynchronously (restore from the replica can take a while), so until
 * it is ready: sign-ins and sign-outs work in memory and are written once it is; a cookie this
 * process does not know is looked up for up to `startupWaitMs` and then answered "starting" (a
 * 503 to ask again), never a 401 that would throw a still-valid session away. If the core failed
 * to start, or its workspace database is down, sessions live in memory alone (and end with the process).
 *
 * Invariants: the id exists in clear only in the cookie (memory and database hold its SHA-256);
 * a session is valid only under the credential fingerprint it was made under, before its absolute
 * end (which is never past the signing-in token's expiry) and within the idle limit; an ended
 * session is deleted, in memory at once and in the database as soon as it is reachable.
 */
@injectable()
export class SessionStoreImpl implements SessionStore {

    @inject(AuthConfigValue) protected readonly config: AuthConfig;
    @inject(WorkspaceCoreHost) protected readonly coreHost: WorkspaceCoreHost;

    /** How long a lookup of an unknown cookie waits for the stored sessions while the core starts. */
    protected startupWaitMs = 10_000;
    /** A session's last use is written to the database at most this often (memory always has it exactly). */
    protected touchIntervalMs = 60_000;
    protected sweepIntervalMs = 60_000;

    protected fingerprint: string;
    protected readonly live = new Map<string, MutableSession>();
    protected repository: WebSessionRepository | undefined;
    protected state: 'loading' | 'persisted' | 'memory-only' = 'loading';
    /** Writes made while the core starts, applied in order once it is ready. */
    protected pending: ((repository: WebSessionRepository) => void)[] = [];
    protected loaded: Promise<void>;
    protected sweeper: NodeJS.Timeout | undefined;
    protected readonly ended = new Emitter<SessionEnd>();
    readonly onDidEnd: Event<SessionEnd> = this.ended.event;

    @postConstruct()
    protected init(): void {
        this.fingerprint = credentialFingerprint(this.config);
        this.loaded = this.attach();
        this.sweeper = setInterval(() => this.sweep(), this.sweepIntervalMs);
        this.sweeper.unref();
    }

    @preDestroy()
    dispose(): void {
        clearInterval(this.sweeper);
        this.ended.dispose();
    }

    protected now(): number {
        return Date.now();
    }

    async create(user: StudioUser, options: { readonly credentialExpiresAt?: number; readonly client: string }): Promise<{ readonly id: string; readonly expiresAt: number }> {
        const now = this.now();
        const expiresAt = Math.min(now + this.config.sessionMaxMs, options.credentialExpiresAt ?? Number.POSITIVE_INFINITY);
        if (!(expiresAt > now)) {
            throw new Error('the credential has already expired; a session cannot outlive it');
        }
        const id = crypto.randomBytes(ID_BYTES).toString('base64url');
        const record: MutableSession = {
            idHash: sessionIdHash(id), userId: user.id, userName: user.displayName, role: user.role, fingerprint: this.fingerprint,
            createdAt: now, expiresAt, lastUsedAt: now, client: options.client, writtenLastUsedAt: now,
        };
        while (this.live.size >= MAX_LIVE_SESSIONS) {
            this.end(this.live.keys().next().value!, 'evicted');
        }
        this.live.set(record.idHash, record);
        this.write(repository => repository.insert(persisted(record)));
        return { id, expiresAt };
    }

    async resolve(id: string): Promise<SessionLookup> {
        if (!ID_PATTERN.test(id)) {
            return { ok: false, reason: 'the session cookie is not one this studio issues; sign in again' };
        }
        const idHash = sessionIdHash(id);
        if (!this.live.has(idHash) && this.state === 'loading') {
            await this.waitForStoredSessions();
            if (!this.live.has(idHash) && this.state === 'loading') {
                return { ok: false, starting: true, reason: 'the workspace is still starting and its sessions are not loaded yet; try again in a few seconds' };
            }
        }
        const session = this.live.get(idHash);
        if (!session) {
            return { ok: false, reason: 'the session has ended (signed out, expired, or the studio\'s token or key changed); sign in again' };
        }
        const now = this.now();
        const ending = this.endingOf(session, now);
        if (ending) {
            this.end(idHash, 'expired');
            return { ok: false, reason: ending };
        }
        session.lastUsedAt = now;
        if (now - session.writtenLastUsedAt >= Math.min(this.touchIntervalMs, this.config.sessionIdleMs / 4)) {
            session.writtenLastUsedAt = now;
            this.write(repository => repository.touch(idHash, now));
        }
        return { ok: true, idHash, expiresAt: session.expiresAt, user: { id: session.userId, displayName: session.userName, role: session.role } };
    }

    async revoke(id: string): Promise<boolean> {
        if (!ID_PATTERN.test(id)) {
            return false;
        }
        const idHash = sessionIdHash(id);
        const known = this.live.has(idHash);
        // Also written when not known yet (still loading): the stored row must not come back at load.
        this.end(idHash, 'signed-out');
        return known;
    }

    isLive(idHash: string): boolean {
        const session = this.live.get(idHash);
        return session !== undefined && this.endingOf(session, this.now()) === undefined;
    }

    /** Why the session has ended at `now`, or undefined while it is valid. */
    protected endingOf(session: WebSessionRecord, now: number): string | undefined {
        if (session.fingerprint !== this.fingerprint) {
            return 'the session was made under another token or key of the studio; sign in again';
        }
        if (now >= session.expiresAt) {
            return 'the session has expired (its time limit, or the token it was made with, ran out); sign in again';
        }
        if (now - session.lastUsedAt >= this.config.sessionIdleMs) {
            return 'the session has expired after being unused too long; sign in again';
        }
        return undefined;
    }

    /** Deletes the session everywhere; announced only when this process knew it live (so its websockets close). */
    protected end(idHash: string, reason: SessionEnd['reason']): void {
        const known = this.live.delete(idHash);
        this.write(repository => repository.delete(idHash));
        if (known) {
            this.ended.fire({ idHash, reason });
        }
    }

    /** Ends the expired and idle sessions (so their websockets close) and deletes their rows. */
    protected sweep(): void {
        this.noticeCoreFailure();
        const now = this.now();
        for (const [idHash, session] of [...this.live]) {
            if (this.endingOf(session, now)) {
                this.end(idHash, 'expired');
            }
        }
        this.write(repository => repository.deleteExpired(now, now - this.config.sessionIdleMs));
    }

    protected write(change: (repository: WebSessionRepository) => void): void {
        if (this.state === 'loading') {
            this.pending.push(change);
        } else if (this.repository) {
            try {
                change(this.repository);
            } catch (error) {
                // Memory stays right; the database catches up at the next write or start. Never logs an id: there is none here.
                console.error(`[studio] could not write a browser session to workspace.db: ${(error as Error).message}`);
            }
        }
    }

    /**
     * Once the core is ready: revoke the sessions of another credential configuration and the
     * expired ones, apply what happened meanwhile, then take the stored sessions into memory.
     */
    protected async attach(): Promise<void> {
        const core = await this.coreHost.ready;
        let repository: WebSessionRepository;
        try {
            repository = core.webSessions;
            const now = this.now();
            const revoked = repository.deleteOtherThan(this.fingerprint);
            if (revoked > 0) {
                console.info(`[studio] ${revoked} browser session(s) made under another token or key of the studio were revoked`);
            }
            repository.deleteExpired(now, now - this.config.sessionIdleMs);
            for (const change of this.pending) {
                try {
                    change(repository);
                } catch (error) {
                    console.error(`[studio] could not write a browser session to workspace.db: ${(error as Error).message}`);
                }
            }
            for (const record of repository.allOf(this.fingerprint)) {
                if (!this.live.has(record.idHash) && this.live.size < MAX_LIVE_SESSIONS) {
                    this.live.set(record.idHash, { ...record, writtenLastUsedAt: record.lastUsedAt });
                }
            }
        } catch (error) {
            this.pending = [];
            this.state = 'memory-only';
            console.error(`[studio] browser sessions are kept in memory only (they end when the studio stops): ${(error as Error).message}`);
            return;
        }
        this.pending = [];
        this.repository = repository;
        this.state = 'persisted';
    }

    /** Waits up to `startupWaitMs` for the stored sessions; a core that failed to start leaves sessions in memory. */
    protected async waitForStoredSessions(): Promise<void> {
        // Wall-clock time, not `now()`: this is how long a request waits, not a session's time.
        const deadline = Date.now() + this.startupWaitMs;
        while (this.state === 'loading' && Date.now() < deadline && !this.noticeCoreFailure()) {
            await Promise.race([this.loaded, new Promise(resolve => setTimeout(resolve, 250))]);
        }
    }

    /** True (and sessions are then kept in memory alone) when the core failed to start: its `ready` never resolves. */
    protected noticeCoreFailure(): boolean {
        if (this.state !== 'loading' || this.coreHost.startFailure === undefined) {
            return false;
        }
        this.state = 'memory-only';
        this.pending = [];
        console.error(`[studio] browser sessions are kept in memory only: the workspace core did not start (${this.coreHost.startFailure})`);
        return true;
    }
}

interface MutableSession extends WebSessionRecord {
    lastUsedAt: number;
    /** The last use the database has, so touches are written only now and then. */
    writtenLastUsedAt: number;
}

function persisted(session: MutableSession): WebSessionRecord {
    const { writtenLastUsedAt: _written, ...record } = session;
    return record;
}
