import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WorkspaceCore } from '@coditect/workspace-backend';
import { scriptedProviderFactory } from '@coditect/workspace-backend/test-support';
import { WorkspaceCoreHost } from '@coditect/studio-platform/node';
import { StudioUserProvider } from '@coditect/studio-platform/node';
import type { StudioUser } from '@coditect/studio-platform/common';
import { Container } from '@theia/core/shared/inversify';
import { BudgetEvent, COST_EXPORT_HTTP_PREFIX, CostDashboardService, CostsChange } from '../common/cost-dashboard-protocol';
import { CostDashboardServiceImpl } from './cost-dashboard-service-impl';
import { CostExports, createCostExports } from './cost-exports';

const admin: StudioUser = { id: 'user:ada', displayName: 'Ada', role: 'admin' };
const developer: StudioUser = { id: 'user:dev', displayName: 'Dev', role: 'developer' };

describe('CostDashboardServiceImpl', function (): void {
    this.timeout(30_000);
    let root: string;
    let core: WorkspaceCore;
    const services: CostDashboardService[] = [];

    function serviceFor(user: StudioUser): CostDashboardService {
        const container = new Container();
        container.bind(WorkspaceCoreHost).toConstantValue({ ready: Promise.resolve(core) } as WorkspaceCoreHost);
        container.bind(StudioUserProvider).toConstantValue({ currentUser: () => user });
        container.bind(CostExports).toConstantValue(createCostExports());
        container.bind(CostDashboardService).to(CostDashboardServiceImpl);
        const service = container.get<CostDashboardService>(CostDashboardService);
        services.push(service);
        return service;
    }

    beforeEach(async () => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'cost-service-'));
        process.env.STUDIO_REPLICA_URL = 'off';
        core = new WorkspaceCore({ workspaceDir: path.join(root, 'ws'), dataDir: path.join(root, 'data') }, {
            orchestrator: { providerFactory: scriptedProviderFactory(() => [{ toolCalls: [{ name: 'finish', arguments: { summary: 'done' } }], usage: { inputTokens: 1000, outputTokens: 100 } }]) },
        });
        await core.start();
    });

    afterEach(async () => {
        services.splice(0).forEach(s => s.dispose());
        await core.stop();
        delete process.env.STUDIO_REPLICA_URL;
        fs.rmSync(root, { recursive: true, force: true });
    });

    it('answers the dashboard and pushes recorded costs to its client as agents work', async () => {
        const service = serviceFor(developer);
        const changes: CostsChange[] = [];
        service.setClient({ onCostsChanged: c => changes.push(c), onBudgetEvent: () => undefined });
        await new Promise(resolve => setTimeout(resolve, 10));
        const task = core.orchestrator.submitTask('gemini', { prompt: 'go' });
        await core.orchestrator.waitForTask(task.id);
        assert.ok(changes.some(c => c.kind === 'recorded'));
        const dashboard = await service.dashboard('today');
        const gemini = dashboard.byAgent.find(a => a.agentId === 'gemini')!;
        // 1000 input x $1.25 + 100 output x $10 per million (gemini-2.5-pro).
        assert.equal(gemini.costPico, String(1000n * 1_250_000n + 100n * 10_000_000n));
        assert.equal((await service.atAGlance()).todayPico, gemini.costPico);
        assert.deepEqual(await service.whoAmI(), { user: developer, canAdminister: false });
        await assert.rejects(service.dashboard('year' as 'today'), /one of today, 7d, month, 30d, not "year"/);
    });

    it('refuses budgets and prices from a developer, naming the role, and audits the refusal', async () => {
        const service = serviceFor(developer);
        await assert.rejects(service.setBudget({ scope: 'workspace', period: 'day' }, '10'), /Dev \(developer\) may not set a budget \(workspace\/day\): only an admin may\. Ask an admin/);
        await assert.rejects(service.removeBudget({ scope: 'workspace', period: 'day' }), /may not remove a budget \(workspace\/day\): only an admin may/);
        await assert.rejects(service.setPriceOverrides({ 'gpt-5': { input: 0, output: 0 } }), /may not change model prices \(coditect\.costs\.priceOverrides\): only an admin may/);
        assert.deepEqual(core.costs.budgetStatuses(), []);
        assert.equal(core.costs.prices.priceAt('gpt-5', Date.now())?.source, 'default');
        const refused = core.audit.recent().filter(e => e.outcome === 'refused').map(e => `${e.action} ${e.target} ${e.userId}`);
        assert.deepEqual(refused.sort(), ['budget.remove workspace/day user:dev', 'budget.set workspace/day user:dev', 'prices.set coditect.costs.priceOverrides user:dev']);
    });

    it('lets an admin set budgets and prices, tells every connection, and audits the change', async () => {
        const service = serviceFor(admin);
        const watcher = serviceFor(developer);
        const heard: BudgetEvent[] = [];
        watcher.setClient({ onCostsChanged: () => undefined, onBudgetEvent: e => heard.push(e) });
        await new Promise(resolve => setTimeout(resolve, 10));
        const status = await service.setBudget({ scope: 'agent', agentId: 'claude', period: 'month' }, '12.50');
        assert.deepEqual([status.label, status.limitPico, status.level], ['Claude, monthly', '12500000000000', 'ok']);
        assert.deepEqual(heard.map(e => [e.kind, e.by]), [['changed', 'Ada']]);
        await assert.rejects(service.setBudget({ scope: 'agent', agentId: 'nobody', period: 'day' }, '1'), /There is no agent "nobody"/);
        await assert.rejects(service.setBudget(null as unknown as { scope: 'workspace'; period: 'day' }, '1'), /A budget is named as \{"scope": "workspace"/);
        await assert.rejects(service.setBudget({ scope: 'workspace', period: 'week' as 'day' }, '1'), /"period": "day" \| "month"/);
        const prices = await service.setPriceOverrides({ 'gpt-5': { input: 1, output: 8 } });
        assert.equal(prices.overrides.models, 1);
        assert.equal(prices.overrides.updatedBy, 'Ada');
        await assert.rejects(service.setPriceOverrides({ 'gpt-5': { input: 'a lot' } }), /coditect\.costs\.priceOverrides\.gpt-5\.input/);
        await service.removeBudget({ scope: 'agent', agentId: 'claude', period: 'month' });
        const log = core.audit.recent().map(e => `${e.action} ${e.outcome}`);
        assert.deepEqual(log.reverse(), ['budget.set allowed', 'budget.set allowed', 'budget.set failed', 'prices.set allowed', 'prices.set allowed', 'prices.set failed', 'budget.remove allowed'],
            'the policy\'s decision, then "failed" when an allowed change fails; a malformed request is refused before it reaches the policy');
    });

    it('prepares a one-time export link', async () => {
        const service = serviceFor(developer);
        const url = await service.prepareExport('month');
        assert.ok(url.startsWith(`${COST_EXPORT_HTTP_PREFIX}/`));
        await assert.rejects(service.prepareExport('forever' as 'month'), /not "forever"/);
    });
});
