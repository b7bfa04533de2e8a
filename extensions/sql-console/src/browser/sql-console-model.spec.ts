import * as assert from 'node:assert/strict';
import { ClipboardService } from '@theia/core/lib/browser/clipboard-service';
import { MessageService } from '@theia/core/lib/common/message-service';
import { Container } from '@theia/core/shared/inversify';
import type { CellValue, ResultPage, RunRequest, RunResult, SchemaTable } from '../common/sql-console-protocol';
import { SqlConsoleService } from '../common/sql-console-protocol';
import { SqlConsolePageSizePreference, SqlConsolePreferences, SqlConsoleTimeoutPreference } from '../common/sql-console-preferences';
import { SqlConsoleModel } from './sql-console-model';

const table = (name: string): SchemaTable => ({ name, kind: 'table', columns: [], indexes: [] });

const rowsResult = (runId: string, rows: CellValue[][], hasMore: boolean): RunResult => ({
    runId, database: 'workspace', mode: 'read', sql: 'SELECT n FROM t', sqlOffset: 0, durationMs: 2,
    statements: [{ index: 0, sql: 'SELECT n FROM t', offset: 0, kind: 'rows', rowsRead: rows.length, durationMs: 2 }],
    columns: [{ name: 'n', declaredType: 'INTEGER', table: 't' }], page: { rows, offset: 0, hasMore },
});

/** A console backend that answers from fields the test sets, and records what it was asked. */
class FakeSqlConsoleService implements SqlConsoleService {
    canWrite = false;
    schemas: Record<string, SchemaTable[]> = { workspace: [table('settings')], ledger: [table('entries')] };
    /** A database's schema request waits for its gate, when set: lets a test answer them out of order. */
    schemaGates: Record<string, Promise<void>> = {};
    nextResult: RunResult | undefined;
    nextPage: ResultPage = { rows: [], offset: 0, hasMore: false };
    readonly runs: RunRequest[] = [];
    readonly closed: string[] = [];

    async whoAmI() {
        return { user: { id: 'u1', displayName: 'Ada', role: this.canWrite ? 'admin' as const : 'developer' as const }, canWrite: this.canWrite };
    }
    async databases() {
        return [{ name: 'workspace', label: 'Workspace', holds: 'settings', open: true }, { name: 'ledger', label: 'Ledger', holds: 'costs', open: true }];
    }
    async schema(database: string) {
        const answer = this.schemas[database];
        await this.schemaGates[database];
        return answer;
    }
    async run(request: RunRequest) {
        this.runs.push(request);
        return this.nextResult!;
    }
    async fetch() { return this.nextPage; }
    async cell() { return 'the whole value'; }
    async cancel() { return true; }
    async closeRun(runId: string) { this.closed.push(runId); }
    async history() { return []; }
    async prepareExport() { return '/export/1'; }
}

