import { ConfirmDialog, SingleTextInputDialog } from '@theia/core/lib/browser/dialogs';
import { nls } from '@theia/core/lib/common/nls';
import { injectable } from '@theia/core/shared/inversify';
import { providerKeyProblem, ProviderKeyPrompt } from './provider-key-prompt';
import { ProviderKeyLabels } from './provider-key-labels';

const K = 'coditect/agent-activity/';

/** Theia's input dialog with a password field: the key is typed or pasted, never displayed. */
class ProviderKeyDialog extends SingleTextInputDialog {
    constructor(props: ConstructorParameters<typeof SingleTextInputDialog>[0], explanation: readonly string[]) {
        super(props);
        this.inputField.type = 'password';
        this.inputField.autocomplete = 'off';
        this.inputField.setAttribute('aria-label', props.title);
        this.addClass('coditect-provider-key-dialog');
        const notes = document.createElement('div');
        notes.className = 'coditect-provider-key-notes';
        for (const line of explanation) {
            const paragraph = document.createElement('p');
            paragraph.textContent = line;
            notes.appendChild(paragraph);
        }
        this.contentNode.insertBefore(notes, this.inputField);
    }
}

@injectable()
export class ProviderKeyDialogPrompt implements ProviderKeyPrompt {
    async ask({ variable, usedBy, status }: Parameters<ProviderKeyPrompt['ask']>[0]): Promise<string | undefined> {
        const dialog = new ProviderKeyDialog({
            title: nls.localize(`${K}key-dialog-title`, 'Set Provider Key: {0}', variable),
            placeholder: nls.localize(`${K}key-placeholder`, 'Paste the key'),
            confirmButtonLabel: nls.localize(`${K}key-save`, 'Save Key'),
            validate: key => providerKeyProblem(key) ?? '',
        }, [
            usedBy.length
                ? nls.localize(`${K}key-used-by`, 'Used by {0}.', usedBy.join(', '))
                : nls.localize(`${K}key-unused`, 'No agent uses this key yet.'),
            ProviderKeyLabels.describe(status),
            nls.localize(`${K}key-kept`, 'The key is kept on the workspace\'s server only, and is never shown again. The agents use it at once.'),
        ]);
        const key = await dialog.open();
        return key?.trim() || undefined;
    }

    async confirmRemove(variable: string, usedBy: readonly string[]): Promise<boolean> {
        return !!await new ConfirmDialog({
            title: nls.localize(`${K}key-remove-title`, 'Remove Provider Key'),
            msg: nls.localize(`${K}key-remove-confirm`, 'Remove the key set in the studio for {0}{1}? A key in the environment or the secrets file, if any, applies again; otherwise those agents need a key.',
                variable, usedBy.length ? ` (${usedBy.join(', ')})` : ''),
            ok: nls.localize(`${K}key-remove`, 'Remove'),
        }).open();
    }
}
