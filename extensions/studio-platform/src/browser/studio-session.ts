import { Emitter, Event } from '@theia/core/lib/common/event';
import { injectable, postConstruct } from '@theia/core/shared/inversify';
import { grantAllows } from '@coditect/workspace-backend/types';
import { SESSION_INFO_PATH, SessionInfo } from '../common/session-protocol';
import { studioUrl } from './studio-url';

export const StudioSession = Symbol('StudioSession');

/**
 * The signed-in person as the browser knows them: who, and what the policy grants them. Views ask
 * `allows` to offer only actions that would be allowed (no Cancel on someone else's task for a
 * developer); the backend decides every call regardless, so this is about not offering what would
 * be refused, never about enforcing.
 */
export interface StudioSession {
    /** Undefined until the studio has answered (or when it could not be asked). */
    readonly info: SessionInfo | undefined;
    readonly onDidChange: Event<SessionInfo | undefined>;
    /** Asks the studio again; 'signed-out' when the session has ended, 'unreachable' when the backend could not be reached. */
    refresh(): Promise<SessionInfo | 'signed-out' | 'unreachable'>;
    /** Whether the policy would let this person do `action` to something `ownerId` owns; false while unknown. */
    allows(action: string, ownerId?: string): boolean;
}

@injectable()
export class StudioSessionImpl implements StudioSession {

    protected current: SessionInfo | undefined;
    protected readonly onDidChangeEmitter = new Emitter<SessionInfo | undefined>();
    readonly onDidChange = this.onDidChangeEmitter.event;

    get info(): SessionInfo | undefined {
        return this.current;
    }

    @postConstruct()
    protected init(): void {
        void this.refresh();
    }

    async refresh(): Promise<SessionInfo | 'signed-out' | 'unreachable'> {
        let response: Response;
        try {
            response = await fetch(studioUrl(SESSION_INFO_PATH), { credentials: 'same-origin', cache: 'no-store' });
        } catch {
            return 'unreachable';
        }
        if (response.status === 401) {
            this.update(undefined);
            return 'signed-out';
        }
        if (!response.ok) {
            return 'unreachable';
        }
        const info = await response.json() as SessionInfo;
        this.update(info);
        return info;
    }

    allows(action: string, ownerId?: string): boolean {
        const info = this.current;
        return info !== undefined && grantAllows(info.grants[action], info.id, { id: ownerId, isAgent: ownerId?.startsWith('agent:') });
    }

    protected update(info: SessionInfo | undefined): void {
        this.current = info;
        this.onDidChangeEmitter.fire(info);
    }
}
