import * as React from '@theia/core/shared/react';
import { codicon, Message, ReactWidget } from '@theia/core/lib/browser';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { StudioViews } from '@coditect/studio-platform/common';
import type { ChangeApplyState, ChangeCommit, ChangeFileDetail, ChangeHunk, ChangeSetSummary, HunkReview, ReviewDecision, ReviewState } from '../common/change-review-protocol';
import { AgentChangeGroup } from './change-groups';
import { ChangeLabels } from './change-labels';
import { ChangesModel } from './changes-model';
import { hunkLocation } from './hunk-preview';

const K = 'coditect/change-review/';
const T = {
    acceptAll: () => nls.localize(`${K}accept-all`, 'Accept All'),
    rejectAll: () => nls.localize(`${K}reject-all`, 'Reject All'),
    accept: () => nls.localize(`${K}accept`, 'Accept'),
    reject: () => nls.localize(`${K}reject`, 'Reject'),
    openDiff: () => nls.localize(`${K}open-diff`, 'Open Diff'),
    comment: () => nls.localize(`${K}comment`, 'Comment: send it back to the agent as a follow-up task'),
    commentFile: () => nls.localize(`${K}comment-file`, 'Comment on this file: send it back to the agent as a follow-up task'),
    restoreTask: () => nls.localize(`${K}restore-before-task`, 'Restore the workspace to before this task (undoable)'),
    restoreFile: () => nls.localize(`${K}restore-file-before-task`, 'Restore this file to before the task (undoable)'),
    byCommand: () => nls.localize(`${K}by-command`, 'Changed by one of the task\'s commands'),
};

/**
 * The Changes view: every task's change set, grouped by agent; a task expands to its files, a file
 * to its hunks, each with Accept and Reject (and per task Accept All and Reject All, per file Open
 * Diff). Renders what `ChangesModel` holds; the model does the reviews.
 */
@injectable()
export class ChangesWidget extends ReactWidget {
    static readonly ID = StudioViews.changes;
    static readonly LABEL = nls.localize('coditect/change-review/view-title', 'Changes');

    @inject(ChangesModel) readonly model: ChangesModel;

    @postConstruct()
    protected init(): void {
        this.id = ChangesWidget.ID;
        this.title.label = ChangesWidget.LABEL;
        this.title.caption = nls.localize(`${K}view-caption`, 'The agents\' changes, task by task, to review');
        this.title.iconClass = codicon('git-compare');
        this.title.closable = true;
        this.addClass(StudioViews.changes);
        this.node.tabIndex = 0;
        this.toDispose.push(this.model);
        this.toDispose.push(this.model.onDidChange(() => this.update()));
    }

    /** Expands the task and scrolls to it; false when it has no change set. */
    async reveal(taskId: number): Promise<boolean> {
        if (!await this.model.reveal(taskId)) {
            return false;
        }
        this.update();
        // After React has rendered the expanded task.
        requestAnimationFrame(() => this.node.querySelector(`[data-task-id="${taskId}"]`)?.scrollIntoView({ block: 'nearest' }));
        return true;
    }

    protected override onActivateRequest(msg: Message): void {
        super.onActivateRequest(msg);
        this.node.focus();
    }

    protected render(): React.ReactNode {
        if (!this.model.ready) {
            return <div className='theia-widget-noInfo'>{nls.localize(`${K}loading`, 'Reading the agents\' changes…')}</div>;
        }
        if (this.model.error) {
            return <div className='theia-widget-noInfo coditect-changes-error'>
                {nls.localize(`${K}load-failed`, 'Could not read the changes: {0}', this.model.error)}
            </div>;
        }
        if (!this.model.groups.length) {
            return <div className='theia-widget-noInfo coditect-changes-empty'>{nls.localize(`${K}empty`,
                'Changes the agents make appear here, one entry per task, grouped by agent. Open a file\'s diff, then accept or reject the task, a file or a single hunk; rejecting restores what was there before.')}</div>;
        }
        return <div className='coditect-changes-list' role='tree' aria-label={ChangesWidget.LABEL}>{this.model.groups.map(group => this.renderGroup(group))}</div>;
    }

    protected renderGroup(group: AgentChangeGroup): React.ReactNode {
        return <section key={group.agentId} className='coditect-changes-agent' data-agent-id={group.agentId}>
            <div className='coditect-changes-agent-header'>
                <span className={codicon('hubot')} />
                <span className='coditect-changes-agent-name'>{ChangeLabels.agentName(group.agentId)}</span>
                <span className='coditect-changes-agent-count'>{nls.localize(`${K}task-count`, '{0} task(s)', group.changeSets.length)}</span>
            </div>
            {group.changeSets.map(set => this.renderTask(set))}
        </section>;
    }

