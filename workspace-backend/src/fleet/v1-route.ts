/**
 * Moving a CODITECT v1 user into a v2 workspace (docs/fleet.md, "Moving v1 users"). The workspace
 * is provisioned stopped for them (its StatefulSet carries the v1 user's id), an operator's tool
 * fills its bucket folder, and its route says where the person's v1 front door sends them:
 * - `v1`: not moved yet, v1 serves them as before; the v2 workspace stays closed to them;
 * - `frozen`: their data is being moved: v1 can be read, not changed, and v2 stays closed;
 * - `v2`: moved: v1's front door sends them to the workspace, which opens for them.
 */
export type V1Route = 'v1' | 'frozen' | 'v2';

export const V1Routes: readonly V1Route[] = ['v1', 'frozen', 'v2'];

export function isV1Route(value: unknown): value is V1Route {
    return typeof value === 'string' && (V1Routes as readonly string[]).includes(value);
}

/** A v1 user's id as the operator's tool names it: a safe annotation value and log word. */
const V1UserPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,119}$/;

export function isV1UserId(value: unknown): value is string {
    return typeof value === 'string' && V1UserPattern.test(value);
}
