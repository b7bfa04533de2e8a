import { CommonCommands } from '@theia/core/lib/browser/common-commands';
import { KeybindingRegistry } from '@theia/core/lib/browser/keybinding';
import { quickCommand } from '@theia/core/lib/browser/quick-input/quick-command-service';
import { CommandRegistry } from '@theia/core/lib/common/command';
import { nls } from '@theia/core/lib/common/nls';
import { inject, injectable } from '@theia/core/shared/inversify';
import { AI_CHAT_TOGGLE_COMMAND_ID } from '@theia/ai-chat-ui/lib/browser/ai-chat-ui-contribution';
import { quickFileOpen } from '@theia/file-search/lib/browser/quick-file-open';
import { KeymapsCommands } from '@theia/keymaps/lib/browser/keymaps-frontend-contribution';
import { FILE_NAVIGATOR_TOGGLE_COMMAND_ID } from '@theia/navigator/lib/browser/navigator-contribution';
import { SearchInWorkspaceCommands } from '@theia/search-in-workspace/lib/browser/search-in-workspace-frontend-contribution';
import { TerminalCommands } from '@theia/terminal/lib/browser/terminal-frontend-contribution';

/** The shortcuts a newcomer needs first: what each does, and the command whose binding it is. */
const WelcomeShortcuts: readonly { readonly command: string; readonly label: () => string }[] = [
    { command: quickCommand.id, label: () => nls.localize('coditect/welcome/shortcut-commands', 'Show all commands') },
    { command: quickFileOpen.id, label: () => nls.localize('coditect/welcome/shortcut-go-to-file', 'Go to a file') },
    { command: FILE_NAVIGATOR_TOGGLE_COMMAND_ID, label: () => nls.localize('coditect/welcome/shortcut-explorer', 'Explorer') },
    { command: SearchInWorkspaceCommands.OPEN_SIW_WIDGET.id, label: () => nls.localize('coditect/welcome/shortcut-search', 'Search in files') },
    { command: TerminalCommands.NEW_ACTIVE_WORKSPACE.id, label: () => nls.localize('coditect/welcome/shortcut-terminal', 'New terminal') },
    { command: AI_CHAT_TOGGLE_COMMAND_ID, label: () => nls.localize('coditect/welcome/shortcut-chat', 'Chat with the agents') },
    { command: CommonCommands.OPEN_PREFERENCES.id, label: () => nls.localize('coditect/welcome/shortcut-settings', 'Settings') },
    { command: KeymapsCommands.OPEN_KEYMAPS.id, label: () => nls.localize('coditect/welcome/shortcut-keymaps', 'All keyboard shortcuts') },
];

export interface WelcomeShortcut {
    readonly command: string;
    readonly label: string;
    /** The key sequence as the user's keymap binds it now, e.g. `Ctrl+Shift+P`; several keys (a chord) joined by a space. */
    readonly keys: string;
}

/**
 * The shortcuts the welcome page lists, read from the keybinding registry, so they are the user's
 * own (a rebinding in Keyboard Shortcuts shows here); a command without a binding, or not in the
 * app, is left out.
 */
@injectable()
export class WelcomeShortcutList {

    @inject(KeybindingRegistry) protected readonly keybindings: KeybindingRegistry;
    @inject(CommandRegistry) protected readonly commands: CommandRegistry;

    get onDidChange(): KeybindingRegistry['onKeybindingsChanged'] {
        return this.keybindings.onKeybindingsChanged;
    }

    shortcuts(): WelcomeShortcut[] {
        return WelcomeShortcuts.flatMap(({ command, label }) => {
            const [binding] = this.keybindings.getKeybindingsForCommand(command);
            return binding && this.commands.getCommand(command)
                ? [{ command, label: label(), keys: this.keybindings.acceleratorFor(binding, '+').join(' ') }]
                : [];
        });
    }

    run(command: string): void {
        void this.commands.executeCommand(command);
    }
}
