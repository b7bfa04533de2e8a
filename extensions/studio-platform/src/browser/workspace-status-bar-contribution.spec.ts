import { enableJSDOM } from '@theia/core/lib/browser/test/jsdom';
let disableJSDOM = enableJSDOM();

import * as assert from 'node:assert/strict';
import { StatusBar, StatusBarEntry } from '@theia/core/lib/browser/status-bar/status-bar';
import { MarkdownString } from '@theia/core/lib/common/markdown-rendering/markdown-string';
import { Container } from '@theia/core/shared/inversify';
import { Emitter } from '@theia/core/lib/common/event';
import { WorkspaceHealth, WorkspaceStatusService } from '../common/workspace-status-protocol';
import { DURABILITY_STATUS_BAR_ID, WORKSPACE_STATUS_BAR_ID, WorkspaceStatusBarContribution, WorkspaceStatusCommands } from './workspace-status-bar-contribution';
import { WorkspaceStatusClientImpl } from './workspace-status-client-impl';

disableJSDOM();

const health = (status: WorkspaceHealth['status']): WorkspaceHealth => ({
    status, version: '0.1.0', startedAt: '2026-01-01T00:00:00.000Z', workspaceDir: '/ws', dataDir: '/data',
    components: [{ id: 'workspace-folder', label: 'Workspace folder', status, detail: 'The folder is *here*.' }],
});

describe('WorkspaceStatusBarContribution', () => {
    before(() => disableJSDOM = enableJSDOM());
    after(() => disableJSDOM());

    let entries: Map<string, StatusBarEntry>;
    let client: WorkspaceStatusClientImpl;
    let contribution: WorkspaceStatusBarContribution;
    let answer: WorkspaceHealth;

    beforeEach(() => {
        entries = new Map();
        answer = health('ok');
        const container = new Container();
        container.bind(StatusBar).toConstantValue({
            setElement: async (id: string, entry: StatusBarEntry) => { entries.set(id, entry); },
            removeElement: async (id: string) => { entries.delete(id); },
        } as unknown as StatusBar);
        container.bind(WorkspaceStatusClientImpl).toSelf().inSingletonScope();
        container.bind(WorkspaceStatusService).toConstantValue({
            getHealth: async () => answer, refreshHealth: async () => answer, setClient: () => undefined, dispose: () => undefined,
            syncFilesNow: async () => undefined, unsyncedFiles: async () => [],
            onDidOpenConnection: new Emitter<void>().event,
        });
        container.bind(WorkspaceStatusBarContribution).toSelf();
        client = container.get(WorkspaceStatusClientImpl);
        contribution = container.get(WorkspaceStatusBarContribution);
    });

    const entry = () => entries.get(WORKSPACE_STATUS_BAR_ID)!;

    it('shows "starting" at once, then the health it fetches', async () => {
        contribution.onStart();
        assert.match(entry().text, /Workspace: starting/);
        await new Promise(resolve => setTimeout(resolve, 0));
        assert.match(entry().text, /\$\(pass\) Workspace: ok/);
        assert.equal(entry().command, WorkspaceStatusCommands.REFRESH.id);
    });

    it('follows pushed changes and lists every part in the tooltip, escaping their text', async () => {
        contribution.onStart();
        client.onDidChangeHealth(health('degraded'));
        assert.match(entry().text, /\$\(warning\) Workspace: degraded/);
        assert.match(entry().className ?? '', /coditect-status-degraded/);
        const tooltip = (entry().tooltip as MarkdownString).value.replace(/&nbsp;/g, ' ');
        assert.match(tooltip, /\*\*Workspace folder\*\*: The folder is \\\*here\\\*\./);
    });

    it('links each database to the SQL console, and says plainly when it is a demo', async () => {
        contribution.onStart();
        const withDb = health('ok');
        client.onDidChangeHealth({ ...withDb, components: [...withDb.components, { id: 'db:locks', label: 'locks database', status: 'ok', detail: 'fine' }] });
        const tooltip = (entry().tooltip as MarkdownString).value;
        assert.match(tooltip, /\[Query\]\(command:coditect\.sqlConsole\.openDatabase\?%5B%22locks%22%5D/);
        assert.equal(entries.has('coditect-demo-mode'), false);
        client.onDidChangeHealth({ ...withDb, components: [...withDb.components, { id: 'demo', label: 'Demo', status: 'ok', detail: 'Demo mode: agents replay recorded conversations' }] });
        assert.match(entries.get('coditect-demo-mode')!.text, /Demo/);
    });

    it('shows the durability mode and how far the replica trails, with the detail as its tooltip', async () => {
        contribution.onStart();
        const base = health('ok');
        client.onDidChangeHealth({ ...base, components: [...base.components, { id: 'durability', label: 'Durability', status: 'ok', detail: 'Writes that matter are acknowledged once they are in the replica (ack).', metrics: { mode: 'ack', lagMs: 420 } }] });
        const durability = entries.get(DURABILITY_STATUS_BAR_ID)!;
        assert.equal(durability.text, '$(cloud-upload) ack · 0.4 s');
        assert.match(String(durability.tooltip), /^Durability: Writes that matter are acknowledged once they are in the replica/);
        client.onDidChangeHealth({ ...base, components: [...base.components, { id: 'durability', label: 'Durability', status: 'degraded', detail: 'replication is off', metrics: { mode: 'ack', lagMs: null } }] });
        assert.equal(entries.get(DURABILITY_STATUS_BAR_ID)!.text, '$(warning) ack');
        client.onDidChangeHealth(base);
        assert.equal(entries.has(DURABILITY_STATUS_BAR_ID), false);
    });
});
