import { enableJSDOM } from '@theia/core/lib/browser/test/jsdom';
let disableJSDOM = enableJSDOM();

import * as assert from 'node:assert/strict';
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
