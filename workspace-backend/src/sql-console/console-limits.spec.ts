import * as assert from 'node:assert/strict';
import { ConsoleBusyError, consoleLimitsFromEnv, DefaultConsoleLimits, RunningQueries } from './console-limits';

describe('console limits', () => {
    it('reads the defaults, and each limit from its variable, refusing what is not a positive whole number', () => {
        assert.deepEqual(consoleLimitsFromEnv({}), DefaultConsoleLimits);
        assert.deepEqual(DefaultConsoleLimits, { developer: { maxRunning: 2, maxTimeoutMs: 60_000 }, admin: { maxRunning: 4, maxTimeoutMs: 600_000 }, workspaceMaxRunning: 8 });
        const limits = consoleLimitsFromEnv({ STUDIO_SQL_DEVELOPER_MAX_RUNNING: '1', STUDIO_SQL_ADMIN_MAX_TIMEOUT_MS: '120000', STUDIO_SQL_MAX_RUNNING: ' 3 ' });
        assert.deepEqual(limits, { developer: { maxRunning: 1, maxTimeoutMs: 60_000 }, admin: { maxRunning: 4, maxTimeoutMs: 120_000 }, workspaceMaxRunning: 3 });
        assert.throws(() => consoleLimitsFromEnv({ STUDIO_SQL_DEVELOPER_MAX_TIMEOUT_MS: '1.5' }), /STUDIO_SQL_DEVELOPER_MAX_TIMEOUT_MS must be a positive whole number, not "1.5"/);
        assert.throws(() => consoleLimitsFromEnv({ STUDIO_SQL_ADMIN_MAX_RUNNING: '0' }), /STUDIO_SQL_ADMIN_MAX_RUNNING/);
    });

    it('gives a slot back once, however often its release is called', () => {
        const running = new RunningQueries({ ...DefaultConsoleLimits, admin: { maxRunning: 1, maxTimeoutMs: 1000 } });
        const ada = { id: 'user:ada', displayName: 'Ada', role: 'admin' as const };
        const release = running.admit(ada);
        assert.throws(() => running.admit(ada), (error: unknown) => error instanceof ConsoleBusyError && /You have 1 query running, the most an admin may/.test(error.message));
        release();
        release();
        running.admit(ada);
        assert.throws(() => running.admit(ada), ConsoleBusyError, 'the double release did not free a second slot');
    });
});
