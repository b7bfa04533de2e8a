import type { MonthlyCost } from './cost-model';

export interface ChartBar {
    readonly label: string;
    readonly cost: MonthlyCost;
}

const Parts: readonly { key: keyof Pick<MonthlyCost, 'compute' | 'volume' | 'bucket' | 'egress' | 'shared'>; name: string; colour: string }[] = [
    { key: 'compute', name: 'compute (pod hours)', colour: '#4e79a7' },
    { key: 'volume', name: 'volume', colour: '#f28e2b' },
    { key: 'bucket', name: 'bucket', colour: '#59a14f' },
    { key: 'egress', name: 'egress', colour: '#b07aa1' },
    { key: 'shared', name: 'fleet, load balancer, cluster', colour: '#9c755f' },
];

/** A horizontal stacked bar chart of the cost per user and month, with the goal's line: SVG, for docs/fleet.md. */
export function costChartSvg(bars: readonly ChartBar[], goalUsd: number, caption: string): string {
    const width = 820;
    const labelWidth = 300;
    const barHeight = 26;
    const top = 40;
    const plotWidth = width - labelWidth - 90;
    const max = Math.max(goalUsd, ...bars.map(b => b.cost.perUser)) * 1.05;
    const x = (usd: number) => labelWidth + (usd / max) * plotWidth;
    const height = top + bars.length * (barHeight + 12) + 70;
    const escape = (text: string) => text.replace(/[&<>"]/g, c => `&#${c.charCodeAt(0)};`);
    const rows = bars.map((bar, i) => {
        const y = top + i * (barHeight + 12);
        let at = 0;
        const segments = Parts.map(part => {
            const value = bar.cost[part.key];
            const rect = `<rect x="${x(at).toFixed(1)}" y="${y}" width="${(x(at + value) - x(at)).toFixed(1)}" height="${barHeight}" fill="${part.colour}"/>`;
            at += value;
            return rect;
        }).join('');
        return `<text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end">${escape(bar.label)}</text>${segments}`
            + `<text x="${(x(at) + 6).toFixed(1)}" y="${y + 17}">$${bar.cost.perUser.toFixed(2)}</text>`;
    }).join('\n');
    const goal = `<line x1="${x(goalUsd).toFixed(1)}" x2="${x(goalUsd).toFixed(1)}" y1="${top - 8}" y2="${top + bars.length * (barHeight + 12)}" stroke="#e15759" stroke-dasharray="4 3"/>`
        + `<text x="${(x(goalUsd) + 4).toFixed(1)}" y="${top - 12}" fill="#e15759">goal $${goalUsd}</text>`;
    const legendY = top + bars.length * (barHeight + 12) + 20;
    const legend = Parts.map((part, i) => `<rect x="${labelWidth + i * 100}" y="${legendY}" width="10" height="10" fill="${part.colour}"/>`
        + `<text x="${labelWidth + i * 100 + 14}" y="${legendY + 9}" font-size="10">${escape(part.name.split(' (')[0].split(',')[0])}</text>`).join('');
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">\n`
        + `<rect width="100%" height="100%" fill="#fff"/>\n<text x="10" y="20" font-weight="bold">${escape(caption)}</text>\n${rows}\n${goal}\n${legend}\n`
        + `<text x="10" y="${height - 10}" font-size="10" fill="#555">USD per user and month; prices: docs/fleet-prices.json; usage: the scenario in docs/fleet.md</text>\n</svg>\n`;
}
