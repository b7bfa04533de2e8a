/** What a follow-up task tells the agent: who commented, on what, the hunk as the agent left it, and what to do. */
export function followUpPrompt(input: {
    readonly taskId: number;
    readonly title: string;
    readonly by: string;
    readonly text: string;
    readonly path?: string;
    /** The hunk commented on: its number, where it sits, and its two sides. */
    readonly hunk?: { readonly index: number; readonly newStart: number; readonly newLines: number; readonly removed: string; readonly added: string };
}): string {
    const where = input.path === undefined
        ? 'your change set as a whole'
        : input.hunk === undefined
            ? input.path
            : `${input.path}, ${lineRange(input.hunk.newStart, input.hunk.newLines)} (hunk ${input.hunk.index})`;
    const lines = [
        `${input.by} reviewed the changes of your task #${input.taskId} ("${input.title.split('\n')[0]}") and commented on ${where}:`,
        '',
        input.text,
    ];
    if (input.hunk) {
        lines.push('', 'The hunk as your task left it:', '```diff', ...prefixed('-', input.hunk.removed), ...prefixed('+', input.hunk.added), '```');
    }
    lines.push('', 'The file may have changed since: read it before editing. Address the comment, then finish with a summary of what you changed.');
    return lines.join('\n');
}

function lineRange(start: number, count: number): string {
    return count <= 1 ? `line ${start}` : `lines ${start}-${start + count - 1}`;
}

function prefixed(mark: string, text: string): string[] {
    if (text === '') {
        return [];
    }
    return text.replace(/\n$/, '').split('\n').map(line => `${mark}${line}`);
}
