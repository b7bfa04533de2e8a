import { parse as parseYaml } from 'yaml';

/**
 * A Markdown file's YAML front matter (between two `---` lines at its top) and the text after it,
 * as skills and workflows are written. Throws an Error naming the file and what is wrong.
 */
export function readFrontMatter(file: string, text: string, expected: string): { readonly front: Record<string, unknown>; readonly body: string } {
    const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
    if (!match) {
        throw new Error(`${file} must start with front matter between two "---" lines, with ${expected}.`);
    }
    let front: unknown;
    try {
        front = parseYaml(match[1]);
    } catch (error) {
        throw new Error(`${file}: its front matter is not valid YAML (${(error as Error).message}).`, { cause: error });
    }
    return { front: typeof front === 'object' && front !== null && !Array.isArray(front) ? front as Record<string, unknown> : {}, body: match[2].trim() };
}
