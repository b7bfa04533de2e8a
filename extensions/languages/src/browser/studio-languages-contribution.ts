import { inject, injectable } from '@theia/core/shared/inversify';
import * as monaco from '@theia/monaco-editor-core';
import { getEncodedLanguageId, LanguageGrammarDefinitionContribution, TextmateRegistry } from '@theia/monaco/lib/browser/textmate';
import type { IEmbeddedLanguagesMap, ITokenTypeMap } from 'vscode-textmate';
import { embeddedLanguagesOf, LanguageDefinition, StudioGrammars, StudioLanguages } from '../common/language-definitions';
import { GrammarLoader } from './grammar-loader';
import { toMonacoLanguageConfiguration } from './language-configuration-converter';
import { languageRegistration } from './language-registration';

/** vscode-textmate's standard token types (a `const enum` its typings do not export). */
const standardTokenTypes: Record<NonNullable<LanguageDefinition['tokenTypes']>[string], ITokenTypeMap[string]> = { other: 0, comment: 1, string: 2 };

/**
 * Registers the studio's languages (common/language-definitions.ts) with Monaco: their files,
 * their configurations, and their TextMate grammars. Called by @theia/monaco's
 * MonacoTextmateService at start (before any editor opens); it activates a language's grammar when
 * a model of that language first appears, and only then is the grammar fetched from the backend
 * (GrammarLoader), with the grammars it includes that the studio has.
 *
 * A VS Code extension that contributes a grammar for one of these scopes or languages registers it
 * later (plugin contributions come after the start), and the TextmateRegistry prefers the last
 * registered: the extension's grammar is used for that language from the next time it is activated
 * (a language already open in an editor keeps the studio's grammar until the page is reloaded).
 */
@injectable()
export class StudioLanguagesContribution implements LanguageGrammarDefinitionContribution {

    @inject(GrammarLoader) protected readonly grammars: GrammarLoader;

    registerTextmateLanguage(registry: TextmateRegistry): void {
        for (const grammar of StudioGrammars) {
            const location = this.grammars.urlOf(grammar.name);
            registry.registerTextmateGrammarScope(grammar.scopeName, {
                getGrammarDefinition: async () => ({ format: 'json', content: await this.grammars.load(grammar.name), location }),
            });
        }
        // Every language first: a grammar's configuration names embedded languages by their Monaco code.
        for (const language of StudioLanguages) {
            monaco.languages.register(languageRegistration(language, monaco.languages.getLanguages()));
        }
        for (const language of StudioLanguages) {
            monaco.languages.setLanguageConfiguration(language.id, toMonacoLanguageConfiguration(language.configuration));
            registry.mapLanguageIdToTextmateGrammar(language.id, language.grammar.scopeName);
            registry.registerGrammarConfiguration(language.id, {
                embeddedLanguages: this.embeddedLanguages(language),
                tokenTypes: language.tokenTypes && Object.fromEntries(Object.entries(language.tokenTypes).map(([scope, type]) => [scope, standardTokenTypes[type]])),
                // Brackets in every scope count for matching and colouring pairs (strings and comments are told apart by their token type).
                balancedBracketSelectors: ['*'],
            });
        }
    }

    protected embeddedLanguages(language: LanguageDefinition): IEmbeddedLanguagesMap {
        return Object.fromEntries(Object.entries(embeddedLanguagesOf(language)).map(([scope, id]) => [scope, getEncodedLanguageId(id)]));
    }
}
