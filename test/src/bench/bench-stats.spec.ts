import * as assert from 'node:assert/strict';
import { median, percentile, round } from './bench-stats';

describe('bench statistics', () => {
    it('takes nearest-rank percentiles of unsorted samples', () => {
        const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
        assert.equal(percentile(samples, 50), 5);
        assert.equal(percentile(samples, 99), 10);
        assert.equal(percentile(samples, 0), 1);
        assert.equal(median([3, 1, 2]), 2);
    });

    it('refuses an empty sample set rather than report a made-up figure', () => {
        assert.throws(() => percentile([], 50), /no samples/);
    });

    it('rounds to the asked digits', () => assert.equal(round(1.23456, 2), 1.23));
});
