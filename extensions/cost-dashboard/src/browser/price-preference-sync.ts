import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { CommonCommands } from '@theia/core/lib/browser/common-commands';
import { CommandService } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import { RpcProxy } from '@theia/core/lib/common/messaging/proxy-factory';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable } from '@theia/core/shared/inversify';
import { CostDashboardService } from '../common/cost-dashboard-protocol';
import { CostPreferences, CostPriceOverridesPreference } from '../common/cost-preferences';
import { errorText } from './budget-editor';
import { CostWatcher } from './cost-watcher';

/**
 * Applies the preference `coditect.costs.priceOverrides` to the workspace's prices: an admin's
 * studio pushes it when it connects and whenever it changes (the backend validates, keeps and
 * applies it, repricing what it changes). A developer's value is not pushed (the backend would
 * refuse it); the dashboard says so.
 */
@injectable()
export class PricePreferenceSync implements FrontendApplicationContribution {

    @inject(CostDashboardService)
    protected readonly service: RpcProxy<CostDashboardService>;

    @inject(CostPreferences)
    protected readonly preferences: CostPreferences;

    @inject(CostWatcher)
    protected readonly watcher: CostWatcher;

    @inject(MessageService)
    protected readonly messages: MessageService;

    @inject(CommandService)
    protected readonly commands: CommandService;

    protected lastError: string | undefined;

    onStart(): void {
        this.preferences.onPreferenceChanged(e => {
            if (e.preferenceName === CostPriceOverridesPreference) {
                void this.push();
            }
        });
        this.service.onDidOpenConnection(() => void this.push());
        void this.preferences.ready.then(() => this.watcher.start()).then(() => this.push());
    }

    protected async push(): Promise<void> {
        await this.watcher.start();
        if (!this.watcher.canAdminister) {
            return;
        }
        try {
            await this.service.setPriceOverrides(this.preferences[CostPriceOverridesPreference] ?? {});
            this.lastError = undefined;
        } catch (error) {
            const message = errorText(error);
            if (message !== this.lastError) {
                this.lastError = message;
                const open = nls.localize('coditect/cost-dashboard/open-settings', 'Open Settings');
                if (await this.messages.error(nls.localize('coditect/cost-dashboard/overrides-not-applied', 'Price overrides not applied: {0}', message), open) === open) {
                    await this.commands.executeCommand(CommonCommands.OPEN_PREFERENCES.id, CostPriceOverridesPreference);
                }
            }
        }
    }
}
