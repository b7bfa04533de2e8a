/** A studio path resolved against the page's own folder, so it stays under a proxy's prefix (/theia/). */
export function studioUrl(path: string): string {
    return new URL(path.replace(/^\//, ''), new URL('.', window.location.href)).href;
}
