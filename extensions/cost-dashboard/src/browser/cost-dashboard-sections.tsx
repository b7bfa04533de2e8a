import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import { codicon } from '@theia/core/lib/browser/widgets/widget';
import type { BudgetStatus, CostDashboard, ModelPriceView, PriceListView, SpendSummary } from '../common/cost-dashboard-protocol';
import { exactUsd, formatMoney, formatPercent, formatTokens, MoneyDisplay, picoToUsd } from '../common/money-format';

const sourceLabel: Record<string, string> = { default: nls.localize('coditect/cost-dashboard/source-default', 'shipped list'), file: 'prices.json', preference: nls.localize('coditect/cost-dashboard/source-preference', 'preference') };
const dateTime = (t: number) => new Date(t).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const date = (t: number) => new Date(t).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

function tokenBreakdown(s: SpendSummary): string {
    const k = s.byKind;
    return nls.localize('coditect/cost-dashboard/token-breakdown', '{0} input, {1} cache read, {2} cache write, {3} output ({4} reasoning)',
        k.input.toLocaleString(), k.cacheRead.toLocaleString(), k.cacheWrite.toLocaleString(), k.output.toLocaleString(), k.reasoning.toLocaleString());
}

/** The figure, or "uncosted" with its tokens when nothing of it could be priced. */
function Money(props: { pico: string; display: MoneyDisplay; uncostedTokens?: number; tokens?: number }): React.ReactElement {
    const { pico, display, uncostedTokens = 0, tokens } = props;
    if (uncostedTokens > 0 && BigInt(pico) === 0n && (tokens === undefined || tokens === uncostedTokens)) {
        return <span className='coditect-costs-uncosted' title={nls.localize('coditect/cost-dashboard/no-price-tooltip', 'No price is known for these {0} tokens: add one in .coditect/prices.json or the preference coditect.costs.priceOverrides.', uncostedTokens.toLocaleString())}>
            {nls.localize('coditect/cost-dashboard/uncosted', 'uncosted')}</span>;
    }
    return <span title={nls.localize('coditect/cost-dashboard/exact-tooltip', '${0} (exact){1}', exactUsd(pico), uncostedTokens ? nls.localize('coditect/cost-dashboard/plus-uncosted', ', plus {0} uncosted tokens', uncostedTokens.toLocaleString()) : '')}>
        {formatMoney(pico, display)}{uncostedTokens > 0 && <span className='coditect-costs-uncosted-mark'>{nls.localize('coditect/cost-dashboard/plus-uncosted-mark', ' + uncosted')}</span>}
    </span>;
}

export function SummaryCard(props: { title: string; summary: SpendSummary & { infra: { configured: boolean; costPico: string; detail: string } }; display: MoneyDisplay; id: string }): React.ReactElement {
    const { title, summary, display, id } = props;
    const total = (BigInt(summary.costPico) + BigInt(summary.infra.costPico)).toString();
    return <div className='coditect-costs-card' data-card={id}>
        <div className='coditect-costs-card-title'>{title}</div>
        <div className='coditect-costs-card-amount'><Money pico={total} display={display} uncostedTokens={summary.uncostedTokens} tokens={summary.tokens} /></div>
        <div className='coditect-costs-card-detail' title={tokenBreakdown(summary)}>
            {nls.localize('coditect/cost-dashboard/card-models', '{0} models · {1} tokens', formatMoney(summary.costPico, display), formatTokens(summary.tokens))}
        </div>
        <div className='coditect-costs-card-detail' title={summary.infra.detail}>
            {summary.infra.configured
                ? nls.localize('coditect/cost-dashboard/card-infra', '{0} infrastructure', formatMoney(summary.infra.costPico, display))
                : nls.localize('coditect/cost-dashboard/card-no-infra', 'infrastructure not configured')}
        </div>
    </div>;
}

function ShareBar(props: { share: number; colour?: string }): React.ReactElement {
    return <div className='coditect-costs-share'><div style={{ width: `${Math.max(0, Math.min(100, props.share * 100))}%`, background: props.colour }} /></div>;
}

