import { Command } from '@theia/core/lib/common/command';

export namespace SqlConsoleCommands {
    export const CATEGORY = 'CODITECT';
    export const OPEN: Command = { id: 'coditect.sqlConsole.open', category: CATEGORY, label: 'Open SQL Console' };
    /** Takes a database name (e.g. from a `command:` link in the status tooltip); without one, asks with a quick pick. */
    export const OPEN_DATABASE: Command = { id: 'coditect.sqlConsole.openDatabase', category: CATEGORY, label: 'Open SQL Console on Database…' };
    export const RUN: Command = { id: 'coditect.sqlConsole.run', category: CATEGORY, label: 'SQL Console: Run Statement' };
}
