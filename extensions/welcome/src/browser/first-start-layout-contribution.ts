import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { inject, injectable } from '@theia/core/shared/inversify';
import { FileNavigatorContribution } from '@theia/navigator/lib/browser/navigator-contribution';

/**
 * The first start's layout (no layout saved yet): the explorer shown with the workspace's files
 * beside the welcome page. Theia's navigator only adds the explorer to the left bar, collapsed
 * (plain Theia 1.74 starts the same way), which left a newcomer an empty screen. Later starts
 * restore the user's own layout and this does not run.
 */
@injectable()
export class FirstStartLayoutContribution implements FrontendApplicationContribution {

    @inject(FileNavigatorContribution) protected readonly explorer: FileNavigatorContribution;

    async initializeLayout(): Promise<void> {
        await this.explorer.openView({ reveal: true });
    }
}
