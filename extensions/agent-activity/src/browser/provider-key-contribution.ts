import { QuickInputService, QuickPickItem } from '@theia/core/lib/common/quick-pick-service';
import { CommandContribution, CommandRegistry } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable } from '@theia/core/shared/inversify';
import { SharedCommands } from '@coditect/studio-platform/common';
import { StudioSession } from '@coditect/studio-platform/browser';
import { ProviderKeyService, ProviderKeyStatus } from '../common/provider-key-protocol';
import { AgentActivityCommands } from './agent-activity-commands';
import { OrchestratorWatcher } from './orchestrator-watcher';
import { ProviderKeyLabels } from './provider-key-labels';
import { ProviderKeyPrompt } from './provider-key-prompt';

const K = 'coditect/agent-activity/';

/**
 * "Set Provider Key…" (the shared command the welcome page and the agent cards run, with an agent;
 * from the palette, asking which key) and "Remove Provider Key…". Enabled only for those the policy
 * lets manage keys, so the palette does not offer them to a developer and callers can say "ask an
 * admin" instead; the backend decides again.
 */
@injectable()
export class ProviderKeyContribution implements CommandContribution {

    @inject(ProviderKeyService) protected readonly service: ProviderKeyService;
    @inject(ProviderKeyPrompt) protected readonly prompt: ProviderKeyPrompt;
    @inject(OrchestratorWatcher) protected readonly watcher: OrchestratorWatcher;
    @inject(StudioSession) protected readonly session: StudioSession;
    @inject(QuickInputService) protected readonly quickInput: QuickInputService;
    @inject(MessageService) protected readonly messages: MessageService;

    registerCommands(commands: CommandRegistry): void {
        const mayManage = () => this.session.allows('provider-key.manage');
        commands.registerCommand(SharedCommands.PROVIDER_KEY_SET, {
            isEnabled: mayManage,
            execute: (arg?: { readonly agentId?: unknown }) => this.setKey(typeof arg?.agentId === 'string' ? arg.agentId : undefined),
        });
        commands.registerCommand(AgentActivityCommands.REMOVE_PROVIDER_KEY, { isEnabled: mayManage, execute: () => this.removeKey() });
    }

    /** Asks for the key of `agentId`'s provider (or of a variable picked from the list) and saves it; says what came of it. */
    async setKey(agentId?: string): Promise<boolean> {
        try {
            await this.watcher.start();
            const statuses = await this.service.status();
            let variable: string | undefined;
            if (agentId !== undefined) {
                const agent = this.watcher.agents.find(a => a.id === agentId);
                if (!agent) {
                    this.messages.error(nls.localize(`${K}key-unknown-agent`, 'There is no agent "{0}"; pick the key from "Set Provider Key…" in the command palette.', agentId));
                    return false;
                }
                variable = agent.keyVariable;
            } else {
                variable = await this.pick(statuses, nls.localize(`${K}key-pick`, 'Which provider key do you want to set?'));
            }
            if (!variable) {
                return false;
            }
            const key = await this.prompt.ask({ variable, usedBy: this.usersOf(variable), status: statuses.find(s => s.variable === variable) });
            if (!key) {
                return false;
            }
            await this.service.set(variable, key);
            const users = this.usersOf(variable);
            const usedBy = users.length === 1 ? nls.localize(`${K}key-saved-agent`, ' {0} uses it from now on.', users[0])
                : users.length ? nls.localize(`${K}key-saved-agents`, ' {0} use it from now on.', users.join(', ')) : '';
            this.messages.info(nls.localize(`${K}key-saved`, 'The key for {0} is saved.{1}', variable, usedBy));
            return true;
        } catch (error) {
            this.messages.error(nls.localize(`${K}key-not-saved`, 'The key was not saved: {0}', error instanceof Error ? error.message : String(error)));
            return false;
        }
    }

    async removeKey(): Promise<boolean> {
        try {
            await this.watcher.start();
            const inStudio = (await this.service.status()).filter(s => s.source === 'studio');
            if (!inStudio.length) {
                this.messages.info(nls.localize(`${K}key-none-to-remove`, 'No provider key is set in the studio; keys from the environment or the secrets file are changed there.'));
                return false;
            }
            const variable = await this.pick(inStudio, nls.localize(`${K}key-pick-remove`, 'Which key set in the studio do you want to remove?'));
            if (!variable || !await this.prompt.confirmRemove(variable, this.usersOf(variable))) {
                return false;
            }
            const status = await this.service.remove(variable);
            this.messages.info(nls.localize(`${K}key-removed`, 'The key set in the studio for {0} is removed. {1}', variable, ProviderKeyLabels.describe(status)));
            return true;
        } catch (error) {
            this.messages.error(nls.localize(`${K}key-not-removed`, 'The key was not removed: {0}', error instanceof Error ? error.message : String(error)));
            return false;
        }
    }

    protected async pick(statuses: readonly ProviderKeyStatus[], placeholder: string): Promise<string | undefined> {
        const items: (QuickPickItem & { variable: string })[] = statuses.map(status => ({
            label: status.variable, variable: status.variable,
            description: this.usersOf(status.variable).join(', '),
            detail: ProviderKeyLabels.describe(status),
        }));
        return (await this.quickInput.showQuickPick(items, { placeholder }))?.variable;
    }

    /** The names of the agents that read their key from `variable`. */
    protected usersOf(variable: string): string[] {
        return this.watcher.agents.filter(a => a.keyVariable === variable).map(a => a.name);
    }
}
