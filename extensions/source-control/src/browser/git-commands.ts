import { codicon } from '@theia/core/lib/browser/widgets/widget';
import { studioCommand } from '@coditect/studio-platform/common';

const EXTENSION = 'source-control';

/** Every command of the Git provider; the SCM view's inline actions and the palette run these. */
export namespace GitCommands {
    export const INIT = studioCommand(EXTENSION, 'init', { id: 'coditect.git.init', label: 'Initialize Repository', iconClass: codicon('repo') });
    export const REFRESH = studioCommand(EXTENSION, 'refresh', { id: 'coditect.git.refresh', label: 'Refresh Source Control', iconClass: codicon('refresh') });
    export const COMMIT = studioCommand(EXTENSION, 'commit', { id: 'coditect.git.commit', label: 'Commit Staged Changes', iconClass: codicon('check') });
    export const STAGE = studioCommand(EXTENSION, 'stage', { id: 'coditect.git.stage', label: 'Stage Changes', iconClass: codicon('add') });
    export const STAGE_ALL = studioCommand(EXTENSION, 'stage-all', { id: 'coditect.git.stageAll', label: 'Stage All Changes', iconClass: codicon('add') });
    export const UNSTAGE = studioCommand(EXTENSION, 'unstage', { id: 'coditect.git.unstage', label: 'Unstage Changes', iconClass: codicon('remove') });
    export const UNSTAGE_ALL = studioCommand(EXTENSION, 'unstage-all', { id: 'coditect.git.unstageAll', label: 'Unstage All Changes', iconClass: codicon('remove') });
    export const DISCARD = studioCommand(EXTENSION, 'discard', { id: 'coditect.git.discard', label: 'Discard Changes', iconClass: codicon('discard') });
    export const OPEN_FILE = studioCommand(EXTENSION, 'open-file', { id: 'coditect.git.openFile', label: 'Open File', iconClass: codicon('go-to-file') });
    export const OPEN_CHANGES = studioCommand(EXTENSION, 'open-changes', { id: 'coditect.git.openChanges', label: 'Open Changes', iconClass: codicon('git-compare') });
    export const STAGE_CHANGE = studioCommand(EXTENSION, 'stage-change', { id: 'coditect.git.stageChange', label: 'Stage This Change', iconClass: codicon('add') });
    export const STAGE_SELECTED_RANGES = studioCommand(EXTENSION, 'stage-selected-ranges', { id: 'coditect.git.stageSelectedRanges', label: 'Stage Selected Ranges', iconClass: codicon('add') });
    export const UNSTAGE_SELECTED_RANGES = studioCommand(EXTENSION, 'unstage-selected-ranges', { id: 'coditect.git.unstageSelectedRanges', label: 'Unstage Selected Ranges', iconClass: codicon('remove') });
    export const SWITCH_BRANCH = studioCommand(EXTENSION, 'switch-branch', { id: 'coditect.git.switchBranch', label: 'Switch Branch…', iconClass: codicon('git-branch') });
    export const CREATE_BRANCH = studioCommand(EXTENSION, 'create-branch', { id: 'coditect.git.createBranch', label: 'Create Branch…', iconClass: codicon('git-branch') });
    export const PULL = studioCommand(EXTENSION, 'pull', { id: 'coditect.git.pull', label: 'Pull', iconClass: codicon('repo-pull') });
    export const PUSH = studioCommand(EXTENSION, 'push', { id: 'coditect.git.push', label: 'Push', iconClass: codicon('repo-push') });
    export const SYNC = studioCommand(EXTENSION, 'sync', { id: 'coditect.git.sync', label: 'Sync (Pull, then Push)', iconClass: codicon('sync') });
}
