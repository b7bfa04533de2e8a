/** The first line of a text, cut to `cap` characters with an ellipsis: a title made of a prompt or a comment. */
export function firstLine(text: string, cap: number): string {
    const line = text.split('\n')[0];
    return line.length > cap ? `${line.slice(0, cap - 1)}…` : line;
}
