import type { SqliteDatabase } from '../sqlite-database';

/** A JSON value, as settings hold them. */
export type SettingValue = string | number | boolean | null | SettingValue[] | { [key: string]: SettingValue };

/**
 * Workspace settings in `workspace.db` (table `settings`): a key and a JSON value. The pattern
 * every repository follows: it takes its `SqliteDatabase`, holds all of its domain's SQL,
 * takes and returns typed values, and writes through `run`/`transaction` (the one writer).
 */
export class SettingsRepository {
    constructor(protected readonly db: SqliteDatabase, protected readonly now: () => number = Date.now) {
        if (db.name !== 'workspace') {
            throw new Error(`SettingsRepository needs the workspace database, not the ${db.label}`);
        }
    }

    get<T extends SettingValue = SettingValue>(key: string): T | undefined {
        const row = this.db.get<{ value_json: string }>('SELECT value_json FROM settings WHERE key = ?', key);
        return row === undefined ? undefined : JSON.parse(row.value_json) as T;
    }

    set(key: string, value: SettingValue): void {
        this.db.run(
            'INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at',
            key, JSON.stringify(value), this.now());
    }

    /** Sets several settings at once: all or none. */
    setAll(values: Readonly<Record<string, SettingValue>>): void {
        this.db.transaction(tx => {
            for (const [key, value] of Object.entries(values)) {
                tx.run(
                    'INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at',
                    key, JSON.stringify(value), this.now());
            }
        });
    }

    /** True when there was such a setting. */
    delete(key: string): boolean {
        return this.db.run('DELETE FROM settings WHERE key = ?', key).changes > 0;
    }

    all(): Record<string, SettingValue> {
        const rows = this.db.all<{ key: string; value_json: string }>('SELECT key, value_json FROM settings ORDER BY key');
        return Object.fromEntries(rows.map(r => [r.key, JSON.parse(r.value_json) as SettingValue]));
    }
}
