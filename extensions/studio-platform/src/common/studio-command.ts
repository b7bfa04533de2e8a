import { Command } from '@theia/core/lib/common/command';

/** The palette category of every CODITECT command, and its translation key. */
export const STUDIO_COMMAND_CATEGORY = 'CODITECT';
const CATEGORY_KEY = 'coditect/category';

/**
 * A command of one of our extensions, in the `CODITECT` category, with its label translated under
 * `coditect/<extension>/<key>` (the convention of docs/ARCHITECTURE.md, "User-visible strings"): the
 * one helper every extension's commands go through, so the keys and the category cannot drift apart.
 */
export function studioCommand(extension: string, key: string, command: Omit<Command, 'category'> & { readonly label: string }): Command {
    return Command.toLocalizedCommand({ ...command, category: STUDIO_COMMAND_CATEGORY }, `coditect/${extension}/${key}`, CATEGORY_KEY);
}
