import { codicon, Message } from '@theia/core/lib/browser';
import { nls } from '@theia/core/lib/common/nls';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import * as React from '@theia/core/shared/react';
import { OpenerService, open } from '@theia/core/lib/browser/opener-service';
import { GettingStartedWidget } from '@theia/getting-started/lib/browser/getting-started-widget';
import { quickFileOpen } from '@theia/file-search/lib/browser/quick-file-open';
import { FileNavigatorCommands } from '@theia/navigator/lib/browser/navigator-contribution';
import { runSharedCommand, SharedCommands } from '@coditect/studio-platform/common';
import { StudioViewLinks } from './studio-view-links';
import { WelcomeAgentList } from './welcome-agent-list';
import { WelcomeModel } from './welcome-model';
import { WelcomeShortcutList } from './welcome-shortcuts';

/**
 * The studio's welcome page, in place of Theia's getting-started page (same id, command, Help menu
 * entry and `workbench.startupEditor` behaviour): where to start in the workspace's one folder
 * (no folder or workspace to open: the studio has one), the agents with their live state and an
 * Add key action where one lacks its key, each studio view, and the shortcuts that matter.
 */
@injectable()
export class WelcomeWidget extends GettingStartedWidget {

    @inject(WelcomeModel) readonly model: WelcomeModel;
    @inject(StudioViewLinks) protected readonly views: StudioViewLinks;
    @inject(WelcomeShortcutList) protected readonly shortcutList: WelcomeShortcutList;
    @inject(OpenerService) protected readonly openerService: OpenerService;

    /** As Theia's page, without reading what this page does not show (recent workspaces, the home folder, the extensions). */
    protected override async doInit(): Promise<void> {
        this.id = GettingStartedWidget.ID;
        this.title.label = GettingStartedWidget.LABEL;
        this.title.caption = GettingStartedWidget.LABEL;
        this.title.closable = true;
        this.addClass('coditect-welcome-widget');
        this.toDispose.push(this.model);
        this.toDispose.push(this.model.onDidChange(() => this.update()));
        this.toDispose.push(this.shortcutList.onDidChange(() => this.update()));
        this.update();
        this.applicationInfo = await this.appServer.getApplicationInfo();
        this.update();
    }

    /** The recent files change whenever an editor opens elsewhere: read them again when the page shows. */
    protected override onAfterShow(msg: Message): void {
        super.onAfterShow(msg);
        this.update();
    }

    protected override render(): React.ReactNode {
        return <div className='gs-container coditect-welcome'>
            <div className='gs-content-container'>
                {this.renderHeader()}
                <hr className='gs-hr' />
                <div className='flex-grid coditect-welcome-columns'>
                    <div className='col'>
                        {this.renderStart()}
                        {this.renderAgents()}
                    </div>
                    <div className='col'>
                        {this.renderViews()}
                        {this.renderShortcuts()}
                    </div>
                </div>
                {this.renderVersion()}
            </div>
            <div className='gs-preference-container'>
                {this.renderPreferences()}
            </div>
        </div>;
    }

    protected override renderHeader(): React.ReactNode {
        return <div className='gs-header'>
            <h1>{this.applicationName}<span className='gs-sub-header'>{' ' + GettingStartedWidget.LABEL}</span></h1>
            <p className='coditect-welcome-lead'>{nls.localize('coditect/welcome/lead',
                'Your workspace folder is open in the explorer on the left. Give an agent a task in the chat, watch it work in Agent Activity, and review its changes before they land.')}</p>
        </div>;
    }

    /** Open a file, create one, or go to the workspace's folder: the studio works on one folder, so nothing here opens another. */
    protected override renderStart(): React.ReactNode {
        const folder = this.model.folder;
        const recent = this.model.recentFiles();
        return <div className='gs-section coditect-welcome-start'>
            <h3 className='gs-section-header'><i className={codicon('folder-opened')}></i>{nls.localizeByDefault('Start')}</h3>
            {this.action(nls.localize('coditect/welcome/open-file', 'Open File…'), () => this.commandRegistry.executeCommand(quickFileOpen.id), 'go-to-file')}
            {this.action(nls.localize('coditect/welcome/new-file', 'New File…'), this.doCreateFile, 'new-file')}
            {folder && this.action(nls.localize('coditect/welcome/show-folder', 'Show folder {0} in the explorer', this.labelProvider.getName(folder)),
                () => this.commandRegistry.executeCommand(FileNavigatorCommands.FOCUS.id), 'files')}
            {this.commandRegistry.isEnabled(SharedCommands.WORKFLOW_RUN.id) && this.action(nls.localize('coditect/welcome/run-workflow',
                'Run a workflow (agents hand work on: code review, testing, CI)…'), () => void runSharedCommand(this.commandRegistry, SharedCommands.WORKFLOW_RUN, undefined), 'run-all')}
            {recent.length > 0 && <>
                <h4 className='coditect-welcome-subheader'>{nls.localize('coditect/welcome/recent-files', 'Recently opened files')}</h4>
                {recent.map(uri => this.action(this.labelProvider.getName(uri), () => open(this.openerService, uri), 'file', this.relative(uri)))}
            </>}
        </div>;
    }

    protected renderAgents(): React.ReactNode {
        return <div className='gs-section coditect-welcome-agents-section'>
            <h3 className='gs-section-header'><i className={codicon('hubot')}></i>{nls.localize('coditect/welcome/agents', 'Agents')}</h3>
            <WelcomeAgentList agents={this.model.agents} error={this.model.error}
                keyAction={agent => this.model.keyAction(agent)} addKey={agentId => this.model.addKey(agentId)} />
        </div>;
    }

    protected renderViews(): React.ReactNode {
        return <div className='gs-section coditect-welcome-views'>
            <h3 className='gs-section-header'><i className={codicon('layout')}></i>{nls.localize('coditect/welcome/views', 'Studio views')}</h3>
            {this.views.links().map(view => this.action(view.label, view.open, undefined, undefined, view.iconClass, view.id))}
        </div>;
    }

    protected renderShortcuts(): React.ReactNode {
        return <div className='gs-section coditect-welcome-shortcuts'>
            <h3 className='gs-section-header'><i className={codicon('keyboard')}></i>{nls.localize('coditect/welcome/shortcuts', 'Keyboard shortcuts')}</h3>
            <table className='coditect-welcome-shortcut-table'><tbody>
                {this.shortcutList.shortcuts().map(shortcut => <tr key={shortcut.command} data-command={shortcut.command}>
                    <td><a role='button' tabIndex={0} onClick={() => this.shortcutList.run(shortcut.command)}
                        onKeyDown={e => this.isEnterKey(e) && this.shortcutList.run(shortcut.command)}>{shortcut.label}</a></td>
                    <td><kbd className='coditect-welcome-keys'>{shortcut.keys}</kbd></td>
                </tr>)}
            </tbody></table>
        </div>;
    }

    /** A link of the page: a click or Enter runs it. */
    protected action(label: string, run: () => unknown, icon?: string, details?: string, iconClass = icon && codicon(icon), key = label): React.ReactNode {
        return <div className='gs-action-container' key={key}>
            <a role='button' tabIndex={0} onClick={() => run()} onKeyDown={e => this.isEnterKey(e) && run()}>
                {iconClass && <i className={`${iconClass} coditect-welcome-action-icon`} />}{label}
            </a>
            {details && <span className='gs-action-details'>{details}</span>}
        </div>;
    }

    protected relative(uri: URI): string | undefined {
        return this.model.folder?.relative(uri.parent)?.toString() || undefined;
    }
}
