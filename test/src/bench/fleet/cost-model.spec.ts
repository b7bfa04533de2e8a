import * as assert from 'node:assert/strict';
import { costChartSvg } from './cost-chart';
import { DefaultScenario, DiurnalWeekday, monthlyCost, readFleetPrices } from './cost-model';

describe('the fleet\'s cost model', () => {
    const prices = readFleetPrices();

    it('prices a month from the price table: an always-on workspace is 730 pod hours, auto-sleep keeps the awake hours', () => {
        const alwaysOn = monthlyCost(prices, DefaultScenario, 1000, false);
        assert.equal(alwaysOn.awakeHoursPerUser, 730);
        const podHour = prices.autopilot.regular.vcpuHour + 2 * prices.autopilot.regular.gibHour;
        assert.ok(Math.abs(alwaysOn.compute - 730 * podHour) < 1e-9);
        assert.ok(Math.abs(alwaysOn.volume - 10 * prices.disk.pdSsdGibMonth) < 1e-9);

        const asleep = monthlyCost(prices, DefaultScenario, 1000, true);
        const activeWeekday = DiurnalWeekday.reduce((a, b) => a + b, 0);
        const days = 22 + 8.4 * 0.15;
        const expected = activeWeekday * days * 1.1 + 0.9 * 2 * 0.5 * days;
        assert.ok(Math.abs(asleep.awakeHoursPerUser - expected) < 1e-9, `${asleep.awakeHoursPerUser} awake hours, expected ${expected}`);
        assert.ok(asleep.perUser < alwaysOn.perUser);
        assert.equal(asleep.volume, alwaysOn.volume, 'the volume is paid asleep too');
        // Shared costs spread over more users.
        assert.ok(monthlyCost(prices, DefaultScenario, 10_000, true).shared < asleep.shared / 9);
        // A longer idle tail costs more awake hours.
        assert.ok(monthlyCost(prices, DefaultScenario, 1000, true, 60).awakeHoursPerUser > asleep.awakeHoursPerUser);
    });

    it('draws each scenario\'s bar with its total and the goal line', () => {
        const svg = costChartSvg([{ label: 'one <scenario>', cost: monthlyCost(prices, DefaultScenario, 1000, true) }], 7, 'caption');
        assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
        assert.match(svg, /one &#60;scenario&#62;/);
        assert.match(svg, /goal \$7/);
        assert.equal((svg.match(/<rect [^>]*height="26"/g) ?? []).length, 5, 'one segment per cost part');
    });
});
