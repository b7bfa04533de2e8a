import type * as monaco from '@theia/monaco-editor-core';
import type { CharacterPair, LanguageConfigurationData, OnEnterRuleData } from '../common/language-configuration-data';

/** Monaco's `IndentAction` values (an enum of the editor's API; only its type is imported here, so this module loads without Monaco). */
const indentActions: Record<OnEnterRuleData['action']['indent'], monaco.languages.IndentAction> = {
    none: 0,
    indent: 1,
    indentOutdent: 2,
    outdent: 3,
};

/**
 * Monaco's `LanguageConfiguration` of a studio configuration: the same fields, with the patterns
 * compiled. A pattern that does not compile throws, naming the field it sits in.
 */
export function toMonacoLanguageConfiguration(data: LanguageConfigurationData): monaco.languages.LanguageConfiguration {
    const { comments, brackets, autoClosingPairs, surroundingPairs, folding, indentationRules, onEnterRules } = data;
    return {
        comments: comments && {
            lineComment: comments.lineComment,
            blockComment: comments.blockComment && pair(comments.blockComment),
        },
        brackets: brackets?.map(pair),
        autoClosingPairs: autoClosingPairs?.map(({ open, close, notIn }) => ({ open, close, notIn: notIn && [...notIn] })),
        surroundingPairs: surroundingPairs?.map(([open, close]) => ({ open, close })),
        folding: folding && {
            offSide: folding.offSide,
            markers: folding.markers && {
                start: pattern(folding.markers.start, 'folding.markers.start'),
                end: pattern(folding.markers.end, 'folding.markers.end'),
            },
        },
        indentationRules: indentationRules && {
            increaseIndentPattern: pattern(indentationRules.increaseIndentPattern, 'indentationRules.increaseIndentPattern'),
            decreaseIndentPattern: pattern(indentationRules.decreaseIndentPattern, 'indentationRules.decreaseIndentPattern'),
            indentNextLinePattern: optionalPattern(indentationRules.indentNextLinePattern, 'indentationRules.indentNextLinePattern'),
            unIndentedLinePattern: optionalPattern(indentationRules.unIndentedLinePattern, 'indentationRules.unIndentedLinePattern'),
        },
        onEnterRules: onEnterRules?.map((rule, i) => ({
            beforeText: pattern(rule.beforeText, `onEnterRules[${i}].beforeText`),
            afterText: optionalPattern(rule.afterText, `onEnterRules[${i}].afterText`),
            previousLineText: optionalPattern(rule.previousLineText, `onEnterRules[${i}].previousLineText`),
            action: { indentAction: indentActions[rule.action.indent], appendText: rule.action.appendText, removeText: rule.action.removeText },
        })),
    };
}

function pair([open, close]: CharacterPair): monaco.languages.CharacterPair {
    return [open, close];
}

function pattern(source: string, where: string): RegExp {
    try {
        return new RegExp(source);
    } catch (error) {
        throw new Error(`The language configuration's ${where} is not a valid regular expression (${(error as Error).message}): ${source}`, { cause: error });
    }
}

function optionalPattern(source: string | undefined, where: string): RegExp | undefined {
    return source === undefined ? undefined : pattern(source, where);
}