describe('SqlConsoleModel', () => {
    let service: FakeSqlConsoleService;
    let infos: string[];
    let clipboard: string[];
    let errors: string[];

    function createModel(): SqlConsoleModel {
        const container = new Container();
        container.bind(SqlConsoleService).toConstantValue(service);
        container.bind(SqlConsolePreferences).toConstantValue({ [SqlConsoleTimeoutPreference]: 5000, [SqlConsolePageSizePreference]: 2 } as unknown as SqlConsolePreferences);
        container.bind(ClipboardService).toConstantValue({ readText: () => '', writeText: (text: string) => { clipboard.push(text); } });
        container.bind(MessageService).toConstantValue({
            info: async (text: string) => { infos.push(text); return undefined; },
            error: async (text: string) => { errors.push(text); return undefined; },
        } as unknown as MessageService);
        container.bind(SqlConsoleModel).toSelf();
        return container.get(SqlConsoleModel);
    }

    beforeEach(() => {
        service = new FakeSqlConsoleService();
        infos = [];
        clipboard = [];
        errors = [];
    });

    afterEach(() => assert.deepEqual(errors, [], 'no error was shown'));

    it('reads the user, the databases and the chosen database\'s schema on start, and announces the schema', async () => {
        service.canWrite = true;
        const model = createModel();
        const announced: SchemaTable[][] = [];
        model.onDidLoadSchema(schema => announced.push(schema));
        await model.ready;
        assert.equal(model.user?.displayName, 'Ada');
        assert.equal(model.canWrite, true);
        assert.deepEqual(model.databases.map(d => d.name), ['workspace', 'ledger']);
        assert.deepEqual(model.schema?.map(t => t.name), ['settings']);
        assert.deepEqual(announced.map(s => s.map(t => t.name)), [['settings']]);
    });

    it('keeps the schema of the database chosen last when answers arrive late', async () => {
        const model = createModel();
        await model.ready;
        const gate = () => {
            let open!: () => void;
            const promise = new Promise<void>(resolve => open = resolve);
            return { promise, open };
        };
        const ledger = gate();
        const workspace = gate();
        service.schemaGates = { ledger: ledger.promise, workspace: workspace.promise };
        model.selectDatabase('ledger');
        model.selectDatabase('workspace');
        const whileLoading = model.schema;
        assert.equal(whileLoading, undefined, 'the old schema is not shown while the new one loads');
        workspace.open();
        await new Promise(resolve => setTimeout(resolve, 0));
        ledger.open();
        await new Promise(resolve => setTimeout(resolve, 0));
        assert.equal(model.database, 'workspace');
        assert.deepEqual(model.schema?.map(t => t.name), ['settings'], 'the late answer for ledger is dropped');
    });

    it('asks for a write run only when the role allows it and the user switched writes on', async () => {
        service.canWrite = false;
        const model = createModel();
        await model.ready;
        service.nextResult = rowsResult('r1', [[1]], false);
        model.setAllowWrites(true);
        await model.run({ text: 'DELETE FROM t', cursor: 0 });
        assert.equal(service.runs[0].allowWrites, false, 'a developer\'s switch does not ask for writes');
        assert.equal(service.runs[0].pageSize, 2);
        assert.equal(service.runs[0].timeoutMs, 5000);
    });

    it('runs nothing for an empty editor, and says so', async () => {
        const model = createModel();
        await model.ready;
        assert.equal(await model.run({ text: '  \n', cursor: 0 }), undefined);
        assert.equal(service.runs.length, 0);
        assert.match(infos[0], /nothing to run/);
    });

    it('shows a failed run on the Messages tab, and a run with rows on Results', async () => {
        const model = createModel();
        await model.ready;
        service.nextResult = { ...rowsResult('r1', [], false), columns: undefined, page: undefined, error: { kind: 'sqlite', message: 'near "SELEC": syntax error' } };
        await model.run({ text: 'SELEC 1', cursor: 0 });
        assert.equal(model.tab, 'messages');
        assert.equal(model.running, false);
        service.nextResult = rowsResult('r2', [[1]], false);
        await model.run({ text: 'SELECT 1', cursor: 0 });
        assert.equal(model.tab, 'results');
        assert.deepEqual(model.rows, [[1]]);
    });

    it('pages in more rows, and closes a run that still had rows when the next replaces it', async () => {
        const model = createModel();
        await model.ready;
        service.nextResult = rowsResult('r1', [[1], [2]], true);
        await model.run({ text: 'SELECT n FROM t', cursor: 0 });
        service.nextPage = { rows: [[3]], offset: 2, hasMore: false };
        await model.loadMore();
        assert.deepEqual(model.rows, [[1], [2], [3]]);
        assert.equal(model.hasMore, false);

        service.nextResult = rowsResult('r2', [[1], [2]], true);
        await model.run({ text: 'SELECT n FROM t', cursor: 0 });
        assert.deepEqual(service.closed, [], 'r1 was read to its end: nothing to close');
        service.nextResult = rowsResult('r3', [[9]], false);
        await model.run({ text: 'SELECT n FROM t', cursor: 0 });
        assert.deepEqual(service.closed, ['r2']);
    });

    it('sorts ascending, descending, then back to the backend\'s order, and copies the selected rows in display order', async () => {
        const model = createModel();
        await model.ready;
        service.nextResult = rowsResult('r1', [[2], [3], [1]], false);
        await model.run({ text: 'SELECT n FROM t', cursor: 0 });
        model.toggleSort(0);
        assert.deepEqual(model.sortedRows(), [[1], [2], [3]]);
        model.toggleSort(0);
        assert.deepEqual(model.sortedRows(), [[3], [2], [1]]);
        model.selectRow(0, false);
        model.selectRow(2, true);
        await model.copySelection();
        assert.equal(clipboard[0], 'n\n3\n1');
        assert.equal(infos[0], 'Copied 2 rows (tab-separated, with a header).');
        model.toggleSort(0);
        assert.equal(model.sort, undefined);
        assert.equal(model.selected.size, 0, 'sorting clears the selection: its indexes would point elsewhere');
        assert.deepEqual(model.sortedRows(), [[2], [3], [1]]);
    });

    it('opens a cut cell whole, fetched from the run', async () => {
        const model = createModel();
        await model.ready;
        service.nextResult = rowsResult('r1', [[{ t: 'text', chars: 5000, text: 'abc', ref: 7 }]], false);
        await model.run({ text: 'SELECT n FROM t', cursor: 0 });
        await model.openCell(0, 0);
        assert.deepEqual(model.detail, { title: 'Row 1, n', value: 'the whole value' });
        model.closeDetail();
        assert.equal(model.detail, undefined);
    });

    it('fires onDidChange when its state changes', async () => {
        const model = createModel();
        await model.ready;
        let changes = 0;
        model.onDidChange(() => changes++);
        model.setTab('history');
        assert.equal(model.tab, 'history');
        assert.equal(changes, 1);
    });
});
