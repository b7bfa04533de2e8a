import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import type { SchemaTable } from '../common/sql-console-protocol';

export interface SqlSchemaTreeProps {
    readonly tables: readonly SchemaTable[] | undefined;
    readonly error?: string;
    onInsert(text: string): void;
}

/** Tables and views of the chosen database, each opening onto its columns and indexes. */
export function SqlSchemaTree(props: SqlSchemaTreeProps): React.ReactElement {
    const [open, setOpen] = React.useState<ReadonlySet<string>>(new Set());
    const toggle = (name: string) => setOpen(old => {
        const next = new Set(old);
        if (!next.delete(name)) {
            next.add(name);
        }
        return next;
    });
    if (props.error) {
        return <div className='sql-schema sql-schema-empty'>{props.error}</div>;
    }
    if (!props.tables) {
        return <div className='sql-schema sql-schema-empty'>{nls.localize('coditect/sql-console/schema-loading', 'Loading the schema…')}</div>;
    }
    if (!props.tables.length) {
        return <div className='sql-schema sql-schema-empty'>{nls.localize('coditect/sql-console/schema-empty', 'This database has no tables yet.')}</div>;
    }
    return <div className='sql-schema'>
        {props.tables.map(t => <div key={t.name} className='sql-schema-table'>
            <div className='sql-schema-row' onClick={() => toggle(t.name)} title={nls.localize('coditect/sql-console/schema-table-tooltip', '{0} {1}: click to show its columns', t.kind, t.name)}>
                <span className={`codicon codicon-chevron-${open.has(t.name) ? 'down' : 'right'}`} />
                <span className={`codicon codicon-${t.kind === 'view' ? 'eye' : 'table'}`} />
                <span className='sql-schema-name'>{t.name}</span>
                <span className='sql-schema-action codicon codicon-play' title={nls.localize('coditect/sql-console/schema-select-tooltip', 'Put SELECT * FROM {0} in the editor', t.name)}
                    onClick={e => {
                        e.stopPropagation();
                        props.onInsert(`SELECT * FROM ${quoteName(t.name)} LIMIT 100;`);
                    }} />
            </div>
            {open.has(t.name) && <div className='sql-schema-children'>
                {t.columns.map(c => <div key={c.name} className='sql-schema-row sql-schema-column' onClick={() => props.onInsert(c.name)} title={nls.localize('coditect/sql-console/schema-column-tooltip', 'Click to insert the name')}>
                    <span className={`codicon codicon-${c.primaryKey ? 'key' : 'symbol-field'}`} />
                    <span className='sql-schema-name'>{c.name}</span>
                    <span className='sql-schema-type'>{c.type || 'ANY'}{c.notNull ? ' NOT NULL' : ''}</span>
                </div>)}
                {t.indexes.map(i => <div key={i.name} className='sql-schema-row sql-schema-index' title={i.unique
                    ? nls.localize('coditect/sql-console/schema-unique-index-tooltip', 'unique index on {0}', i.columns.join(', '))
                    : nls.localize('coditect/sql-console/schema-index-tooltip', 'index on {0}', i.columns.join(', '))}>
                    <span className='codicon codicon-list-ordered' />
                    <span className='sql-schema-name'>{i.name}</span>
                    <span className='sql-schema-type'>{i.unique ? 'UNIQUE ' : ''}({i.columns.join(', ')})</span>
                </div>)}
            </div>}
        </div>)}
    </div>;
}

function quoteName(name: string): string {
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
