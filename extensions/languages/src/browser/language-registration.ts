import type * as monaco from '@theia/monaco-editor-core';
import type { LanguageDefinition } from '../common/language-definitions';

/**
 * What to register with Monaco for a studio language, given what Monaco already has under its id.
 * A language Monaco does not know yet is registered whole. One it knows (Theia registers `jsonc`)
 * keeps its name, aliases and mimetypes: only the file associations it lacks are added, so the
 * language is not registered twice. (Monaco merges registrations of one id.)
 */
export function languageRegistration(language: LanguageDefinition, registered: readonly monaco.languages.ILanguageExtensionPoint[]): monaco.languages.ILanguageExtensionPoint {
    const { id, aliases, extensions, filenames, filenamePatterns, firstLine, mimetypes } = language;
    const known = registered.filter(l => l.id === id);
    if (known.length === 0) {
        return {
            id, aliases: [...aliases], extensions: extensions && [...extensions], filenames: filenames && [...filenames],
            filenamePatterns: filenamePatterns && [...filenamePatterns], firstLine, mimetypes: mimetypes && [...mimetypes],
        };
    }
    const lacking = (key: 'extensions' | 'filenames' | 'filenamePatterns', wanted: readonly string[] | undefined) => {
        const present = new Set(known.flatMap(l => l[key] ?? []));
        return wanted?.filter(entry => !present.has(entry));
    };
    return {
        id,
        extensions: lacking('extensions', extensions),
        filenames: lacking('filenames', filenames),
        filenamePatterns: lacking('filenamePatterns', filenamePatterns),
        firstLine: known.some(l => l.firstLine) ? undefined : firstLine,
    };
}
