import { nls } from '@theia/core/lib/common/nls';
import * as React from '@theia/core/shared/react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CostDashboard } from '../common/cost-dashboard-protocol';
import { formatMoney, MoneyDisplay, picoToUsd } from '../common/money-format';

/** Theia's chart colours (they follow the colour theme); agents take them in order. */
const AgentPalette = [
    'var(--theia-charts-blue)', 'var(--theia-charts-orange)', 'var(--theia-charts-green)', 'var(--theia-charts-purple)',
    'var(--theia-charts-red)', 'var(--theia-charts-yellow)',
];
const InfraColour = 'var(--theia-charts-lines)';

/** A stable colour per agent: by its place among every agent the dashboard lists, sorted by id. */
export function agentColours(agentIds: readonly string[]): Map<string, string> {
    return new Map([...agentIds].sort().map((id, i) => [id, AgentPalette[i % AgentPalette.length]]));
}

export interface SpendChartProps {
    readonly dashboard: CostDashboard;
    readonly display: MoneyDisplay;
    readonly colours: ReadonlyMap<string, string>;
    readonly showInfra: boolean;
}

/** Spend over time, stacked by agent (and infrastructure when configured): recharts, coloured with the theme's chart colours. */
export function SpendChart({ dashboard, display, colours, showInfra }: SpendChartProps): React.ReactElement {
    const { series } = dashboard;
    const toDisplay = (pico: string) => picoToUsd(pico) * display.rate;
    const data = series.points.map(p => {
        const row: Record<string, number | string> = { label: series.bucket === 'day' ? p.label.slice(5) : p.label };
        for (const agent of series.agents) {
            row[agent.id] = toDisplay(p.byAgent[agent.id] ?? '0');
        }
        row.infra = toDisplay(p.infraPico);
        return row;
    });
    const money = (value: number) => formatMoney(BigInt(Math.round(value / display.rate * 1e12)), display);
    // Two significant digits on the axis: $0.005, $0.01, $0.015 stay distinct; $1.2K from a thousand up.
    const axisMoney = (value: number) => new Intl.NumberFormat(display.locale, {
        style: 'currency', currency: validCurrency(display.currency), notation: Math.abs(value) >= 1000 ? 'compact' : 'standard', maximumSignificantDigits: 2,
    }).format(value);
    const tick = { fill: 'var(--theia-descriptionForeground)', fontSize: 11 };
    return <ResponsiveContainer width='100%' height={220}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} barCategoryGap='18%'>
            <CartesianGrid vertical={false} stroke='var(--theia-charts-lines)' strokeOpacity={0.35} />
            <XAxis dataKey='label' tick={tick} tickLine={false} axisLine={{ stroke: 'var(--theia-charts-lines)' }} interval='preserveStartEnd' minTickGap={12} />
            <YAxis tick={tick} tickLine={false} axisLine={false} tickFormatter={axisMoney} width={64} tickCount={4} />
            <Tooltip
                cursor={{ fill: 'var(--theia-list-hoverBackground)' }}
                contentStyle={{
                    background: 'var(--theia-editorHoverWidget-background)', border: '1px solid var(--theia-editorHoverWidget-border)',
                    color: 'var(--theia-editorHoverWidget-foreground)', borderRadius: 3, fontSize: 12,
                }}
                labelStyle={{ color: 'var(--theia-editorHoverWidget-foreground)', fontWeight: 600 }}
                itemStyle={{ padding: 0 }}
                formatter={(value, name) => [money(Number(value)), name]}
            />
            <Legend iconType='square' iconSize={10} wrapperStyle={{ fontSize: 12, color: 'var(--theia-foreground)' }} itemSorter={null} />
            {series.agents.map(agent => <Bar key={agent.id} dataKey={agent.id} name={agent.name} stackId='spend' fill={colours.get(agent.id)} isAnimationActive={false} />)}
            {showInfra && <Bar dataKey='infra' name={nls.localize('coditect/cost-dashboard/infrastructure', 'Infrastructure')} stackId='spend' fill={InfraColour} isAnimationActive={false} />}
        </BarChart>
    </ResponsiveContainer>;
}

function validCurrency(code: string): string {
    try {
        new Intl.NumberFormat(undefined, { style: 'currency', currency: code });
        return code;
    } catch {
        return 'USD';
    }
}
