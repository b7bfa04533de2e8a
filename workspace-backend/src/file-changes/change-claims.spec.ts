import * as assert from 'node:assert/strict';
import { ChangeClaims } from './change-claims';

describe('ChangeClaims', () => {
    const alice = { kind: 'editor' as const, by: 'Alice' };

    it('covers the path, its write-then-rename temporaries and the folders above it, until it expires', () => {
        let now = 1_000;
        const claims = new ChangeClaims(() => now, 5_000);
        claims.claim('src/new/a.ts', alice, true);
        for (const covered of ['src/new/a.ts', 'src/new/a.ts.4242.1700000000000.tmp', 'src/new/a.ts-x1y2.vsctmp', 'src/new', 'src']) {
            assert.deepEqual(claims.match(covered)?.author, alice, covered);
        }
        for (const other of ['src/new/b.ts', 'src/new/a.tsx', 'src/ne', 'src/new/a.ts.tmp.bak', 'other/a.ts']) {
            assert.equal(claims.match(other), undefined, other);
        }
        now += 5_001;
        assert.equal(claims.match('src/new/a.ts'), undefined, 'expired');
    });

    it('keeps the latest claim of a path, and whether its writer records it', () => {
        const claims = new ChangeClaims(() => 0);
        claims.claim('a.ts', alice, true);
        claims.claim('a.ts', { kind: 'editor', by: 'Bob' }, false);
        assert.deepEqual(claims.match('a.ts'), { author: { kind: 'editor', by: 'Bob' }, recordedByWriter: false, expiresAt: 5_000 });
    });
});
