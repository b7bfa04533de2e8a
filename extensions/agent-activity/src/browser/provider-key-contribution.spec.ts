import * as assert from 'node:assert/strict';
import { CommandRegistry } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import { QuickInputService } from '@theia/core/lib/common/quick-pick-service';
import { Container } from '@theia/core/shared/inversify';
import { SharedCommands } from '@coditect/studio-platform/common';
import { StudioSession } from '@coditect/studio-platform/browser';
import type { AgentSnapshot } from '../common/orchestrator-protocol';
import { ProviderKeyService, ProviderKeyStatus } from '../common/provider-key-protocol';
import { OrchestratorWatcher } from './orchestrator-watcher';
import { ProviderKeyContribution } from './provider-key-contribution';
import { ProviderKeyPrompt } from './provider-key-prompt';

const agent = (id: string, name: string, keyVariable: string) => ({ id, name, keyVariable, state: 'needs-key' }) as unknown as AgentSnapshot;

describe('ProviderKeyContribution', () => {
    let contribution: ProviderKeyContribution;
    let registry: CommandRegistry;
    let admin: boolean;
    let typed: string | undefined;
    let asked: Parameters<ProviderKeyPrompt['ask']>[0][];
    let saved: [string, string][];
    let shown: string[];
    let refusal: Error | undefined;

    beforeEach(() => {
        admin = true;
        typed = 'sk-ant-typed-0123456789';
        asked = [];
        saved = [];
        shown = [];
        refusal = undefined;
        const statuses: ProviderKeyStatus[] = [{ variable: 'ANTHROPIC_API_KEY' }, { variable: 'GEMINI_API_KEY', source: 'environment', hint: 'wxyz' }];
        const container = new Container();
        container.bind(ProviderKeyService).toConstantValue({
            status: async () => statuses,
            set: async (variable: string, key: string) => {
                if (refusal) {
                    throw refusal;
                }
                saved.push([variable, key]);
                return { variable, source: 'studio' };
            },
        } as unknown as ProviderKeyService);
        container.bind(ProviderKeyPrompt).toConstantValue({
            ask: async (request: Parameters<ProviderKeyPrompt['ask']>[0]) => {
                asked.push(request);
                return typed;
            },
            confirmRemove: async () => true,
        });
        container.bind(OrchestratorWatcher).toConstantValue({
            start: async () => undefined,
            agents: [agent('claude', 'Claude', 'ANTHROPIC_API_KEY'), agent('gemini', 'Gemini', 'GEMINI_API_KEY'), agent('helper', 'Helper', 'ANTHROPIC_API_KEY')],
        } as unknown as OrchestratorWatcher);
        container.bind(StudioSession).toConstantValue({ allows: (action: string) => admin && action === 'provider-key.manage' } as unknown as StudioSession);
        container.bind(QuickInputService).toConstantValue({ showQuickPick: async (items: { variable: string }[]) => items[1] } as unknown as QuickInputService);
        const say = (level: string) => async (text: string) => {
            shown.push(`${level}: ${text}`);
            return undefined;
        };
        container.bind(MessageService).toConstantValue({ info: say('info'), error: say('error') } as unknown as MessageService);
        container.bind(ProviderKeyContribution).toSelf();
        contribution = container.get(ProviderKeyContribution);
        registry = new CommandRegistry({ getContributions: () => [] });
        contribution.registerCommands(registry);
    });

    it('asks for the key of the agent it is run for, saves it, and names every agent that uses it', async () => {
        await registry.executeCommand(SharedCommands.PROVIDER_KEY_SET.id, { agentId: 'claude' });
        assert.deepEqual(asked.map(a => [a.variable, a.usedBy, a.status]), [['ANTHROPIC_API_KEY', ['Claude', 'Helper'], { variable: 'ANTHROPIC_API_KEY' }]]);
        assert.deepEqual(saved, [['ANTHROPIC_API_KEY', 'sk-ant-typed-0123456789']]);
        assert.deepEqual(shown, ['info: The key for ANTHROPIC_API_KEY is saved. Claude, Helper use it from now on.']);
    });

    it('from the palette, asks which key first; a cancelled dialog saves nothing', async () => {
        typed = undefined;
        await registry.executeCommand(SharedCommands.PROVIDER_KEY_SET.id);
        assert.equal(asked[0].variable, 'GEMINI_API_KEY');
        assert.deepEqual(saved, []);
        assert.deepEqual(shown, []);
    });

    it('is disabled for someone who may not manage keys, so callers can say whom to ask', () => {
        assert.equal(registry.isEnabled(SharedCommands.PROVIDER_KEY_SET.id), true);
        admin = false;
        assert.equal(registry.isEnabled(SharedCommands.PROVIDER_KEY_SET.id), false);
    });

    it('says why a key was not saved, and what an unknown agent is', async () => {
        refusal = new Error('user:dev (developer) may not set or remove a model provider\'s API key');
        await contribution.setKey('claude');
        await contribution.setKey('nobody');
        assert.deepEqual(shown, [
            'error: The key was not saved: user:dev (developer) may not set or remove a model provider\'s API key',
            'error: There is no agent "nobody"; pick the key from "Set Provider Key…" in the command palette.',
        ]);
    });
});
