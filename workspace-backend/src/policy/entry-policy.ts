import { judge, PolicyDecision } from './policy';
import { ActionRule, PolicyAction, PolicyTable } from './policy-table';
import { Principal, subjectOf } from './principal';

/** What an entry point (an RPC method, an HTTP route) does; `connection` for plumbing every connection needs (setClient, dispose). */
export type EntryAction = PolicyAction | 'connection';

/**
 * The action of every method of an RPC service, checked by the compiler: a method without one
 * does not compile. Methods the map does not name (an implementation's helpers, which Theia's
 * RPC would otherwise call by name) are refused at the gate.
 */
export type RpcPolicy<T> = {
    readonly [K in keyof T as NonNullable<T[K]> extends (...args: never[]) => unknown ? K : never]-?: EntryAction;
};

/**
 * The gate at an entry point: refuses a principal with no grant at all for the entry's action
 * (an admin action to a developer), and an unnamed method. It does not decide on a particular
 * resource: a grant of `own` passes the gate, and the method asks the policy with the resource
 * (whose lock, whose task). Returns undefined when the call may go in.
 */
export function gateDecision(principal: Principal, entry: EntryAction | undefined, what: string): PolicyDecision | undefined {
    if (entry === undefined) {
        return { allowed: false, action: 'workspace.read', reason: `${what} is not an entry point this studio offers; nothing was done.` };
    }
    if (entry === 'connection' || (PolicyTable[entry] as ActionRule).grants[subjectOf(principal)] !== undefined) {
        return undefined;
    }
    return judge(principal, entry, { target: what });
}
