/**
 * What a subject may do with an action:
 * - `any`: whatever the resource;
 * - `own`: only a resource the principal owns (its own lock, a task it submitted);
 * - `own-or-agents`: its own, or one an agent owns (a person may force-release an agent's lock);
 * - absent: never.
 *
 * Pure and without imports: the IDE's browser side evaluates the signed-in person's grants with
 * this same function (to offer only the actions the policy would allow), the core decides with it.
 */
export type Grant = 'any' | 'own' | 'own-or-agents';

/** Whether `grant` lets principal `principalId` act on a resource owned by `owner` (undefined: nobody's). */
export function grantAllows(grant: Grant | undefined, principalId: string, owner: { readonly id?: string; readonly isAgent?: boolean } = {}): boolean {
    const owns = owner.id !== undefined && owner.id === principalId;
    return grant === 'any' || (grant === 'own' && owns) || (grant === 'own-or-agents' && (owns || owner.isAgent === true));
}
