import { isTerminalToken, Principal } from '@coditect/workspace-backend';
import { inject, injectable } from '@theia/core/shared/inversify';
import { WorkspaceCoreHost } from '../workspace-core-host';

export type AgentVerification =
    | { readonly ok: true; readonly principal: Principal }
    /** `status`: 401 for a token that is not accepted, 503 when tokens cannot be checked now. `reason` never contains the token. */
    | { readonly ok: false; readonly status: 401 | 503; readonly reason: string };

export const AgentTokenVerifier = Symbol('AgentTokenVerifier');
/** Turns a presented agent token (`cdt_…`) into the agent it was issued for, or a terminal's token (`cdt_term_…`) into the person who opened the terminal, or says why not. */
export interface AgentTokenVerifier {
    verify(token: string): Promise<AgentVerification>;
}

/**
 * Asks the workspace core's token store (`WorkspaceCore.tokens`, in workspace.db) on every
 * request, so a revoked token stops working on the next request; nothing is cached here.
 */
@injectable()
export class AgentTokenVerifierImpl implements AgentTokenVerifier {

    @inject(WorkspaceCoreHost)
    protected readonly coreHost: WorkspaceCoreHost;

    async verify(token: string): Promise<AgentVerification> {
        if (this.coreHost.startFailure) {
            return { ok: false, status: 503, reason: `agent tokens cannot be checked: the workspace core did not start (${this.coreHost.startFailure})` };
        }
        const core = await this.coreHost.ready;
        if (isTerminalToken(token)) {
            const terminal = core.terminalTokens.authenticate(token);
            return terminal.ok ? { ok: true, principal: terminal.principal } : { ok: false, status: 401, reason: terminal.message };
        }
        let result;
        try {
            result = core.tokens.authenticate(token);
        } catch (error) {
            return { ok: false, status: 503, reason: `agent tokens cannot be checked right now: ${error instanceof Error ? error.message : String(error)}` };
        }
        return result.ok ? { ok: true, principal: result.principal } : { ok: false, status: 401, reason: result.message };
    }
}
