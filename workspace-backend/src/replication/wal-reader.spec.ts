import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseWalHeader, WAL_FRAME_HEADER_SIZE, WAL_HEADER_SIZE, walChecksum } from './wal-format';
import { readWalBytes } from './wal-reader';

/** Real WAL files from better-sqlite3: the reader's test vectors. */
describe('WAL reader (vectors from real SQLite WAL files)', () => {
    let dir: string;
    let db: Database.Database;
    let pin: Database.Database;
    let dbPath: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wal-vec-'));
        dbPath = path.join(dir, 'v.db');
        db = new Database(dbPath);
        db.pragma('journal_mode = WAL');
        db.pragma('wal_autocheckpoint = 0');
        db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
        // A second connection keeps the WAL from being checkpointed away on close.
        pin = new Database(dbPath);
    });
    afterEach(() => {
        db.close();
        pin.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });
    const wal = () => fs.readFileSync(`${dbPath}-wal`);
    const insert = (n: number) => {
        const stmt = db.prepare('INSERT INTO t (v) VALUES (?)');
        db.transaction(() => { for (let i = 0; i < n; i++) stmt.run('x'.repeat(500)); })();
    };

    it('parses the header and verifies its checksum', () => {
        insert(1);
        const header = parseWalHeader(wal())!;
        assert.ok(header);
        assert.equal(header.pageSize, 4096);
        assert.deepEqual(walChecksum(wal(), 0, 24, header.bigEndianChecksum), header.checksum);
        const broken = Buffer.from(wal());
        broken[17] ^= 1;
        assert.equal(parseWalHeader(broken), undefined);
    });

    it('reads a valid WAL to its last commit, and continues from a position', () => {
        insert(3);
        const first = readWalBytes(wal(), undefined);
        assert.equal(first.kind, 'frames');
        if (first.kind !== 'frames') return;
        assert.ok(first.to.frameCount >= 2);
        assert.ok(first.dbSizePages >= 2);
        insert(3);
        const next = readWalBytes(wal(), first.to);
        assert.equal(next.kind, 'frames');
        if (next.kind !== 'frames') return;
        assert.equal(next.from.frameCount, first.to.frameCount);
        assert.ok(next.to.frameCount > first.to.frameCount);
        const nothing = readWalBytes(wal(), next.to);
        assert.ok(nothing.kind === 'frames' && nothing.frames.length === 0);
    });

    it('stops at a checksum mismatch (one flipped byte)', () => {
        insert(1);
        const good = readWalBytes(wal(), undefined);
        insert(1);
        const data = Buffer.from(wal());
        assert.ok(good.kind === 'frames');
        if (good.kind !== 'frames') return;
        const frameSize = WAL_FRAME_HEADER_SIZE + good.header.pageSize;
        // Flip a byte inside the page of the first frame after the first transaction.
        data[WAL_HEADER_SIZE + good.to.frameCount * frameSize + WAL_FRAME_HEADER_SIZE + 100] ^= 0xff;
        const read = readWalBytes(data, undefined);
        assert.ok(read.kind === 'frames');
        if (read.kind !== 'frames') return;
        assert.equal(read.to.frameCount, good.to.frameCount);
        assert.match(read.stoppedBecause ?? '', /checksum/);
    });

    it('reports a salt mismatch against the position as a discontinuity', () => {
        insert(1);
        const read = readWalBytes(wal(), undefined);
        assert.ok(read.kind === 'frames');
        if (read.kind !== 'frames') return;
        const other = { ...read.to, salt2: (read.to.salt2 + 1) >>> 0 };
        assert.equal(readWalBytes(wal(), other).kind, 'discontinuity');
    });

    it('ignores stale frames left from before a WAL restart', () => {
        insert(20);
        const before = readWalBytes(wal(), undefined);
        assert.ok(before.kind === 'frames');
        if (before.kind !== 'frames') return;
        pin.close();
        db.pragma('wal_checkpoint(PASSIVE)');
        insert(1); // restarts the WAL: new salts, overwrites from frame 1, older frames stay behind
        pin = new Database(dbPath);
        const data = wal();
        const after = readWalBytes(data, undefined);
        assert.ok(after.kind === 'frames');
        if (after.kind !== 'frames') return;
        assert.equal(after.header.salt1, (before.header.salt1 + 1) >>> 0, 'SQLite bumps salt-1 on restart');
        assert.ok(after.to.frameCount < before.to.frameCount);
        assert.match(after.stoppedBecause ?? '', /salts|checksum/);
        const continued = readWalBytes(data, { ...before.to, restartSalt1: (before.header.salt1 + 1) >>> 0 });
        assert.ok(continued.kind === 'frames' && continued.afterRestart && continued.from.frameCount === 0);
        assert.equal(readWalBytes(data, before.to).kind, 'discontinuity');
    });

    it('does not ship a transaction without its commit frame', () => {
        insert(1);
        const data = wal();
        const committed = readWalBytes(data, undefined);
        assert.ok(committed.kind === 'frames');
        if (committed.kind !== 'frames') return;
        insert(40); // several pages in one transaction: only its last frame commits
        const full = wal();
        // Cut the file in the middle of the second transaction: its commit frame is gone.
        const frameSize = WAL_FRAME_HEADER_SIZE + committed.header.pageSize;
        const cut = full.subarray(0, WAL_HEADER_SIZE + (committed.to.frameCount + 1) * frameSize);
        const read = readWalBytes(cut, undefined);
        assert.ok(read.kind === 'frames');
        if (read.kind !== 'frames') return;
        assert.equal(read.to.frameCount, committed.to.frameCount);
        assert.equal(read.frames.length, committed.to.frameCount * frameSize);
    });
});