export function AgentTable(props: { dashboard: CostDashboard; display: MoneyDisplay; colours: ReadonlyMap<string, string> }): React.ReactElement {
    const { dashboard, display, colours } = props;
    const max = Math.max(...dashboard.byAgent.map(a => picoToUsd(a.costPico)), 0);
    return <table className='coditect-costs-table coditect-costs-agents'>
        <thead><tr><th>{nls.localize('coditect/cost-dashboard/agent', 'Agent')}</th><th className='num'>{nls.localize('coditect/cost-dashboard/tokens', 'Tokens')}</th><th className='num'>{nls.localize('coditect/cost-dashboard/spend', 'Spend')}</th><th className='coditect-costs-share-col' /></tr></thead>
        <tbody>{dashboard.byAgent.map(a => <tr key={a.agentId} data-agent-id={a.agentId}>
            <td>
                <span className='coditect-costs-swatch' style={{ background: colours.get(a.agentId) }} />
                {a.agentName}
                {a.pausedForBudget && <span className='coditect-costs-badge coditect-costs-badge-error' title={nls.localize('coditect/cost-dashboard/paused-tooltip', 'A used-up budget holds this agent paused; raise or remove the budget to resume it')}>
                    {nls.localize('coditect/cost-dashboard/paused-budget', 'paused (budget)')}</span>}
            </td>
            <td className='num' title={tokenBreakdown(a)}>{formatTokens(a.tokens)}</td>
            <td className='num'><Money pico={a.costPico} display={display} uncostedTokens={a.uncostedTokens} tokens={a.tokens} /></td>
            <td className='coditect-costs-share-col'><ShareBar share={max ? picoToUsd(a.costPico) / max : 0} colour={colours.get(a.agentId)} /></td>
        </tr>)}</tbody>
    </table>;
}

export function ModelTable(props: { dashboard: CostDashboard; display: MoneyDisplay }): React.ReactElement {
    const { dashboard, display } = props;
    if (!dashboard.byModel.length) {
        return <div className='coditect-costs-empty'>{nls.localize('coditect/cost-dashboard/no-models', 'No model was used in this range.')}</div>;
    }
    return <table className='coditect-costs-table coditect-costs-models'>
        <thead><tr><th>{nls.localize('coditect/cost-dashboard/model', 'Model')}</th><th className='num'>{nls.localize('coditect/cost-dashboard/input', 'Input')}</th><th className='num'>{nls.localize('coditect/cost-dashboard/cache-read', 'Cache read')}</th>
            <th className='num'>{nls.localize('coditect/cost-dashboard/cache-write', 'Cache write')}</th><th className='num'>{nls.localize('coditect/cost-dashboard/output', 'Output')}</th><th className='num'>{nls.localize('coditect/cost-dashboard/spend', 'Spend')}</th></tr></thead>
        <tbody>{dashboard.byModel.map(m => <tr key={m.model} data-model={m.model}>
            <td title={m.priced
                ? nls.localize('coditect/cost-dashboard/priced-as', 'priced as {0} ({1})', m.pricedAs ?? '', sourceLabel[m.priceSource ?? ''] ?? m.priceSource ?? '')
                : nls.localize('coditect/cost-dashboard/no-price', 'no price for this model')}>{m.model}</td>
            <td className='num'>{formatTokens(m.byKind.input)}</td>
            <td className='num'>{formatTokens(m.byKind.cacheRead)}</td>
            <td className='num'>{formatTokens(m.byKind.cacheWrite)}</td>
            <td className='num' title={nls.localize('coditect/cost-dashboard/reasoning', '{0} of them reasoning', m.byKind.reasoning.toLocaleString())}>{formatTokens(m.byKind.output)}</td>
            <td className='num'><Money pico={m.costPico} display={display} uncostedTokens={m.uncostedTokens} tokens={m.tokens} /></td>
        </tr>)}</tbody>
    </table>;
}

