import type { WorkspaceInfo } from './workspace-info';

export * from './v1-route';

/**
 * True while the person has not been moved (route `v1` or `frozen`): nothing of theirs may write to
 * the v2 workspace then, or the move would overwrite it (or a frozen user would bypass the freeze).
 */
export function awaitsCutover(workspace: WorkspaceInfo): boolean {
    return workspace.route === 'v1' || workspace.route === 'frozen';
}

/**
 * The person's migrated workspace: theirs, with a v1 user (at most one per person, the provision
 * makes sure). One being deleted is no longer anyone's move, as a new provision for the v1 user sees it.
 */
export function migratedWorkspaceOf(workspaces: readonly WorkspaceInfo[]): WorkspaceInfo | undefined {
    return workspaces.find(w => w.v1User !== undefined && w.state !== 'deleting');
}