    /** `nested`: shown under the task it was delegated from. */
    protected renderTask(set: ChangeSetSummary, nested = false): React.ReactNode {
        const expanded = this.model.isExpanded(set.taskId);
        const running = this.model.reviewRunning(set.taskId);
        const detail = expanded ? this.model.detail(set.taskId) : undefined;
        const subtasks = this.model.subtasks(set.taskId);
        const tree = set.tree;
        const decide = (decision: ReviewDecision) => () => this.model.review({ taskId: set.taskId, decision, ...(tree ? { withSubtasks: true } : {}) });
        const classes = ['coditect-change-task', nested ? 'nested' : '', this.model.revealed === set.taskId ? 'revealed' : ''].join(' ');
        return <div key={set.taskId} className={classes} data-task-id={set.taskId}>
            <div className='coditect-change-row coditect-change-task-row' role='treeitem' aria-expanded={expanded} onClick={() => this.model.toggleTask(set.taskId)}
                title={nls.localize(`${K}task-tooltip`, 'Task #{0}: {1}', set.taskId, set.title)}>
                <span className={`coditect-change-twistie ${codicon(expanded ? 'chevron-down' : 'chevron-right')}`} />
                <div className='coditect-change-task-text'>
                    <div className='coditect-change-task-line'>
                        <span className='coditect-change-task-id'>#{set.taskId}</span>
                        {nested && <span className='coditect-change-task-agent'>{ChangeLabels.agentName(set.agentId)}</span>}
                        <span className='coditect-change-title'>{set.title}</span>
                    </div>
                    <div className='coditect-change-task-meta'>
                        {set.taskStatus && <span className={`coditect-change-task-status status-${set.taskStatus}`}>{set.taskStatus}</span>}
                        {set.apply && this.renderApply(set.apply)}
                        {this.renderReview(tree?.review ?? set.review)}
                        {this.renderCounts(tree?.added ?? set.added, tree?.removed ?? set.removed)}
                        <span className='coditect-change-file-count'>{nls.localize(`${K}file-count`, '{0} file(s)', tree?.files ?? set.files.length)}</span>
                        {tree && <span className='coditect-change-tree' title={ChangeLabels.tree(tree.subtaskIds).tooltip}>
                            <span className={codicon('type-hierarchy-sub')} /> {ChangeLabels.tree(tree.subtaskIds).label}
                        </span>}
                        {!nested && set.parentTaskId !== undefined && <span className='coditect-change-parent' title={ChangeLabels.delegatedFrom(set.parentTaskId)}>
                            <span className={codicon('type-hierarchy-super')} /> #{set.parentTaskId}
                        </span>}
                        {set.commits && <span className='coditect-change-commit-count' title={ChangeLabels.committed(set.commits.length)}>
                            <span className={codicon('git-commit')} /> {nls.localize(`${K}commit-count`, '{0} commit(s)', set.commits.length)}
                        </span>}
                        {set.overlapsWith.length > 0 && <span className='coditect-change-flag'
                            title={nls.localize(`${K}overlaps-tooltip`, 'Tasks {0} changed the same lines of a file, or the same file at the same time; each file says where', set.overlapsWith.map(t => `#${t}`).join(', '))}>
                            <span className={codicon('warning')} /> {nls.localize(`${K}overlaps-badge`, 'overlaps {0}', set.overlapsWith.map(t => `#${t}`).join(' '))}
                        </span>}
                        {set.editedAfterRead && <span className='coditect-change-flag' title={set.editedAfterRead.map(e => ChangeLabels.readEdit(e, set.agentId)).join('\n')}>
                            <span className={codicon('eye')} /> {nls.localize(`${K}edited-after-read-badge`, 'edited after read')}
                        </span>}
                    </div>
                </div>
                <span className='coditect-change-actions'>
                    {running && <span className={`coditect-change-busy ${codicon('loading')} codicon-modifier-spin`} title={ChangeLabels.progress(running)} />}
                    {this.renderButton('check-all', tree ? ChangeLabels.decideTree('accept', tree.subtaskIds.length) : T.acceptAll(), !!running, decide('accept'))}
                    {this.renderButton('close-all', tree ? ChangeLabels.decideTree('reject', tree.subtaskIds.length) : T.rejectAll(), !!running, decide('reject'))}
                    {this.renderButton('history', T.restoreTask(), !!running, () => this.model.restoreBeforeTask(set.taskId))}
                </span>
            </div>
            {expanded && <div className='coditect-change-files' role='group'>
                {set.editedAfterRead?.map((edit, i) => <div key={`read-edit-${i}`} className='coditect-change-notice'>
                    <span className={codicon('eye')} /> {ChangeLabels.readEdit(edit, set.agentId)}
                </div>)}
                {set.commits && this.renderCommits(set.commits)}
                {detail
                    ? detail.files.map(file => this.renderFile(set.taskId, file, !!running, set.apply === 'waiting'))
                    : <div className='coditect-change-loading'>{nls.localize(`${K}loading-task`, 'Reading the task\'s files…')}</div>}
                {subtasks.length > 0 && <div className='coditect-change-subtasks' role='group'>
                    <div className='coditect-change-subtasks-header'>
                        <span className={codicon('type-hierarchy-sub')} /> {ChangeLabels.subtasksHeading(subtasks.length)}
                    </div>
                    {subtasks.map(subtask => this.renderTask(subtask, true))}
                </div>}
            </div>}
        </div>;
    }

