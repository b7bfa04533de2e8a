import { AbstractViewContribution, open, OpenerService } from '@theia/core/lib/browser';
import { DiffUris } from '@theia/core/lib/browser/diff-uris';
import { QuickInputService } from '@theia/core/lib/browser/quick-input/quick-input-service';
import { CommandRegistry } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable } from '@theia/core/shared/inversify';
import { FileDialogService } from '@theia/filesystem/lib/browser';
import { ImportReport, SessionTimelineService } from '../common/session-timeline-protocol';
import { TimelineUri } from '../common/timeline-uri';
import { SessionTimelineClientImpl } from './session-timeline-client-impl';
import { SessionTimelineCommands } from './session-timeline-commands';
import { SessionTimelineWidget } from './session-timeline-widget';
import { TimelineLabels } from './timeline-labels';

interface FileAtArgs {
    readonly sessionId: string;
    readonly path: string;
    readonly seq: number;
}

const isFileAtArgs = (a: unknown): a is FileAtArgs => {
    const o = a as FileAtArgs | undefined;
    return typeof o?.sessionId === 'string' && typeof o.path === 'string' && Number.isSafeInteger(o.seq);
};

/**
 * "Session Timeline" in the View menu and the commands around it: show, import a transcript (file
 * dialog, progress, a report of skipped lines), reveal a task or an agent (for other views), open
 * an edit's diff or a file as it was, and the workspace at the selected point.
 */
@injectable()
export class SessionTimelineViewContribution extends AbstractViewContribution<SessionTimelineWidget> {

    @inject(SessionTimelineService) protected readonly service: SessionTimelineService;
    @inject(SessionTimelineClientImpl) protected readonly client: SessionTimelineClientImpl;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(QuickInputService) protected readonly quickInput: QuickInputService;
    @inject(FileDialogService) protected readonly fileDialog: FileDialogService;
    @inject(OpenerService) protected readonly openers: OpenerService;

    constructor() {
        super({
            widgetId: SessionTimelineWidget.ID,
            widgetName: SessionTimelineWidget.LABEL,
            defaultWidgetOptions: { area: 'main' },
            toggleCommandId: 'coditect.timeline.toggle',
        });
    }

    override registerCommands(commands: CommandRegistry): void {
        super.registerCommands(commands);
        commands.registerCommand(SessionTimelineCommands.SHOW, { execute: () => this.openView({ activate: true, reveal: true }) });
        commands.registerCommand(SessionTimelineCommands.IMPORT, { execute: () => this.importTranscript() });
        commands.registerCommand(SessionTimelineCommands.REVEAL_TASK, { execute: (arg?: { taskId?: unknown }) => this.revealTask(arg?.taskId) });
        commands.registerCommand(SessionTimelineCommands.REVEAL_AGENT, { execute: (arg?: { agentId?: unknown }) => this.revealAgent(arg?.agentId) });
        commands.registerCommand(SessionTimelineCommands.SHOW_WORKSPACE_AT, { execute: () => this.showWorkspaceAt() });
        commands.registerCommand(SessionTimelineCommands.OPEN_DIFF, { execute: (arg: unknown) => this.openDiff(arg) });
        commands.registerCommand(SessionTimelineCommands.OPEN_FILE_AT, { execute: (arg: unknown) => this.openFileAt(arg) });
    }

    protected async revealTask(taskId: unknown): Promise<void> {
        let id = typeof taskId === 'number' ? taskId : typeof taskId === 'string' && /^\d+$/.test(taskId) ? Number(taskId) : undefined;
        if (id === undefined) {
            const typed = await this.quickInput.input({
                prompt: nls.localize('coditect/session-timeline/reveal-task-prompt', 'Show which task on the session timeline?'), placeHolder: nls.localize('coditect/session-timeline/reveal-task-placeholder', 'Task number, e.g. 12'),
                validateInput: async v => (/^\s*\d+\s*$/.test(v) ? undefined : nls.localize('coditect/session-timeline/reveal-task-invalid', 'A task number, e.g. 12')),
            });
            if (typed === undefined) {
                return;
            }
            id = Number(typed.trim());
        }
        const location = await this.service.taskLocation(id);
        if (!location) {
            this.messages.info(nls.localize('coditect/session-timeline/task-not-found', 'Task #{0} has no events on the session timeline yet: it may not have been recorded (a task of an older studio), or not have started.', id));
            return;
        }
        const widget = await this.openView({ activate: true, reveal: true });
        await widget.reveal(location.sessionId, { target: { seq: location.seq } });
    }

