import { enableJSDOM } from '@theia/core/lib/browser/test/jsdom';
let disableJSDOM = enableJSDOM();

import * as assert from 'node:assert/strict';
import { CommandRegistry } from '@theia/core/lib/common/command';
import { SharedCommands } from '@coditect/studio-platform/common';
import { flushSync } from '@theia/core/shared/react-dom';
import { createRoot } from '@theia/core/shared/react-dom/client';
import { ChangeReviewClientImpl } from './change-review-client-impl';
import { changesContainer, FakeChangeReviewService, ModelSinks, newSinks, settle, summary } from './change-review-test-support';
import { ChangesWidget } from './changes-widget';

disableJSDOM();

/** The view as a person sees it: what `render` gives, put in a DOM element. */
class RenderedChangesWidget extends ChangesWidget {
    html(): HTMLElement {
        const element = document.createElement('div');
        flushSync(() => createRoot(element).render(this.render()));
        return element;
    }
}

describe('ChangesWidget of a change set waiting for review', () => {
    before(() => disableJSDOM = enableJSDOM());
    after(() => disableJSDOM());

    let service: FakeChangeReviewService;
    let sinks: ModelSinks;
    let widget: RenderedChangesWidget;

    beforeEach(async () => {
        service = new FakeChangeReviewService();
        service.sets = [{ ...summary(1, 'claude'), apply: 'waiting' }, summary(2, 'gemini')];
        sinks = newSinks();
        const container = changesContainer(service, new ChangeReviewClientImpl(), sinks);
        container.bind(RenderedChangesWidget).toSelf();
        widget = container.get(RenderedChangesWidget);
        await settle();
    });
    afterEach(() => widget.dispose());

    it('labels the waiting task, and only it, "waiting for review" with its codicon and what Accept All does', () => {
        const html = widget.html();
        const badge = html.querySelector('[data-task-id="1"] .coditect-change-apply.apply-waiting');
        assert.ok(badge, 'the waiting task has its badge');
        assert.equal(badge.textContent?.trim(), 'waiting for review');
        assert.ok(badge.querySelector('.codicon-watch'));
        assert.match(badge.getAttribute('title') ?? '', /Accept All lands them all at once/);
        assert.equal(html.querySelector('[data-task-id="2"] .coditect-change-apply'), null);
    });

    it('offers Accept All, which accepts the whole set, and no Accept or Reject of a single file', async () => {
        widget.model.toggleTask(1);
        await settle();
        const html = widget.html();
        const fileButtons = [...html.querySelectorAll<HTMLButtonElement>('[data-task-id="1"] .coditect-change-file-row .coditect-change-action')];
        assert.deepEqual(fileButtons.map(b => [b.title.startsWith('Not landed yet') ? 'whole set only' : b.title, b.disabled]),
            [['Open Diff', false], ['whole set only', true], ['whole set only', true],
                ['Comment on this file: send it back to the agent as a follow-up task', false], ['Restore this file to before the task (undoable)', false]]);
        html.querySelector<HTMLButtonElement>('[data-task-id="1"] .coditect-change-task-row button[title="Accept All"]')!.click();
        await settle();
        assert.deepEqual(service.reviews, [{ taskId: 1, decision: 'accept' }]);
    });
});

describe('ChangesWidget of a task\'s git commits', () => {
    before(() => disableJSDOM = enableJSDOM());
    after(() => disableJSDOM());

    const newer = { sha: 'b'.repeat(40), subject: 'Add the farewell', authorName: 'Claude', at: Date.UTC(2025, 2, 4, 14, 5) };
    const older = { sha: `a1b2c3d${'0'.repeat(33)}`, subject: 'Tidy the notes', authorName: 'Claude', at: Date.UTC(2025, 2, 4, 14, 1) };
    let service: FakeChangeReviewService;
    let sinks: ModelSinks;
    let commands: CommandRegistry;
    let widget: RenderedChangesWidget;

    beforeEach(async () => {
        service = new FakeChangeReviewService();
        service.sets = [{ ...summary(1, 'claude'), commits: [newer, older] }, summary(2, 'claude')];
        sinks = newSinks();
        const container = changesContainer(service, new ChangeReviewClientImpl(), sinks);
        container.bind(RenderedChangesWidget).toSelf();
        widget = container.get(RenderedChangesWidget);
        commands = container.get(CommandRegistry);
        await settle();
    });
    afterEach(() => widget.dispose());

    const rows = (html: HTMLElement) => [...html.querySelectorAll<HTMLElement>('[data-task-id="1"] .coditect-change-commit')];

    it('counts the commits on the task\'s row and, expanded, lists them under "Committed 2 commits", newest first, each with short hash, subject and time', async () => {
        let html = widget.html();
        const badge = html.querySelector('[data-task-id="1"] .coditect-change-task-row .coditect-change-commit-count');
        assert.equal(badge?.textContent?.trim(), '2 commit(s)');
        assert.ok(badge?.querySelector('.codicon-git-commit'));
        assert.equal(rows(html).length, 0, 'collapsed: no rows');
        assert.equal(html.querySelector('[data-task-id="2"] .coditect-change-commit-count'), null, 'a task without commits has no badge');

        widget.model.toggleTask(1);
        await settle();
        html = widget.html();
        const header = html.querySelector('[data-task-id="1"] .coditect-change-commits-header');
        assert.equal(header?.textContent?.trim(), 'Committed 2 commits');
        assert.ok(header?.querySelector('.codicon-git-commit'));
        assert.deepEqual(rows(html).map(row => [
            row.querySelector('.coditect-change-commit-sha')?.textContent, row.querySelector('.coditect-change-commit-subject')?.textContent,
            row.querySelector('.coditect-change-commit-time')?.textContent,
        ]), [
            ['bbbbbbb', 'Add the farewell', new Date(newer.at).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })],
            ['a1b2c3d', 'Tidy the notes', new Date(older.at).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })],
        ]);
        assert.match(rows(html)[0].title, new RegExp(`^Commit ${newer.sha} by Claude, `));
        // The commits come before the task's files.
        const group = html.querySelector('[data-task-id="1"] .coditect-change-files')!;
        assert.ok(group.firstElementChild?.classList.contains('coditect-change-commits'));
        assert.ok(group.querySelector('.coditect-change-file[data-path="src/a.ts"]'));
    });

    it('opens a commit only while source control\'s command is there: then a click runs it with the commit', async () => {
        widget.model.toggleTask(1);
        await settle();
        let html = widget.html();
        assert.deepEqual(rows(html).map(row => [row.classList.contains('openable'), row.getAttribute('role')]), [[false, null], [false, null]]);
        rows(html)[0].click();
        await settle();
        assert.deepEqual(sinks.commands, [], 'no link without source control');

        let renders = 0;
        widget.model.onDidChange(() => renders++);
        commands.registerCommand(SharedCommands.GIT_OPEN_COMMIT, { execute: () => undefined });
        await settle(); // the registry announces its changes debounced
        assert.ok(renders > 0, 'the view renders again when the command comes');
        html = widget.html();
        assert.deepEqual(rows(html).map(row => [row.classList.contains('openable'), row.getAttribute('role')]), [[true, 'link'], [true, 'link']]);
        assert.match(rows(html)[1].title, /Click to open its changes$/);
        rows(html)[1].click();
        await settle();
        assert.deepEqual(sinks.commands, [{ id: SharedCommands.GIT_OPEN_COMMIT.id, arg: { sha: older.sha } }]);
    });
});

