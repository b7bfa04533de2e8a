import * as monaco from '@theia/monaco-editor-core';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import { injectable } from '@theia/core/shared/inversify';
import type { SchemaTable } from '../common/sql-console-protocol';

const SqlLanguageId = 'sql';

/** SQLite's keywords, offered by completion after the schema's names. */
const keywords = [
    'ABORT', 'ACTION', 'ADD', 'AFTER', 'ALL', 'ALTER', 'ALWAYS', 'ANALYZE', 'AND', 'AS', 'ASC', 'BEFORE', 'BEGIN', 'BETWEEN', 'BY', 'CASCADE', 'CASE',
    'CAST', 'CHECK', 'COLLATE', 'COLUMN', 'COMMIT', 'CONFLICT', 'CONSTRAINT', 'CREATE', 'CROSS', 'CURRENT_DATE', 'CURRENT_TIME', 'CURRENT_TIMESTAMP',
    'DEFAULT', 'DEFERRED', 'DELETE', 'DESC', 'DISTINCT', 'DO', 'DROP', 'EACH', 'ELSE', 'END', 'ESCAPE', 'EXCEPT', 'EXISTS', 'EXPLAIN', 'FILTER', 'FOR',
    'FOREIGN', 'FROM', 'FULL', 'GLOB', 'GROUP', 'HAVING', 'IF', 'IGNORE', 'IN', 'INDEX', 'INNER', 'INSERT', 'INSTEAD', 'INTERSECT', 'INTO', 'IS', 'ISNULL',
    'JOIN', 'KEY', 'LEFT', 'LIKE', 'LIMIT', 'MATCH', 'NATURAL', 'NOT', 'NOTHING', 'NOTNULL', 'NULL', 'NULLS', 'OF', 'OFFSET', 'ON', 'OR', 'ORDER', 'OUTER',
    'OVER', 'PARTITION', 'PLAN', 'PRAGMA', 'PRIMARY', 'QUERY', 'RECURSIVE', 'REFERENCES', 'REGEXP', 'REINDEX', 'RELEASE', 'RENAME', 'REPLACE', 'RETURNING',
    'RIGHT', 'ROLLBACK', 'ROW', 'ROWS', 'SAVEPOINT', 'SELECT', 'SET', 'STRICT', 'TABLE', 'TEMP', 'THEN', 'TO', 'TRIGGER', 'UNION', 'UNIQUE', 'UPDATE',
    'USING', 'VALUES', 'VIEW', 'WHEN', 'WHERE', 'WINDOW', 'WITH', 'WITHOUT',
];

/**
 * Completion for the console's editors: the tables and columns of the database each editor is on
 * (registered per model URI), then keywords; after `table.` only that table's columns. Colouring,
 * brackets and comments are the `sql` language's, as in any `.sql` file (@coditect/languages: its
 * TextMate grammar and configuration); the console registers the language only where nothing has.
 */
@injectable()
export class SqlLanguageSupport implements Disposable {
    protected readonly schemas = new Map<string, readonly SchemaTable[]>();
    protected readonly toDispose = new DisposableCollection();
    protected registered = false;

    register(): void {
        if (this.registered) {
            return;
        }
        this.registered = true;
        if (!monaco.languages.getLanguages().some(l => l.id === SqlLanguageId)) {
            monaco.languages.register({ id: SqlLanguageId, extensions: ['.sql'], aliases: ['SQL', 'sql'] });
        }
        this.toDispose.push(monaco.languages.registerCompletionItemProvider(SqlLanguageId, {
            triggerCharacters: ['.'],
            provideCompletionItems: (model, position) => ({ suggestions: this.suggest(model, position) }),
        }));
    }

    /** The schema completion offers in the editor of `modelUri`. */
    setSchema(modelUri: string, tables: readonly SchemaTable[]): void {
        this.schemas.set(modelUri, tables);
    }

    forget(modelUri: string): void {
        this.schemas.delete(modelUri);
    }

    dispose(): void {
        this.toDispose.dispose();
    }

    protected suggest(model: monaco.editor.ITextModel, position: monaco.Position): monaco.languages.CompletionItem[] {
        const tables = this.schemas.get(model.uri.toString()) ?? [];
        const word = model.getWordUntilPosition(position);
        const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
        const before = model.getLineContent(position.lineNumber).slice(0, word.startColumn - 1);
        const qualifier = /([A-Za-z_][\w$]*)\.$/.exec(before)?.[1];
        const Kind = monaco.languages.CompletionItemKind;
        if (qualifier) {
            const table = tables.find(t => t.name.toLowerCase() === qualifier.toLowerCase());
            return (table?.columns ?? []).map(c => ({ label: c.name, kind: Kind.Field, detail: `${c.type || 'ANY'} — ${table!.name}`, insertText: c.name, range }));
        }
        const seen = new Set<string>();
        const columns = tables.flatMap(t => t.columns.filter(c => !seen.has(c.name) && seen.add(c.name))
            .map(c => ({ label: c.name, kind: Kind.Field, detail: `${c.type || 'ANY'} — ${t.name}`, insertText: c.name, range, sortText: `1${c.name}` })));
        return [
            ...tables.map(t => ({ label: t.name, kind: t.kind === 'view' ? Kind.Interface : Kind.Class, detail: `${t.kind} (${t.columns.length} columns)`, insertText: t.name, range, sortText: `0${t.name}` })),
            ...columns,
            ...keywords.map(k => ({ label: k, kind: Kind.Keyword, insertText: k, range, sortText: `2${k}` })),
        ];
    }
}