    protected async revealAgent(agentId: unknown): Promise<void> {
        const widget = await this.openView({ activate: true, reveal: true });
        await widget.reveal(undefined, typeof agentId === 'string' && agentId ? { agentId, target: 'end' } : { target: 'end' });
    }

    protected async openDiff(arg: unknown): Promise<void> {
        if (!isFileAtArgs(arg)) {
            throw new Error('Opening a diff from the timeline needs { sessionId, path, seq }.');
        }
        const before = TimelineUri.create(arg.sessionId, arg.path, arg.seq - 1);
        const after = TimelineUri.create(arg.sessionId, arg.path, arg.seq);
        const name = arg.path.split('/').pop();
        await open(this.openers, DiffUris.encode(before, after, nls.localize('coditect/session-timeline/diff-title', '{0} (before ↔ after #{1})', name ?? '', arg.seq)), { mode: 'reveal' });
    }

    protected async openFileAt(arg: unknown): Promise<void> {
        if (!isFileAtArgs(arg)) {
            throw new Error('Opening a file as it was needs { sessionId, path, seq }.');
        }
        const state = await this.service.fileAt(arg.sessionId, arg.path, arg.seq);
        if (state.status !== 'exists') {
            this.messages.info(state.reason);
            return;
        }
        await open(this.openers, TimelineUri.create(arg.sessionId, arg.path, arg.seq), { mode: 'reveal' });
    }

    /** The files the session edited, as they were at the view's point: pick one (or all) to open read-only. */
    protected async showWorkspaceAt(): Promise<void> {
        const widget = this.tryGetWidget();
        const point = widget?.point;
        if (!point) {
            this.messages.info(nls.localize('coditect/session-timeline/select-event-first', 'Open the Session Timeline and select an event first: the workspace is shown as it was at that event.'));
            return;
        }
        const files = await this.service.editedFiles(point.sessionId, point.seq);
        if (files.length === 0) {
            this.messages.info(nls.localize('coditect/session-timeline/no-edits', 'Session "{0}" edited no files; the workspace then was as it is now.', point.session.title));
            return;
        }
        const existing = files.filter(f => f.editsBefore > 0 || f.firstSeq > point.seq);
        const all = { label: `$(files) ${nls.localize('coditect/session-timeline/open-all-files', 'Open all {0} files as they were at #{1}', files.length, point.seq)}`, all: true, path: '' };
        const picked = await this.quickInput.showQuickPick([all, ...existing.map(f => ({
            label: f.path, all: false, path: f.path,
            description: f.editsBefore > 0
                ? nls.localize('coditect/session-timeline/edits-by-then', '{0} by then (of {1})', TimelineLabels.count(f.editsBefore, 'edit'), f.edits)
                : nls.localize('coditect/session-timeline/not-edited-yet', 'not edited yet (first edit at #{0})', f.firstSeq),
        }))], { placeholder: nls.localize('coditect/session-timeline/edited-files-placeholder', 'The files this session edited, as they were at event #{0} (read-only)', point.seq), matchOnDescription: true });
        if (!picked) {
            return;
        }
        for (const path of picked.all ? existing.map(f => f.path) : [picked.path]) {
            await this.openFileAt({ sessionId: point.sessionId, path, seq: point.seq });
        }
    }

