import { ColorContribution } from '@theia/core/lib/browser/color-application-contribution';
import { ColorRegistry } from '@theia/core/lib/browser/color-registry';
import { Decoration, DecorationsProvider } from '@theia/core/lib/browser/decorations-service';
import { Emitter } from '@theia/core/lib/common/event';
import URI from '@theia/core/lib/common/uri';
import { injectable } from '@theia/core/shared/inversify';
import { GitStatus } from '../common/git-protocol';
import { CHANGE_LOOKS } from './git-scm-resource';

/**
 * The letters and colours of changed files, for the SCM view's rows (which read Theia's
 * DecorationsService) and the explorer. A file both staged and changed again shows its
 * working-tree change; a conflict beats everything.
 */
@injectable()
export class GitDecorationsProvider implements DecorationsProvider {
    protected readonly onDidChangeEmitter = new Emitter<URI[]>();
    readonly onDidChange = this.onDidChangeEmitter.event;

    protected decorations = new Map<string, Decoration>();

    update(status: GitStatus | undefined, fileUri: (path: string) => URI): void {
        const next = new Map<string, Decoration>();
        const changes = status ? [...status.staged, ...status.unstaged, ...status.untracked, ...status.conflicts] : [];
        for (const change of changes) {
            const look = CHANGE_LOOKS[change.kind];
            next.set(fileUri(change.path).toString(), { letter: look.letter, colorId: look.colorId, tooltip: look.tooltip(), bubble: true });
        }
        const touched = new Set([...this.decorations.keys(), ...next.keys()]);
        this.decorations = next;
        this.onDidChangeEmitter.fire([...touched].map(uri => new URI(uri)));
    }

    provideDecorations(uri: URI): Decoration | undefined {
        return this.decorations.get(uri.toString());
    }
}

/** The decoration colours, under VS Code's ids so that themes which set them apply. */
@injectable()
export class GitColorContribution implements ColorContribution {
    registerColors(colors: ColorRegistry): void {
        colors.register(
            { id: 'gitDecoration.addedResourceForeground', defaults: { dark: '#81b88b', light: '#587c0c', hcDark: '#a1e3ad', hcLight: '#374e06' }, description: 'Colour of an added file in source control.' },
            { id: 'gitDecoration.modifiedResourceForeground', defaults: { dark: '#E2C08D', light: '#895503', hcDark: '#E2C08D', hcLight: '#895503' }, description: 'Colour of a modified file in source control.' },
            { id: 'gitDecoration.deletedResourceForeground', defaults: { dark: '#c74e39', light: '#ad0707', hcDark: '#c74e39', hcLight: '#ad0707' }, description: 'Colour of a deleted file in source control.' },
            { id: 'gitDecoration.renamedResourceForeground', defaults: { dark: '#73C991', light: '#007100', hcDark: '#73C991', hcLight: '#007100' }, description: 'Colour of a renamed file in source control.' },
            { id: 'gitDecoration.untrackedResourceForeground', defaults: { dark: '#73C991', light: '#007100', hcDark: '#73C991', hcLight: '#007100' }, description: 'Colour of an untracked file in source control.' },
            { id: 'gitDecoration.conflictingResourceForeground', defaults: { dark: '#e4676b', light: '#ad0707', hcDark: '#c74e39', hcLight: '#ad0707' }, description: 'Colour of a file with merge conflicts in source control.' },
        );
    }
}