export function BudgetBars(props: {
    budgets: readonly BudgetStatus[]; display: MoneyDisplay; canEdit: boolean;
    onEdit(status: BudgetStatus): void; onRemove(status: BudgetStatus): void; onAdd(): void;
}): React.ReactElement {
    const { budgets, display, canEdit } = props;
    if (!budgets.length) {
        return <div className='coditect-costs-empty'>
            {nls.localize('coditect/cost-dashboard/no-budgets', 'No budgets.')} {canEdit
                ? <a className='coditect-costs-link' onClick={props.onAdd}>{nls.localize('coditect/cost-dashboard/set-one', 'Set one…')}</a>
                : nls.localize('coditect/cost-dashboard/admin-can-set', 'An admin can set daily and monthly budgets for the workspace and each agent.')}
        </div>;
    }
    return <div className='coditect-costs-budgets'>{budgets.map(b => {
        const key = `${b.budget.scope === 'agent' ? b.budget.agentId : 'workspace'}-${b.budget.period}`;
        return <div key={key} className={`coditect-costs-budget coditect-costs-budget-${b.level}`} data-budget={key}>
            <div className='coditect-costs-budget-head'>
                <span className='coditect-costs-budget-label'>{b.label}</span>
                <span className='coditect-costs-budget-figures'>
                    <Money pico={b.spentPico} display={display} /> {nls.localize('coditect/cost-dashboard/budget-of', 'of {0} · {1}', formatMoney(b.limitPico, display, { round: true }), formatPercent(b.percent))}
                    {b.pausedAgents.length > 0 && <span className='coditect-costs-badge coditect-costs-badge-error'>{b.pausedAgents.length === 1 ? nls.localize('coditect/cost-dashboard/one-paused', '1 agent paused') : nls.localize('coditect/cost-dashboard/n-paused', '{0} agents paused', b.pausedAgents.length)}</span>}
                </span>
                {canEdit && <span className='coditect-costs-budget-actions'>
                    <a className={codicon('edit', true)} title={nls.localize('coditect/cost-dashboard/change-budget', 'Change this budget')} onClick={() => props.onEdit(b)} />
                    <a className={codicon('trash', true)} title={nls.localize('coditect/cost-dashboard/remove-budget', 'Remove this budget')} onClick={() => props.onRemove(b)} />
                </span>}
            </div>
            <div className='coditect-costs-meter' title={nls.localize('coditect/cost-dashboard/budget-meter', 'resets {0}; set by {1}', dateTime(b.periodEnd), b.updatedBy)}>
                <div className='coditect-costs-meter-fill' style={{ width: `${Math.min(100, b.percent)}%` }} />
                {[50, 75, 90].map(t => <div key={t} className='coditect-costs-meter-tick' style={{ left: `${t}%` }} />)}
            </div>
            {b.uncostedTokens > 0 && <div className='coditect-costs-note'>{nls.localize('coditect/cost-dashboard/budget-uncosted', '{0} uncosted tokens in this period do not count against it.', b.uncostedTokens.toLocaleString())}</div>}
        </div>;
    })}</div>;
}

