import * as assert from 'node:assert/strict';
import { capString, sanitize } from './event-payload';

describe('event payloads', () => {
    it('sanitizes a payload: every string masked and capped, keys too, cycles and depth bounded, JSON only', () => {
        const cyclic: Record<string, unknown> = { name: 'loop' };
        cyclic.self = cyclic;
        let deep: Record<string, unknown> = { leaf: true };
        for (let i = 0; i < 20; i++) {
            deep = { deep };
        }
        const clean = sanitize({
            text: 'x'.repeat(20_000), secret: 'sk-live-ABCDEFGH12345678', ['sk-live-ABCDEFGH12345678']: 1, fn: () => 1, missing: undefined,
            when: new Date(5), big: 10n, nan: Number.NaN, cyclic, deep, list: Array.from({ length: 600 }, (_, i) => i),
        }, []) as Record<string, unknown>;
        assert.equal(clean.text, capString('x'.repeat(20_000)));
        assert.match(clean.text as string, /… \(3616 more characters not recorded\)$/);
        assert.equal(clean.secret, '***');
        assert.ok(!Object.keys(clean).some(k => k.includes('ABCDEFGH')));
        assert.ok(!('fn' in clean) && !('missing' in clean));
        assert.deepEqual([clean.when, clean.big, clean.nan], [5, 10, null]);
        assert.equal((clean.cyclic as Record<string, unknown>).self, '… (circular)');
        assert.match(JSON.stringify(clean.deep), /nested too deep/);
        assert.equal((clean.list as unknown[]).length, 501);
    });
});
