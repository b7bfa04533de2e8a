import assert from 'node:assert/strict';
import { runSoak } from './soak-run';

/**
 * The soak's machinery for three rounds (the second with the data folder deleted, so the restart
 * restores from the GCS test server): a real core in a child process, SIGKILLed after a random
 * number of `ack`-mode acknowledgements, must give back every acknowledged write, intact.
 * `npm run bench -- soak` runs the same for twenty rounds and more.
 */
describe('soak: SIGKILL a workspace core writing in ack mode, restart, check what was acknowledged', function () {
    this.timeout(90_000);

    it('loses no acknowledged write and no database, with the data folder kept and deleted', async () => {
        const report = await runSoak({ rounds: 3, minAcks: 8, maxAcks: 16 });
        assert.equal(report.rounds, 3);
        assert.equal(report.wipedRounds, 1, 'one restart restored from the replica alone');
        assert.match(report.wipedRestores[0] ?? 'nothing restored', /^restore point /, 'the lost data folder came back to one restore point, all databases together');
        assert.ok(report.ackedWrites >= 3 * 8, `${report.ackedWrites} writes acknowledged`);
        assert.deepEqual(report.lost, [], 'acknowledged writes missing after a restart');
        assert.deepEqual(report.integrityFailures, [], 'databases failing integrity_check after a restart');
        assert.ok(report.walMaxBytes > 0, 'the WAL was sampled');
    });
});