    protected async importTranscript(): Promise<void> {
        const uri = await this.fileDialog.showOpenDialog({
            title: nls.localize('coditect/session-timeline/import-title', 'Import Agent Transcript'), openLabel: nls.localize('coditect/session-timeline/import-button', 'Import'), canSelectFiles: true, canSelectFolders: false, canSelectMany: false,
            filters: { [nls.localize('coditect/session-timeline/transcripts', 'Transcripts (*.jsonl)')]: ['jsonl'], [nls.localize('coditect/session-timeline/all-files', 'All files')]: ['*'] },
        });
        if (!uri) {
            return;
        }
        const importId = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
        const progress = await this.messages.showProgress({ text: nls.localize('coditect/session-timeline/importing', 'Importing {0}', uri.path.base), options: { cancelable: false } });
        const listening = this.client.onDidReportImportProgress(({ importId: id, progress: p }) => {
            if (id === importId) {
                progress.report({ message: `${TimelineLabels.count(p.lines, 'line')}, ${TimelineLabels.count(p.events, 'event')}`, work: { done: p.bytesRead, total: Math.max(1, p.totalBytes) } });
            }
        });
        let report: ImportReport;
        try {
            report = await this.service.importTranscript(uri.toString(), importId);
        } catch (error) {
            this.messages.error(nls.localize('coditect/session-timeline/import-failed', 'The transcript was not imported: {0}', error instanceof Error ? error.message : String(error)));
            return;
        } finally {
            listening.dispose();
            progress.cancel();
        }
        await this.reportImport(report);
    }

    /** Says what was imported; every skipped line is listed (a notification names the first few, "Show Skipped Lines" all of them). */
    protected async reportImport(report: ImportReport): Promise<void> {
        const name = report.file.split('/').pop();
        const sessions = report.sessions.map(s => `"${s.title}"`).join(', ');
        if (report.sessions.length === 0) {
            this.messages.warn(`${nls.localize('coditect/session-timeline/nothing-imported', 'Nothing was imported from {0}: no line held an event.', name ?? '')}${report.skippedCount ? ` ${skippedSummary(report)}` : ''}`);
            return;
        }
        const text = nls.localize('coditect/session-timeline/imported-report', 'Imported {0} ({1}) as {2}: {3} from {4}.', name ?? '', report.format, sessions,
            TimelineLabels.count(report.events, 'event'), TimelineLabels.count(report.lines, 'line'));
        const show = nls.localize('coditect/session-timeline/show-session', 'Show Session');
        const list = nls.localize('coditect/session-timeline/show-skipped', 'Show Skipped Lines');
        const choice = report.skippedCount
            ? await this.messages.warn(`${text} ${skippedSummary(report)}`, show, list)
            : await this.messages.info(text, show);
        if (choice === show) {
            const widget = await this.openView({ activate: true, reveal: true });
            await widget.reveal(report.sessions[0].id, { target: { n: 0 } });
        } else if (choice === list) {
            await this.quickInput.showQuickPick(report.skipped.map(s => ({ label: nls.localize('coditect/session-timeline/line', 'line {0}', s.line), description: s.reason })), {
                placeholder: nls.localize('coditect/session-timeline/skipped-placeholder', '{0} line(s) of {1} were skipped', report.skippedCount, name ?? ''), matchOnDescription: true,
            });
        }
    }
}

/** "Skipped 4 line(s): line 11, not valid JSON (…); line 14, …; and 1 more." */
function skippedSummary(report: ImportReport): string {
    const shown = report.skipped.slice(0, 3);
    const more = report.skippedCount - shown.length;
    const lines = shown.map(s => nls.localize('coditect/session-timeline/skipped-line', 'line {0}, {1}', s.line, s.reason)).join('; ');
    return `${nls.localize('coditect/session-timeline/skipped', 'Skipped {0} line(s): {1}', report.skippedCount, lines)}${more > 0 ? nls.localize('coditect/session-timeline/skipped-more', '; and {0} more', more) : ''}.`;
}
