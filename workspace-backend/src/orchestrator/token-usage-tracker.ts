import { TokenUsage, totalTokens } from '../providers/token-usage';
import type { TokenUsageRepository } from './agent-repository';

/**
 * Every agent's token usage: each model call's usage recorded in metrics.db (per agent, task and
 * model) and each agent's running total, read from metrics.db once and then kept current here.
 *
 * Invariant: usage is recorded only through `record`, so the cached total is the sum in
 * metrics.db (input + cache read + cache write + output, `totalTokens`).
 */
export class TokenUsageTracker {
    protected readonly totals = new Map<string, number>();

    constructor(protected readonly repository: TokenUsageRepository) { }

    /** Every token the agent has used, in every task so far. */
    totalOf(agentId: string): number {
        let total = this.totals.get(agentId);
        if (total === undefined) {
            total = this.repository.totalForAgent(agentId);
            this.totals.set(agentId, total);
        }
        return total;
    }

    /** Records one model call's usage (committed before it returns) and answers the agent's new total. */
    record(row: { agentId: string; taskId: number; provider: string; model: string; usage: TokenUsage }): number {
        // The total before this call is read first: read after the insert, a cold cache would count the call twice.
        const total = this.totalOf(row.agentId) + totalTokens(row.usage);
        this.repository.record(row);
        this.totals.set(row.agentId, total);
        return total;
    }
}
