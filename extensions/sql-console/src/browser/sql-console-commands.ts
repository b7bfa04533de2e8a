import { Command } from '@theia/core/lib/common/command';

export namespace SqlConsoleCommands {
    export const CATEGORY = 'CODITECT';
    const CATEGORY_KEY = 'coditect/category';
    export const OPEN: Command = Command.toLocalizedCommand(
        { id: 'coditect.sqlConsole.open', category: CATEGORY, label: 'Open SQL Console' }, 'coditect/sql-console/open', CATEGORY_KEY);
    /** Takes a database name (e.g. from a `command:` link in the status tooltip); without one, asks with a quick pick. */
    export const OPEN_DATABASE: Command = Command.toLocalizedCommand(
        { id: 'coditect.sqlConsole.openDatabase', category: CATEGORY, label: 'Open SQL Console on Database…' }, 'coditect/sql-console/open-database', CATEGORY_KEY);
    export const RUN: Command = Command.toLocalizedCommand(
        { id: 'coditect.sqlConsole.run', category: CATEGORY, label: 'SQL Console: Run Statement' }, 'coditect/sql-console/run-statement', CATEGORY_KEY);
}

