import { EntryAction, Principal, WorkspaceCore } from '@coditect/workspace-backend';
import { refusalAtGate } from './entry-gate';

/**
 * A per-connection RPC service behind the policy's gate (policy/entry-policy.ts): every call by
 * name, whatever the browser sends, first passes `gateDecision` for the connection's person.
 *
 * Invariant: Theia's RPC calls any function property of the object it serves by name, helpers
 * and protected methods included; through this proxy only the methods `policy` names can be
 * called, and only by a principal the policy could allow. A refusal of an audited action is
 * written to the audit log (through the core's policy) before the error reaches the browser.
 */
export function gateRpcService<S extends object>(
    path: string, service: S, policy: Readonly<Record<string, EntryAction>>, principal: () => Principal, core: () => Promise<WorkspaceCore>,
): S {
    return new Proxy(service, {
        get(target, property, receiver) {
            const value = Reflect.get(target, property, receiver);
            if (typeof property !== 'string' || typeof value !== 'function') {
                return value;
            }
            const entry = Object.prototype.hasOwnProperty.call(policy, property) ? policy[property] : undefined;
            return function gated(this: unknown, ...args: unknown[]): unknown {
                const refusal = refusalAtGate(principal(), entry, `${path}#${property}`, core);
                return refusal ?? value.apply(target, args);
            };
        },
    });
}
