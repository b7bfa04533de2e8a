import { createPreferenceProxy, PreferenceContribution, PreferenceProxy, PreferenceSchema, PreferenceService } from '@theia/core';
import { interfaces } from '@theia/core/shared/inversify';

export const SqlConsoleTimeoutPreference = 'coditect.sqlConsole.queryTimeoutMs';
export const SqlConsolePageSizePreference = 'coditect.sqlConsole.pageSize';

const SqlConsolePreferenceSchema: PreferenceSchema = {
    properties: {
        [SqlConsoleTimeoutPreference]: {
            type: 'number',
            minimum: 100,
            maximum: 600_000,
            default: 5000,
            description: 'SQL Console: Query Timeout. How long a query may run, in milliseconds, before it is stopped (its worker process is killed).',
        },
        [SqlConsolePageSizePreference]: {
            type: 'number',
            minimum: 50,
            maximum: 5000,
            default: 500,
            description: 'SQL Console: Page Size. Rows fetched at a time; more are fetched as you scroll the results.',
        },
    },
};

export interface SqlConsoleConfiguration {
    [SqlConsoleTimeoutPreference]: number;
    [SqlConsolePageSizePreference]: number;
}

export const SqlConsolePreferences = Symbol('SqlConsolePreferences');
export type SqlConsolePreferences = PreferenceProxy<SqlConsoleConfiguration>;

export function bindSqlConsolePreferences(bind: interfaces.Bind): void {
    bind(SqlConsolePreferences).toDynamicValue(ctx => createPreferenceProxy(ctx.container.get(PreferenceService), SqlConsolePreferenceSchema)).inSingletonScope();
    bind(PreferenceContribution).toConstantValue({ schema: SqlConsolePreferenceSchema });
}
