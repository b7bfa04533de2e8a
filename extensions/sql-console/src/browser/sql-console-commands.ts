import { Command } from '@theia/core/lib/common/command';
import { SharedCommands, studioCommand } from '@coditect/studio-platform/common';

export namespace SqlConsoleCommands {
    export const OPEN: Command = studioCommand('sql-console', 'open', { id: 'coditect.sqlConsole.open', label: 'Open SQL Console' });
    /** Takes a database name (e.g. from a `command:` link in the status tooltip); without one, asks with a quick pick. */
    export const OPEN_DATABASE = SharedCommands.SQL_CONSOLE_OPEN_DATABASE;
    export const RUN: Command = studioCommand('sql-console', 'run-statement', { id: 'coditect.sqlConsole.run', label: 'SQL Console: Run Statement' });
}
