/**
 * Starts the browser's download of `url` (a one-time export link from the backend, resolved
 * against the page) through a temporary `<a download>`, so the page itself stays where it is.
 */
export function startDownload(url: string): void {
    const link = document.createElement('a');
    link.href = new URL(url, window.location.href).toString();
    link.download = '';
    document.body.appendChild(link);
    link.click();
    link.remove();
}