    /** `waiting`: its change set has not landed, so only the whole set can be decided (its Accept and Reject are off). */
    protected renderFile(taskId: number, file: ChangeFileDetail, busy: boolean, waiting = false): React.ReactNode {
        const expanded = this.model.isFileExpanded(taskId, file.path);
        const slash = file.path.lastIndexOf('/');
        const name = file.path.slice(slash + 1);
        const folder = slash > 0 ? file.path.slice(0, slash) : '';
        const conflict = this.model.conflictOf(taskId, file.path);
        const decide = (decision: ReviewDecision) => () => this.model.review({ taskId, path: file.path, decision });
        return <div key={file.path} className='coditect-change-file' data-path={file.path}>
            <div className='coditect-change-row coditect-change-file-row' role='treeitem' aria-expanded={expanded} onClick={() => this.model.toggleFile(taskId, file.path)}
                title={`${file.path} (${ChangeLabels.status(file.status)}, ${ChangeLabels.review(file.review)})`}>
                <span className={`coditect-change-twistie ${codicon(expanded ? 'chevron-down' : 'chevron-right')}`} />
                <span className={`coditect-change-status status-${file.status}`} title={ChangeLabels.status(file.status)}>{ChangeLabels.statusLetter(file.status)}</span>
                <div className='coditect-change-file-text'>
                    <div className='coditect-change-path'>
                        <span className='coditect-change-name'>{name}</span>
                        {folder && <span className='coditect-change-folder'>{folder}</span>}
                    </div>
                    <div className='coditect-change-file-meta'>
                        {file.binary ? <span className='coditect-change-binary'>{nls.localize(`${K}binary`, 'binary')}</span> : this.renderCounts(file.added, file.removed)}
                        {this.renderReview(file.review)}
                        {file.origin === 'command' && <span className={`coditect-change-origin ${codicon('terminal')}`} title={T.byCommand()} />}
                        {file.renamedFrom && <span className='coditect-change-renamed' title={nls.localize(`${K}renamed-from`, 'Renamed from {0}', file.renamedFrom)}>
                            ← {file.renamedFrom}
                        </span>}
                        {file.overlaps?.map(overlap => <a key={`${overlap.taskId}-${overlap.kind}`} className='coditect-change-flag coditect-change-overlap' title={ChangeLabels.overlap(overlap)}
                            onClick={event => { event.stopPropagation(); this.reveal(overlap.taskId); }}>
                            <span className={codicon('warning')} /> #{overlap.taskId}{overlap.lines ? ` ${ChangeLabels.lines(overlap.lines)}` : ''}
                        </a>)}
                        {conflict && <span className='coditect-change-conflict' title={conflict}>
                            <span className={codicon('warning')} /> {nls.localize(`${K}conflict-badge`, 'conflict')}
                        </span>}
                    </div>
                </div>
                <span className='coditect-change-actions'>
                    {this.renderButton('diff', T.openDiff(), false, () => this.model.openDiff(taskId, file.path))}
                    {this.renderButton('check', waiting ? ChangeLabels.wholeSetOnly() : T.accept(), busy || waiting, decide('accept'))}
                    {this.renderButton('discard', waiting ? ChangeLabels.wholeSetOnly() : T.reject(), busy || waiting, decide('reject'))}
                    {this.renderButton('comment', T.commentFile(), false, () => this.model.comment(taskId, file.path))}
                    {this.renderButton('history', T.restoreFile(), busy, () => this.model.restoreBeforeTask(taskId, file.path))}
                </span>
            </div>
            {expanded && <div className='coditect-change-hunks' role='group'>
                {file.hunkList.length
                    ? file.hunkList.map(hunk => this.renderHunk(taskId, file, hunk, busy, waiting))
                    : <div className='coditect-change-loading'>{nls.localize(`${K}no-hunks`, 'No line changes (the file\'s content is the same before and after).')}</div>}
            </div>}
        </div>;
    }

