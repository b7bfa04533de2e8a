import URI from '@theia/core/lib/common/uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import { EditorManager } from '@theia/editor/lib/browser/editor-manager';
import { MonacoDiffEditor } from '@theia/monaco/lib/browser/monaco-diff-editor';
import { fileLines } from '../common/change-hunk';
import { GitService } from '../common/git-protocol';
import { parseGitUri } from '../common/git-uri';
import { changesInSelection, indexPatch } from '../common/selected-ranges';

/** What the current diff editor shows, when Stage or Unstage Selected Ranges applies to it. */
interface RangesTarget {
    readonly editor: MonacoDiffEditor;
    readonly direction: 'stage' | 'unstage';
    /** The file, as the backend names it (its absolute path). */
    readonly path: string;
}

/**
 * Stage and Unstage Selected Ranges, as in VS Code: in the diff editor of a working-tree change (the
 * index against the file) the changes the selection touches go into the index; in the diff of a
 * staged file (HEAD against the index) they come back out. Only the index changes: the file on
 * disk stays as it is.
 */
@injectable()
export class GitSelectedRanges {

    @inject(EditorManager) protected readonly editors: EditorManager;
    @inject(GitService) protected readonly git: GitService;

    /** Whether the current editor is a diff this direction applies to. */
    appliesTo(direction: 'stage' | 'unstage'): boolean {
        return this.target()?.direction === direction;
    }

    /** Applies the selected changes to the index; false when the selection touches no change. */
    async apply(direction: 'stage' | 'unstage'): Promise<boolean> {
        const target = this.target();
        if (!target || target.direction !== direction) {
            return false;
        }
        const diff = target.editor.diffEditor;
        const left = diff.getOriginalEditor().getModel();
        const right = diff.getModifiedEditor().getModel();
        const selected = changesInSelection(diff.getLineChanges() ?? [], diff.getModifiedEditor().getSelections() ?? []);
        if (!left || !right || selected.length === 0) {
            return false;
        }
        await this.git.applyHunks(target.path, indexPatch(direction, fileLines(left.getValue()), fileLines(right.getValue()), selected), false);
        return true;
    }

    protected target(): RangesTarget | undefined {
        const editor = this.editors.currentEditor?.editor;
        if (!(editor instanceof MonacoDiffEditor)) {
            return undefined;
        }
        const left = parseGitUri(new URI(editor.originalModel.uri));
        const rightUri = new URI(editor.modifiedModel.uri);
        const right = parseGitUri(rightUri);
        if (left?.ref === '' && rightUri.scheme === 'file' && rightUri.path.fsPath() === left.path) {
            return { editor, direction: 'stage', path: left.path };
        }
        if (left?.ref === 'HEAD' && right?.ref === '' && right.path === left.path) {
            return { editor, direction: 'unstage', path: right.path };
        }
        return undefined;
    }
}