export function TopTasks(props: { dashboard: CostDashboard; display: MoneyDisplay; onOpen(taskId: number): void }): React.ReactElement {
    const { dashboard, display } = props;
    if (!dashboard.topTasks.length) {
        return <div className='coditect-costs-empty'>{nls.localize('coditect/cost-dashboard/no-tasks', 'No task has spent anything in this range.')}</div>;
    }
    return <table className='coditect-costs-table coditect-costs-tasks'>
        <thead><tr><th>{nls.localize('coditect/cost-dashboard/task', 'Task')}</th><th>{nls.localize('coditect/cost-dashboard/agent', 'Agent')}</th><th className='num'>{nls.localize('coditect/cost-dashboard/turns', 'Turns')}</th><th className='num'>{nls.localize('coditect/cost-dashboard/tokens', 'Tokens')}</th>
            <th className='num'>{nls.localize('coditect/cost-dashboard/spend', 'Spend')}</th><th>{nls.localize('coditect/cost-dashboard/last', 'Last')}</th></tr></thead>
        <tbody>{dashboard.topTasks.map(t => <tr key={t.taskId} data-task-id={t.taskId}>
            <td className='coditect-costs-task-title'>
                <a className='coditect-costs-link' title={nls.localize('coditect/cost-dashboard/show-task', 'Show task #{0} in the session timeline', t.taskId)} onClick={() => props.onOpen(t.taskId)}>
                    #{t.taskId} {t.title ?? nls.localize('coditect/cost-dashboard/task-gone', '(task no longer listed)')}
                </a>
            </td>
            <td>{t.agentName}</td>
            <td className='num'>{t.steps}</td>
            <td className='num'>{formatTokens(t.tokens)}</td>
            <td className='num'><Money pico={t.costPico} display={display} uncostedTokens={t.uncostedTokens} tokens={t.tokens} /></td>
            <td className='coditect-costs-dim'>{dateTime(t.lastAt)}</td>
        </tr>)}</tbody>
    </table>;
}

function priceCells(p: ModelPriceView): React.ReactNode {
    const c = p.current;
    if (!c) {
        return <td colSpan={5} className='coditect-costs-uncosted'>{nls.localize('coditect/cost-dashboard/uncosted-no-price', 'uncosted: no price')}</td>;
    }
    return <>
        <td className='num'>${c.input}</td><td className='num'>${c.cacheRead}</td><td className='num'>${c.cacheWrite}</td><td className='num'>${c.output}</td>
        <td className='coditect-costs-dim' title={[c.note, c.longContext ? nls.localize('coditect/cost-dashboard/long-context', 'prompts over {0} tokens: ${1} in, ${2} out', c.longContext.aboveTokens.toLocaleString(), c.longContext.input, c.longContext.output) : ''].filter(Boolean).join('; ')}>
            {sourceLabel[c.source ?? ''] ?? c.source}{c.from ? nls.localize('coditect/cost-dashboard/since', ', since {0}', date(c.from)) : ''}{p.history.length > 1 ? nls.localize('coditect/cost-dashboard/n-prices', ' ({0} prices)', p.history.length) : ''}
        </td>
    </>;
}

export function PriceTable(props: { prices: PriceListView; showAll: boolean; onToggleAll(): void }): React.ReactElement {
    const { prices, showAll } = props;
    const shown = prices.models.filter(m => showAll || m.inUse);
    return <>
        <table className='coditect-costs-table coditect-costs-prices'>
            <thead><tr><th>{nls.localize('coditect/cost-dashboard/model', 'Model')}</th><th className='num'>{nls.localize('coditect/cost-dashboard/input', 'Input')}</th><th className='num'>{nls.localize('coditect/cost-dashboard/cache-read', 'Cache read')}</th>
                <th className='num'>{nls.localize('coditect/cost-dashboard/cache-write', 'Cache write')}</th><th className='num'>{nls.localize('coditect/cost-dashboard/output', 'Output')}</th><th>{nls.localize('coditect/cost-dashboard/source', 'Source')}</th></tr></thead>
            <tbody>{shown.map(m => <tr key={m.model} data-model={m.model} className={m.inUse ? '' : 'coditect-costs-dim'}>
                <td>{m.model}</td>{priceCells(m)}
            </tr>)}</tbody>
        </table>
        <div className='coditect-costs-note'>
            {nls.localize('coditect/cost-dashboard/per-million', 'USD per million tokens.')} {shown.length < prices.models.length || showAll
                ? <a className='coditect-costs-link' onClick={props.onToggleAll}>{showAll ? nls.localize('coditect/cost-dashboard/in-use-only', 'Show the models in use only') : nls.localize('coditect/cost-dashboard/show-all-models', 'Show all {0} models', prices.models.length)}</a> : null}
        </div>
    </>;
}