    protected renderHunk(taskId: number, file: ChangeFileDetail, hunk: ChangeHunk, busy: boolean, waiting = false): React.ReactNode {
        const preview = this.model.preview(file, hunk);
        const decide = (decision: ReviewDecision) => () => this.model.review({ taskId, path: file.path, hunk: hunk.index, decision });
        return <div key={hunk.index} className={`coditect-change-hunk review-${hunk.review}`} data-hunk={hunk.index}>
            <div className='coditect-change-row coditect-change-hunk-row'>
                <span className='coditect-change-hunk-location'>{hunkLocation(hunk)}</span>
                {this.renderReview(hunk.review)}
                <span className='coditect-change-actions'>
                    {this.renderButton('check', waiting ? ChangeLabels.wholeSetOnly() : T.accept(), busy || waiting, decide('accept'))}
                    {this.renderButton('discard', waiting ? ChangeLabels.wholeSetOnly() : T.reject(), busy || waiting, decide('reject'))}
                    {this.renderButton('comment', T.comment(), false, () => this.model.comment(taskId, file.path, hunk))}
                </span>
            </div>
            <div className='coditect-change-preview' onClick={() => this.model.openDiff(taskId, file.path)} title={T.openDiff()}>
                {preview.removed.map((line, i) => <div key={`r${i}`} className='removed'>-{line}</div>)}
                {preview.moreRemoved > 0 && <div className='more'>{nls.localize(`${K}more-removed`, '…{0} more removed', preview.moreRemoved)}</div>}
                {preview.added.map((line, i) => <div key={`a${i}`} className='added'>+{line}</div>)}
                {preview.moreAdded > 0 && <div className='more'>{nls.localize(`${K}more-added`, '…{0} more added', preview.moreAdded)}</div>}
            </div>
        </div>;
    }

    /** The git commits the task's commands made, newest first; each opens its changes when source control is there to show them. */
    protected renderCommits(commits: readonly ChangeCommit[]): React.ReactNode {
        const openable = this.model.canOpenCommit;
        return <div className='coditect-change-commits' role='group'>
            <div className='coditect-change-commits-header'>
                <span className={codicon('git-commit')} /> {ChangeLabels.committed(commits.length)}
            </div>
            {commits.map(commit => <div key={commit.sha} className={`coditect-change-row coditect-change-commit${openable ? ' openable' : ''}`} data-sha={commit.sha}
                title={ChangeLabels.commit(commit, openable)} role={openable ? 'link' : undefined} onClick={openable ? () => this.model.openCommit(commit.sha) : undefined}>
                <span className='coditect-change-commit-sha'>{commit.sha.slice(0, 7)}</span>
                <span className='coditect-change-commit-subject'>{commit.subject}</span>
                <span className='coditect-change-commit-time'>{ChangeLabels.commitTime(commit.at)}</span>
            </div>)}
        </div>;
    }

    protected renderApply(state: ChangeApplyState): React.ReactNode {
        const { label, icon, tooltip } = ChangeLabels.apply(state);
        return <span className={`coditect-change-apply apply-${state}`} title={tooltip}>
            <span className={codicon(icon)} /> {label}
        </span>;
    }

    protected renderReview(state: ReviewState | HunkReview): React.ReactNode {
        return <span className={`coditect-change-review review-${state}`}>{ChangeLabels.review(state)}</span>;
    }

    protected renderCounts(added: number, removed: number): React.ReactNode {
        return <span className='coditect-change-counts'>
            <span className='added'>+{added}</span> <span className='removed'>−{removed}</span>
        </span>;
    }

    protected renderButton(icon: string, label: string, disabled: boolean, run: () => unknown): React.ReactNode {
        return <button type='button' className='coditect-change-action' title={label} aria-label={label} disabled={disabled}
            onClick={event => { event.stopPropagation(); run(); }}>
            <span className={codicon(icon)} />
        </button>;
    }
}
