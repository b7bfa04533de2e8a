import * as assert from 'node:assert/strict';
import { resolveReplicationConfig } from './replication-config';

describe('resolveReplicationConfig: the lag allowed before the workspace is unready', () => {
    it('defaults to 30 s, or three sync intervals when those are longer', () => {
        assert.equal(resolveReplicationConfig('/d', {}).maxLagMs, 30_000);
        assert.equal(resolveReplicationConfig('/d', { STUDIO_SYNC_INTERVAL_MS: '60000' }).maxLagMs, 180_000);
    });

    it('takes STUDIO_REPLICA_MAX_LAG_MS, and refuses less than two sync intervals', () => {
        assert.equal(resolveReplicationConfig('/d', { STUDIO_REPLICA_MAX_LAG_MS: '5000' }).maxLagMs, 5000);
        assert.throws(() => resolveReplicationConfig('/d', { STUDIO_REPLICA_MAX_LAG_MS: '1500' }),
            /STUDIO_REPLICA_MAX_LAG_MS=1500 is less than two sync intervals \(STUDIO_SYNC_INTERVAL_MS=1000\)/);
        assert.throws(() => resolveReplicationConfig('/d', { STUDIO_REPLICA_MAX_LAG_MS: 'soon' }), /must be a positive number/);
    });
});
