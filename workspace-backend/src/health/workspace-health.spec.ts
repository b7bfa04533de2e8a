import * as assert from 'node:assert/strict';
import { ComponentHealth, HealthStatus, overallStatus } from './workspace-health';

const part = (status: HealthStatus): ComponentHealth => ({ id: status, label: status, status, detail: '' });

describe('overallStatus', () => {
    it('is starting with no parts', () => assert.equal(overallStatus([]), 'starting'));
    it('is ok when every part is ok', () => assert.equal(overallStatus([part('ok'), part('ok')]), 'ok'));
    it('takes the worst of ok, starting and degraded', () => {
        assert.equal(overallStatus([part('ok'), part('starting')]), 'starting');
        assert.equal(overallStatus([part('starting'), part('degraded')]), 'degraded');
    });
    it('is only degraded when some parts are down and others still serve', () =>
        assert.equal(overallStatus([part('ok'), part('down')]), 'degraded'));
    it('is down when every part is down', () => assert.equal(overallStatus([part('down'), part('down')]), 'down'));
});
