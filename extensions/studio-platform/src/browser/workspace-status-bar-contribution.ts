import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { StatusBar, StatusBarAlignment } from '@theia/core/lib/browser/status-bar/status-bar';
import { Command, CommandContribution, CommandRegistry } from '@theia/core/lib/common/command';
import { MarkdownStringImpl } from '@theia/core/lib/common/markdown-rendering/markdown-string';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable } from '@theia/core/shared/inversify';
import { SharedCommands } from '../common/shared-commands';
import { studioCommand } from '../common/studio-command';
import { HealthStatus, WorkspaceHealth, WorkspaceStatusService } from '../common/workspace-status-protocol';
import { RpcProxy } from '@theia/core/lib/common/messaging/proxy-factory';
import { WorkspaceStatusClientImpl } from './workspace-status-client-impl';

export namespace WorkspaceStatusCommands {
    export const REFRESH: Command = studioCommand('studio-platform', 'refresh-status', { id: 'coditect.workspaceStatus.refresh', label: 'Refresh Workspace Status' });
}

export const WORKSPACE_STATUS_BAR_ID = 'coditect-workspace-status';
const DEMO_STATUS_BAR_ID = 'coditect-demo-mode';
export const DURABILITY_STATUS_BAR_ID = 'coditect-durability';
/** Contributed by the SQL console extension: its status-tooltip links open a console on a database. */
const OPEN_SQL_CONSOLE_ON_DATABASE = SharedCommands.SQL_CONSOLE_OPEN_DATABASE.id;

const statusIcon: Record<HealthStatus, string> = {
    ok: '$(pass)',
    starting: '$(loading~spin)',
    degraded: '$(warning)',
    down: '$(error)',
};

/** The status-bar item that shows the workspace core's health; clicking it probes again. */
@injectable()
export class WorkspaceStatusBarContribution implements FrontendApplicationContribution, CommandContribution {

    @inject(StatusBar)
    protected readonly statusBar: StatusBar;

    @inject(WorkspaceStatusClientImpl)
    protected readonly client: WorkspaceStatusClientImpl;

    @inject(WorkspaceStatusService)
    protected readonly service: RpcProxy<WorkspaceStatusService>;

    onStart(): void {
        this.render(undefined);
        this.client.onHealthChanged(health => this.render(health));
        // Pushes made while the connection was down are lost: ask again whenever it (re)opens.
        this.service.onDidOpenConnection(() => this.fetch());
        this.fetch();
    }

    protected async fetch(): Promise<void> {
        try {
            this.render(await this.service.getHealth());
        } catch (error) {
            console.error('Could not read the workspace core\'s health', error);
        }
    }

    registerCommands(commands: CommandRegistry): void {
        commands.registerCommand(WorkspaceStatusCommands.REFRESH, {
            execute: async () => this.render(await this.service.refreshHealth()),
        });
    }

    protected render(health: WorkspaceHealth | undefined): void {
        this.renderDemo(health);
        this.renderDurability(health);
        const status = health?.status ?? 'starting';
        this.statusBar.setElement(WORKSPACE_STATUS_BAR_ID, {
            text: `${statusIcon[status]} ${nls.localize('coditect/studio-platform/workspace-status', 'Workspace: {0}', status)}`,
            tooltip: health ? this.tooltip(health) : nls.localize('coditect/studio-platform/connecting', 'Connecting to the workspace core…'),
            alignment: StatusBarAlignment.LEFT,
            priority: 100,
            command: WorkspaceStatusCommands.REFRESH.id,
            className: `coditect-workspace-status coditect-status-${status}`,
        });
    }

    /** A demo is said plainly, so nobody takes replayed conversations for real agents. */
    protected renderDemo(health: WorkspaceHealth | undefined): void {
        const demo = health?.components.find(c => c.id === 'demo');
        if (demo) {
            this.statusBar.setElement(DEMO_STATUS_BAR_ID, {
                text: `$(beaker) ${nls.localize('coditect/studio-platform/demo', 'Demo')}`, tooltip: demo.detail, alignment: StatusBarAlignment.LEFT, priority: 101,
                backgroundColor: 'var(--theia-statusBarItem-warningBackground)', color: 'var(--theia-statusBarItem-warningForeground)',
            });
        } else {
            this.statusBar.removeElement(DEMO_STATUS_BAR_ID);
        }
    }

    /**
     * When a write counts as saved, at a glance: the mode (async or ack) and how far the replica
     * trails right now; the tooltip is the durability detail from the backend.
     */
    protected renderDurability(health: WorkspaceHealth | undefined): void {
        const durability = health?.components.find(c => c.id === 'durability');
        if (!durability) {
            this.statusBar.removeElement(DURABILITY_STATUS_BAR_ID);
            return;
        }
        const mode = String(durability.metrics?.mode ?? '?');
        const lagMs = durability.metrics?.lagMs;
        const lag = typeof lagMs === 'number' ? ` · ${(lagMs / 1000).toFixed(1)} s` : '';
        this.statusBar.setElement(DURABILITY_STATUS_BAR_ID, {
            text: `${durability.status === 'ok' ? '$(cloud-upload)' : '$(warning)'} ${mode}${lag}`,
            tooltip: nls.localize('coditect/studio-platform/durability', 'Durability: {0}', durability.detail),
            alignment: StatusBarAlignment.LEFT,
            priority: 99,
            command: WorkspaceStatusCommands.REFRESH.id,
            className: `coditect-durability coditect-status-${durability.status}`,
        });
    }

    protected tooltip(health: WorkspaceHealth): MarkdownStringImpl {
        // Trusted only for our own command links; every detail from the backend goes in as text.
        const md = new MarkdownStringImpl(`**${nls.localize('coditect/studio-platform/core-heading', 'Workspace core {0}: {1}', health.version, health.status)}**\n\n`, { supportThemeIcons: true, isTrusted: { enabledCommands: [OPEN_SQL_CONSOLE_ON_DATABASE] } });
        for (const c of health.components) {
            md.appendMarkdown(`- ${statusIcon[c.status]} **${c.label}**: `).appendText(c.detail);
            const database = /^db:(\w+)$/.exec(c.id)?.[1];
            if (database) {
                const query = nls.localize('coditect/studio-platform/query', 'Query');
                const title = nls.localize('coditect/studio-platform/query-tooltip', 'Open the SQL console on the {0} database', database);
                md.appendMarkdown(` [${query}](command:${OPEN_SQL_CONSOLE_ON_DATABASE}?${encodeURIComponent(JSON.stringify([database]))} "${title}")`);
            }
            md.appendMarkdown('\n');
        }
        return md.appendMarkdown(`\n_${nls.localize('coditect/studio-platform/check-again', 'Click to check again.')}_`);
    }
}
