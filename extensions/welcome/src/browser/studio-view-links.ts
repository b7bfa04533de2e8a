import { AbstractViewContribution } from '@theia/core/lib/browser/shell/view-contribution';
import { ContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { MenuContribution } from '@theia/core/lib/common/menu/menu-model-registry';
import { codicon, Widget } from '@theia/core/lib/browser/widgets/widget';
import { inject, injectable, named } from '@theia/core/shared/inversify';

/** The views the welcome page offers, in order, each with the codicon of its tab (welcome-views.ts). */
export const WelcomeViewList = Symbol('WelcomeViewList');
export type WelcomeViewList = readonly { readonly id: string; readonly icon: string }[];

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

    @inject(WelcomeViewList) protected readonly views: WelcomeViewList;

    links(): StudioViewLink[] {
        const views = new Map<string, AbstractViewContribution<Widget>>();
        for (const contribution of this.contributions.getContributions()) {
            if (contribution instanceof AbstractViewContribution) {
                views.set(contribution.viewId, contribution);
            }
        }
        return this.views.flatMap(({ id, icon }) => {
            const view = views.get(id);
            return view ? [{ id, label: view.viewLabel, iconClass: codicon(icon), open: () => void view.openView({ activate: true, reveal: true }) }] : [];
        });
    }
}
