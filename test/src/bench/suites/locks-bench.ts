import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { chromium } from 'playwright-core';
import { TheiaApp, TheiaExplorerView, TheiaWorkspace } from '@theia/playwright';
import { LockOwner, WorkspaceCore } from '@coditect/workspace-backend';
import { chromiumLaunchOptions } from '../../lib/chromium';
import { studioAppDir } from '../../lib/repo-paths';
import { launchStudio } from '../../lib/studio-process';
import { BenchFigures, BenchSuite } from '../bench-suite';
import { percentile, round } from '../bench-stats';

const agent = (name: string): LockOwner => ({ id: `agent:${name}`, kind: 'agent', displayName: name });
const iterations = Number(process.env.BENCH_LOCK_ITERATIONS ?? 2000);

/** Acquire+release against the same two writes done with raw better-sqlite3 on a table of the same shape and pragmas. */
async function measureCore(log: (m: string) => void): Promise<BenchFigures> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-locks-'));
    const core = new WorkspaceCore({ workspaceDir: path.join(root, 'ws'), dataDir: path.join(root, 'data') });
    await core.start();
    const raw = new Database(path.join(root, 'raw-locks.db'));
    raw.pragma('journal_mode = WAL');
    raw.pragma(`synchronous = ${core.databases.get('locks').get<{ synchronous: number }>('PRAGMA synchronous')!.synchronous}`);
    raw.exec('CREATE TABLE locks (id TEXT PRIMARY KEY, path TEXT, mode TEXT, owner_id TEXT, owner_kind TEXT, owner_name TEXT, acquired_at INTEGER, expires_at INTEGER, ttl_ms INTEGER, task_id TEXT) STRICT');
    raw.exec('CREATE TABLE lock_history (id INTEGER PRIMARY KEY, at INTEGER, event TEXT, path TEXT, mode TEXT, owner_id TEXT, owner_name TEXT, lock_id TEXT, detail TEXT) STRICT');
    const insert = raw.prepare('INSERT INTO locks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const history = raw.prepare('INSERT INTO lock_history (at, event, path, mode, owner_id, owner_name, lock_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const remove = raw.prepare('DELETE FROM locks WHERE id = ?');
    try {
        const claude = agent('Claude');
        const ours: number[] = [];
        const baseline: number[] = [];
        for (let i = 0; i < iterations; i++) {
            // Alternate, so drift on a noisy machine falls on both alike.
            let t = performance.now();
            const lock = await core.locks.acquire({ path: `src/file-${i % 200}.ts`, mode: 'exclusive', owner: claude });
            core.locks.release(lock.id, claude);
            ours.push(performance.now() - t);

            t = performance.now();
            const id = `raw-${i}`;
            insert.run(id, `src/file-${i % 200}.ts`, 'exclusive', claude.id, 'agent', 'Claude', Date.now(), Date.now() + 3600_000, 3600_000, null);
            history.run(Date.now(), 'acquired', `src/file-${i % 200}.ts`, 'exclusive', claude.id, 'Claude', id, null);
            remove.run(id);
            history.run(Date.now(), 'released', `src/file-${i % 200}.ts`, 'exclusive', claude.id, 'Claude', id, null);
            baseline.push(performance.now() - t);
        }
        log(`uncontended acquire+release: p50 ${percentile(ours, 50).toFixed(3)} ms, p99 ${percentile(ours, 99).toFixed(3)} ms (raw SQLite p99 ${percentile(baseline, 99).toFixed(3)} ms)`);

        const gemini = agent('Gemini');
        const handoffs: number[] = [];
        for (let i = 0; i < Math.min(500, iterations); i++) {
            const held = await core.locks.acquire({ path: 'shared.ts', mode: 'exclusive', owner: claude });
            const waiting = core.locks.acquire({ path: 'shared.ts', mode: 'exclusive', owner: gemini, waitMs: 10_000 });
            await new Promise(resolve => setImmediate(resolve));
            const t = performance.now();
            core.locks.release(held.id, claude);
            const granted = await waiting;
            handoffs.push(performance.now() - t);
            core.locks.release(granted.id, gemini);
        }
        log(`hand-off p99 ${percentile(handoffs, 99).toFixed(3)} ms`);

        const t = performance.now();
        const many = [];
        for (let i = 0; i < 1000; i++) {
            many.push(await core.locks.acquire({ path: `many/f${i}.ts`, mode: i % 3 ? 'shared' : 'exclusive', owner: agent(`a${i % 4}`) }));
        }
        const hold1000Ms = performance.now() - t;
        const underLoad: number[] = [];
        for (let i = 0; i < 200; i++) {
            const s = performance.now();
            const lock = await core.locks.acquire({ path: `other/f${i}.ts`, mode: 'exclusive', owner: claude });
            core.locks.release(lock.id, claude);
            underLoad.push(performance.now() - s);
        }
        log(`1000 locks held in ${hold1000Ms.toFixed(0)} ms; acquire+release p99 with them held ${percentile(underLoad, 99).toFixed(3)} ms`);
        many.forEach(l => core.locks.release(l.id, l.owner));

        return {
            acquire_p50_ms: round(percentile(ours, 50), 4),
            acquire_p99_ms: round(percentile(ours, 99), 4),
            raw_sqlite_p99_ms: round(percentile(baseline, 99), 4),
            acquire_overhead_p99: round(percentile(ours, 99) / percentile(baseline, 99)),
            handoff_p99_ms: round(percentile(handoffs, 99), 4),
            hold_1000_ms: round(hold1000Ms, 1),
            acquire_p99_with_1000_held_ms: round(percentile(underLoad, 99), 4),
        };
    } finally {
        raw.close();
        await core.stop();
        fs.rmSync(root, { recursive: true, force: true });
    }
}

/** From a lock granted over HTTP to its badge in the explorer of a real browser. */
async function measureBadge(log: (m: string) => void): Promise<BenchFigures> {
    const workspaceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-badge-ws-'));
    const files = 20;
    for (let i = 0; i < files; i++) {
        fs.writeFileSync(path.join(workspaceDir, `file-${String(i).padStart(2, '0')}.ts`), `export const n = ${i};\n`);
    }
    const studio = await launchStudio({ appDir: studioAppDir, workspaceDir, logName: 'bench-locks-badge' });
    const browser = await chromium.launch(chromiumLaunchOptions);
    try {
        const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
        await page.goto(studio.loginUrl(workspaceDir));
        await page.waitForSelector('.theia-preload', { state: 'detached', timeout: 60_000 });
        await page.waitForSelector('#theia-app-shell');
        const app = new TheiaApp(page, Object.assign(Object.create(TheiaWorkspace.prototype), { workspacePath: workspaceDir }), false);
        await (await app.openView(TheiaExplorerView)).waitForVisibleFileNodes();
        await page.waitForSelector('.theia-TreeNodeSegment:text-is("file-19.ts")', { timeout: 60_000 });
        // Locks taken as an outside agent would: with an agent token the studio's (admin) local user issues.
        const issued = await fetch(`${studio.url}/coditect/api/tokens`, {
            method: 'POST', headers: { 'content-type': 'application/json', ...studio.authHeaders }, body: JSON.stringify({ agentId: 'gemini', displayName: 'Gemini' }),
        });
        if (issued.status !== 201) {
            throw new Error(`issuing an agent token failed: ${issued.status} ${await issued.text()}`);
        }
        const agentToken = (await issued.json() as { token: string }).token;
        const samples: number[] = [];
        for (let i = 0; i < files; i++) {
            const name = `file-${String(i).padStart(2, '0')}.ts`;
            const row = page.locator('.theia-TreeNode', { has: page.locator(`.theia-TreeNodeSegment:text-is("${name}")`) });
            const t = performance.now();
            const response = await fetch(`${studio.url}/coditect/api/locks`, {
                method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${agentToken}` },
                body: JSON.stringify({ path: name, mode: 'exclusive' }),
            });
            if (response.status !== 201) {
                throw new Error(`locking ${name} failed: ${response.status} ${await response.text()}`);
            }
            await row.locator('.codicon-lock').waitFor({ timeout: 10_000 });
            samples.push(performance.now() - t);
        }
        log(`badge after grant: p50 ${percentile(samples, 50).toFixed(0)} ms, p95 ${percentile(samples, 95).toFixed(0)} ms`);
        // Theia's TreeWidget debounces every decoration update by 150 ms (tree-widget.js,
        // `updateDecorations`), for its own decorators too: that is the floor of this figure.
        return { badge_p50_ms: round(percentile(samples, 50), 1), badge_p95_ms: round(percentile(samples, 95), 1), theia_tree_decoration_debounce_ms: 150 };
    } finally {
        await browser.close();
        await studio.stop();
        fs.rmSync(workspaceDir, { recursive: true, force: true });
    }
}

export const locksBench: BenchSuite = {
    description: `lock manager on locks.db vs raw better-sqlite3 (${iterations} acquire+release), hand-off, 1000 held, and badge latency in Chromium`,
    async run(log): Promise<BenchFigures> {
        return { iterations, ...await measureCore(log), ...await measureBadge(log) };
    },
};