describe('ChangesWidget of a task that delegated', () => {
    before(() => disableJSDOM = enableJSDOM());
    after(() => disableJSDOM());

    let service: FakeChangeReviewService;
    let widget: RenderedChangesWidget;

    beforeEach(async () => {
        service = new FakeChangeReviewService();
        // A lead that changed nothing itself (10), its two sub-tasks, one of them with a sub-task whose parent (20) is not listed.
        const tree = { subtaskIds: [11, 12], files: 2, added: 7, removed: 3, review: 'pending' as const };
        service.sets = [
            { ...summary(10, 'codex'), files: [], added: 0, removed: 0, tree },
            { ...summary(11, 'test-writer'), parentTaskId: 10 },
            { ...summary(12, 'doc-generator'), parentTaskId: 10 },
            { ...summary(21, 'kimi'), parentTaskId: 20 },
        ];
        const container = changesContainer(service, new ChangeReviewClientImpl(), newSinks());
        container.bind(RenderedChangesWidget).toSelf();
        widget = container.get(RenderedChangesWidget);
        await settle();
    });
    afterEach(() => widget.dispose());

    const agentGroups = (html: HTMLElement) => [...html.querySelectorAll<HTMLElement>('.coditect-changes-agent')]
        .map(group => [group.dataset.agentId, [...group.querySelectorAll<HTMLElement>(':scope > .coditect-change-task')].map(t => t.dataset.taskId)]);

    it('lists the sub-tasks under their parent, not under their agents, and the parent\'s row counts the whole tree', async () => {
        let html = widget.html();
        assert.deepEqual(agentGroups(html), [['kimi', ['21']], ['codex', ['10']]]);
        const lead = html.querySelector('[data-task-id="10"] .coditect-change-task-row')!;
        assert.equal(lead.querySelector('.coditect-change-file-count')?.textContent, '2 file(s)');
        assert.equal(lead.querySelector('.coditect-change-counts')?.textContent, '+7 −3');
        const badge = lead.querySelector('.coditect-change-tree')!;
        assert.equal(badge.textContent?.trim(), 'with 2 sub-task(s)');
        assert.ok(badge.querySelector('.codicon-type-hierarchy-sub'));
        assert.match(badge.getAttribute('title')!, /tasks it delegated \(#11, #12\)/);
        // A sub-task whose parent is not listed says where it came from.
        assert.equal(html.querySelector('[data-task-id="21"] .coditect-change-parent')?.getAttribute('title'), 'Delegated from task #20');

        widget.model.toggleTask(10);
        await settle();
        html = widget.html();
        const nested = [...html.querySelectorAll<HTMLElement>('[data-task-id="10"] .coditect-change-subtasks .coditect-change-task.nested')];
        assert.deepEqual(nested.map(t => [t.dataset.taskId, t.querySelector('.coditect-change-task-agent')?.textContent]), [['11', 'Test Writer'], ['12', 'Doc Generator']]);
        assert.equal(html.querySelector('[data-task-id="10"] .coditect-change-subtasks-header')?.textContent?.trim(), 'Delegated: 2 sub-task(s) changed something');
        assert.equal(nested[0].querySelector('.coditect-change-parent'), null, 'nested: its parent is the row above');
    });

    it('decides the whole tree from the parent\'s Accept All and Reject All, and one sub-task alone from its own', async () => {
        const html = widget.html();
        const reject = html.querySelector<HTMLButtonElement>('[data-task-id="10"] .coditect-change-task-row button[aria-label^="Reject All: this task"]')!;
        assert.match(reject.title, /its 2 sub-task\(s\)' \(the newest first\)/);
        reject.click();
        await settle();
        widget.model.toggleTask(10);
        await settle();
        widget.html().querySelector<HTMLButtonElement>('[data-task-id="11"] .coditect-change-task-row button[title="Accept All"]')!.click();
        await settle();
        assert.deepEqual(service.reviews, [{ taskId: 10, decision: 'reject', withSubtasks: true }, { taskId: 11, decision: 'accept' }]);
    });
});
