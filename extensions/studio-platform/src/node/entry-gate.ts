import { EntryAction, gateDecision, PolicyDeniedError, Principal, WorkspaceCore } from '@coditect/workspace-backend';

/**
 * The policy's gate at an entry point (an RPC method, an HTTP route), for both kinds: undefined
 * when `who` may go in, else a rejection with the PolicyDeniedError. A refusal of an audited
 * action is written to the audit log (through the core's policy) before the rejection settles,
 * so the caller's error never arrives without its line.
 */
export function refusalAtGate(who: Principal, entry: EntryAction | undefined, what: string, core: () => Promise<WorkspaceCore>): Promise<never> | undefined {
    const refused = gateDecision(who, entry, what);
    if (!refused) {
        return undefined;
    }
    const error = new PolicyDeniedError(refused);
    if (entry === undefined || entry === 'connection') {
        return Promise.reject(error);
    }
    // The refusal stands whether or not the core could be reached to audit it.
    return core().then(c => c.policy.decide(who, entry, { target: what }), () => undefined).then(() => { throw error; });
}
