import * as assert from 'node:assert/strict';
import { budgetAmountProblem, exactUsd, formatMoney, formatPercent, formatTokens, picoToUsd } from './money-format';

describe('money-format', () => {
    it('shows cents from a dollar up, four decimals below, and never a real cost as zero', () => {
        const en = { currency: 'USD', rate: 1, locale: 'en-US' };
        assert.equal(formatMoney('7504000000000', en), '$7.50');
        assert.equal(formatMoney('1234567890000000', en), '$1,234.57');
        assert.equal(formatMoney('8535000000', en), '$0.0085');
        assert.equal(formatMoney('29000000000', en), '$0.0290');
        assert.equal(formatMoney('500000000000', en), '$0.50');
        assert.equal(formatMoney('125000000000', en), '$0.125');
        assert.equal(formatMoney('50000000000', en, { round: true }), '$0.05');
        assert.equal(formatMoney('0', en), '$0.00');
        assert.equal(formatMoney('10', en), '<$0.0001');
        assert.equal(formatMoney('5000000000000', { currency: 'EUR', rate: 0.9, locale: 'en-US' }), '€4.50');
        assert.equal(formatMoney('5000000000000', { currency: 'XYZ1', rate: 1, locale: 'en-US' }), '$5.00', 'a bad code falls back to dollars');
    });

    it('keeps exact dollars for tooltips and converts to floats only for display', () => {
        assert.equal(exactUsd('8535000000'), '0.008535');
        assert.equal(exactUsd('12000000000000'), '12.00');
        assert.equal(exactUsd(18014398509481986n), '18014.398509481986');
        assert.equal(picoToUsd('18014398509481986'), 18014 + 0.398509481986);
    });

    it('shortens token counts and floors percentages', () => {
        assert.deepEqual([950, 2160, 12_345, 4_560_000, 25_000_000].map(formatTokens), ['950', '2.16k', '12.3k', '4.56M', '25M']);
        assert.equal(formatPercent(99.99), '99%');
    });

    it('checks a budget amount as it is typed, saying what to write', () => {
        assert.equal(budgetAmountProblem('25'), undefined);
        assert.equal(budgetAmountProblem(' $7.50 '), undefined);
        assert.match(budgetAmountProblem('')!, /Enter an amount in US dollars/);
        assert.match(budgetAmountProblem('1,000')!, /no thousands separators/);
        assert.match(budgetAmountProblem('0')!, /more than \$0; to lift a budget, remove it/);
        assert.match(budgetAmountProblem('2000000')!, /at most \$1,000,000/);
    });
});
