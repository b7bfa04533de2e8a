import { AbstractViewContribution } from '@theia/core/lib/browser/shell/view-contribution';
import { ContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { MenuContribution } from '@theia/core/lib/common/menu/menu-model-registry';
import { codicon, Widget } from '@theia/core/lib/browser/widgets/widget';
import { inject, injectable, named } from '@theia/core/shared/inversify';
import { ChatViewWidget } from '@theia/ai-chat-ui/lib/browser/chat-view-widget';
import { StudioViews } from '@coditect/studio-platform/common';

/** The studio's views the welcome page offers, in this order, with the codicon each view's tab shows. */
const WelcomeViews: readonly { readonly id: string; readonly icon: string }[] = [
    { id: StudioViews.agentActivity, icon: 'hubot' },
    { id: StudioViews.taskQueue, icon: 'list-ordered' },
    { id: ChatViewWidget.ID, icon: 'comment-discussion' },
    { id: StudioViews.locks, icon: 'lock' },
    { id: StudioViews.changes, icon: 'git-compare' },
    { id: StudioViews.sessionTimeline, icon: 'history' },
    { id: StudioViews.costDashboard, icon: 'graph' },
    { id: StudioViews.sqlConsole, icon: 'database' },
];

export interface StudioViewLink {
    readonly id: string;
    /** The view's own name, as its contribution gives it (the View menu's). */
    readonly label: string;
    readonly iconClass: string;
    open(): void;
}

/**
 * Opens a view by its widget id, the way the View menu does: through the view contribution that
 * owns the widget (`AbstractViewContribution`, which knows the view's area and label). A view
 * whose extension is not in the app, or not registered for this user, is not offered.
 */
@injectable()
export class StudioViewLinks {

    /** Every view contribution is a menu contribution (`bindViewContribution`): it puts its view in the View menu. */
    @inject(ContributionProvider) @named(MenuContribution)
    protected readonly contributions: ContributionProvider<MenuContribution>;

    links(): StudioViewLink[] {
        const views = new Map<string, AbstractViewContribution<Widget>>();
        for (const contribution of this.contributions.getContributions()) {
            if (contribution instanceof AbstractViewContribution) {
                views.set(contribution.viewId, contribution);
            }
        }
        return WelcomeViews.flatMap(({ id, icon }) => {
            const view = views.get(id);
            return view ? [{ id, label: view.viewLabel, iconClass: codicon(icon), open: () => void view.openView({ activate: true, reveal: true }) }] : [];
        });
    }
}
