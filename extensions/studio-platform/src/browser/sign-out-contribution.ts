import { CommonMenus, FrontendApplicationContribution } from '@theia/core/lib/browser';
import { ConnectionStatus, ConnectionStatusService } from '@theia/core/lib/browser/connection-status-service';
import { WindowService } from '@theia/core/lib/browser/window/window-service';
import { Command, CommandContribution, CommandRegistry } from '@theia/core/lib/common/command';
import { StopReason } from '@theia/core/lib/common/frontend-application-state';
import { MenuContribution, MenuModelRegistry } from '@theia/core/lib/common/menu';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable } from '@theia/core/shared/inversify';
import { SIGN_IN_PATH, SIGN_OUT_PATH } from '../common/session-protocol';
import { studioCommand } from '../common/studio-command';
import { StudioSession } from './studio-session';
import { studioUrl } from './studio-url';

namespace SessionCommands {
    export const SIGN_OUT: Command = studioCommand('studio-platform', 'sign-out', { id: 'coditect.session.signOut', label: 'Sign Out' });
}

/** The last group of the File menu. */
const FILE_SIGN_OUT_GROUP = [...CommonMenus.FILE, '9_coditect_session'];

/**
 * The browser side of sessions: **Sign Out** (command palette, File menu) ends the server-side
 * session and goes to the sign-in page; and when the websocket drops, the studio is asked whether
 * the session still stands, so a session that was ended (signed out elsewhere, expired, the
 * studio's token changed) takes the page to sign in instead of "reconnecting" forever.
 */
@injectable()
export class SignOutContribution implements CommandContribution, MenuContribution, FrontendApplicationContribution {

    @inject(WindowService) protected readonly windowService: WindowService;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(ConnectionStatusService) protected readonly connectionStatus: ConnectionStatusService;
    @inject(StudioSession) protected readonly session: StudioSession;

    onStart(): void {
        this.connectionStatus.onStatusChange(status => {
            if (status === ConnectionStatus.OFFLINE) {
                this.checkSession();
            }
        });
    }

    registerCommands(commands: CommandRegistry): void {
        commands.registerCommand(SessionCommands.SIGN_OUT, { execute: () => this.signOut() });
    }

    registerMenus(menus: MenuModelRegistry): void {
        menus.registerMenuAction(FILE_SIGN_OUT_GROUP, { commandId: SessionCommands.SIGN_OUT.id, label: nls.localize('coditect/studio-platform/sign-out', 'Sign Out') });
    }

    /** Unsaved editors ask first (as a reload would); then the session ends on the server before the page leaves. */
    protected async signOut(): Promise<void> {
        if (!await this.windowService.isSafeToShutDown(StopReason.Close)) {
            return;
        }
        try {
            const response = await fetch(studioUrl(SIGN_OUT_PATH), { method: 'POST', credentials: 'same-origin', redirect: 'manual' });
            // 303 to the sign-in page is success (an opaque redirect under redirect: 'manual').
            if (response.type !== 'opaqueredirect' && !response.ok) {
                throw new Error(`the studio answered ${response.status}`);
            }
        } catch (error) {
            this.messages.error(nls.localize('coditect/studio-platform/sign-out-failed', 'Could not sign out: {0}. Your session is still active.', error instanceof Error ? error.message : String(error)));
            return;
        }
        this.leaveForSignIn();
    }

    protected async checkSession(): Promise<void> {
        // Unreachable (restarting, network): Theia keeps reconnecting; nothing to decide yet.
        if (await this.session.refresh() === 'signed-out') {
            this.leaveForSignIn();
        }
    }

    protected leaveForSignIn(): void {
        this.windowService.setSafeToShutDown();
        window.location.assign(studioUrl(SIGN_IN_PATH));
    }
}
