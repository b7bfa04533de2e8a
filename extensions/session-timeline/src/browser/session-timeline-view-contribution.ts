import { AbstractViewContribution, open, OpenerService } from '@theia/core/lib/browser';
import { DiffUris } from '@theia/core/lib/browser/diff-uris';
import { QuickInputService } from '@theia/core/lib/browser/quick-input/quick-input-service';
import { CommandRegistry } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
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
            const typed = await this.quickInput.input({ prompt: 'Show which task on the session timeline?', placeHolder: 'Task number, e.g. 12', validateInput: async v => (/^\s*\d+\s*$/.test(v) ? undefined : 'A task number, e.g. 12') });
            if (typed === undefined) {
                return;
            }
            id = Number(typed.trim());
        }
        const location = await this.service.taskLocation(id);
        if (!location) {
            this.messages.info(`Task #${id} has no events on the session timeline yet: it may not have been recorded (a task of an older studio), or not have started.`);
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
        await open(this.openers, DiffUris.encode(before, after, `${name} (before ↔ after #${arg.seq})`), { mode: 'reveal' });
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
            this.messages.info('Open the Session Timeline and select an event first: the workspace is shown as it was at that event.');
            return;
        }
        const files = await this.service.editedFiles(point.sessionId, point.seq);
        if (files.length === 0) {
            this.messages.info(`Session "${point.session.title}" edited no files; the workspace then was as it is now.`);
            return;
        }
        const existing = files.filter(f => f.editsBefore > 0 || f.firstSeq > point.seq);
        const all = { label: `$(files) Open all ${files.length} files as they were at #${point.seq}`, all: true, path: '' };
        const picked = await this.quickInput.showQuickPick([all, ...existing.map(f => ({
            label: f.path, all: false, path: f.path,
            description: f.editsBefore > 0 ? `${TimelineLabels.count(f.editsBefore, 'edit')} by then (of ${f.edits})` : `not edited yet (first edit at #${f.firstSeq})`,
        }))], { placeholder: `The files this session edited, as they were at event #${point.seq} (read-only)`, matchOnDescription: true });
        if (!picked) {
            return;
        }
        for (const path of picked.all ? existing.map(f => f.path) : [picked.path]) {
            await this.openFileAt({ sessionId: point.sessionId, path, seq: point.seq });
        }
    }

    protected async importTranscript(): Promise<void> {
        const uri = await this.fileDialog.showOpenDialog({
            title: 'Import Agent Transcript', openLabel: 'Import', canSelectFiles: true, canSelectFolders: false, canSelectMany: false,
            filters: { 'Transcripts (*.jsonl)': ['jsonl'], 'All files': ['*'] },
        });
        if (!uri) {
            return;
        }
        const importId = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
        const progress = await this.messages.showProgress({ text: `Importing ${uri.path.base}`, options: { cancelable: false } });
        const listening = this.client.onDidReportImportProgress(({ importId: id, progress: p }) => {
            if (id === importId) {
                progress.report({ message: `${TimelineLabels.count(p.lines, 'line')}, ${TimelineLabels.count(p.events, 'event')}`, work: { done: p.bytesRead, total: Math.max(1, p.totalBytes) } });
            }
        });
        let report: ImportReport;
        try {
            report = await this.service.importTranscript(uri.toString(), importId);
        } catch (error) {
            this.messages.error(`The transcript was not imported: ${error instanceof Error ? error.message : String(error)}`);
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
            this.messages.warn(`Nothing was imported from ${name}: no line held an event.${report.skippedCount ? ` ${skippedSummary(report)}` : ''}`);
            return;
        }
        const text = `Imported ${name} (${report.format}) as ${sessions}: ${TimelineLabels.count(report.events, 'event')} from ${TimelineLabels.count(report.lines, 'line')}.`;
        const show = 'Show Session';
        const list = 'Show Skipped Lines';
        const choice = report.skippedCount
            ? await this.messages.warn(`${text} ${skippedSummary(report)}`, show, list)
            : await this.messages.info(text, show);
        if (choice === show) {
            const widget = await this.openView({ activate: true, reveal: true });
            await widget.reveal(report.sessions[0].id, { target: { n: 0 } });
        } else if (choice === list) {
            await this.quickInput.showQuickPick(report.skipped.map(s => ({ label: `line ${s.line}`, description: s.reason })), {
                placeholder: `${report.skippedCount} line(s) of ${name} were skipped`, matchOnDescription: true,
            });
        }
    }
}

/** "Skipped 4 line(s): line 11, not valid JSON (…); line 14, …; and 1 more." */
function skippedSummary(report: ImportReport): string {
    const shown = report.skipped.slice(0, 3);
    const more = report.skippedCount - shown.length;
    return `Skipped ${report.skippedCount} line(s): ${shown.map(s => `line ${s.line}, ${s.reason}`).join('; ')}${more > 0 ? `; and ${more} more` : ''}.`;
}
