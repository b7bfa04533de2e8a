import { enableJSDOM } from '@theia/core/lib/browser/test/jsdom';
let disableJSDOM = enableJSDOM();

import * as assert from 'node:assert/strict';
import { AbstractViewContribution, OpenViewArguments } from '@theia/core/lib/browser/shell/view-contribution';
import { Widget } from '@theia/core/lib/browser/widgets/widget';
import { bindContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { MenuContribution } from '@theia/core/lib/common/menu/menu-model-registry';
import { Container } from '@theia/core/shared/inversify';
import { StudioViews } from '@coditect/studio-platform/common';
import { StudioViewLinks, WelcomeViewList } from './studio-view-links';

disableJSDOM();

/** A view contribution as an extension binds one, recording how it was asked to open. */
class FakeViewContribution extends AbstractViewContribution<Widget> {
    readonly opened: Partial<OpenViewArguments>[] = [];
    constructor(widgetId: string, widgetName: string) {
        super({ widgetId, widgetName, defaultWidgetOptions: { area: 'main' } });
    }
    override async openView(args: Partial<OpenViewArguments> = {}): Promise<Widget> {
        this.opened.push(args);
        return undefined as unknown as Widget;
    }
}

describe('StudioViewLinks', () => {
    before(() => disableJSDOM = enableJSDOM());
    after(() => disableJSDOM());

    it('offers the listed views the app has (not the others), in the list\'s order, named as their contributions name them, and opens each through its contribution', () => {
        const container = new Container();
        bindContributionProvider(container, MenuContribution);
        const locks = new FakeViewContribution(StudioViews.locks, 'Locks');
        const agents = new FakeViewContribution(StudioViews.agentActivity, 'Agents');
        container.bind(MenuContribution).toConstantValue(locks);
        container.bind(MenuContribution).toConstantValue({ registerMenus: () => undefined });
        container.bind(MenuContribution).toConstantValue(new FakeViewContribution('some-other-view', 'Other'));
        container.bind(MenuContribution).toConstantValue(agents);
        container.bind(WelcomeViewList).toConstantValue([
            { id: StudioViews.agentActivity, icon: 'hubot' }, { id: StudioViews.taskQueue, icon: 'list-ordered' }, { id: StudioViews.locks, icon: 'lock' },
        ]);
        container.bind(StudioViewLinks).toSelf();

        const links = container.get(StudioViewLinks).links();
        assert.deepEqual(links.map(l => [l.id, l.label, l.iconClass]), [
            [StudioViews.agentActivity, 'Agents', 'codicon codicon-hubot'],
            [StudioViews.locks, 'Locks', 'codicon codicon-lock'],
        ]);
        links[1].open();
        assert.deepEqual(locks.opened, [{ activate: true, reveal: true }]);
        assert.deepEqual(agents.opened, []);
    });
});
