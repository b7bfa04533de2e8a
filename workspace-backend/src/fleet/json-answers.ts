import * as http from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * An answer of the fleet's own (a refusal `{error}`, a workspace, a redirect): JSON, never cached,
 * since what it says changes with the workspace. No body when `body` is undefined.
 */
export function sendJson(response: http.ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
    if (body === undefined) {
        response.writeHead(status, { 'Cache-Control': 'no-store', ...headers }).end();
        return;
    }
    response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers }).end(JSON.stringify(body));
}

/**
 * Refuses a websocket upgrade: the HTTP response written on the socket (no server response exists
 * for an upgrade), which is then closed. No body when `body` is undefined.
 */
export function refuseUpgrade(socket: Duplex, status: number, body?: unknown, headers: Readonly<Record<string, string>> = {}): void {
    const text = body === undefined ? '' : JSON.stringify(body);
    const lines = [
        `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}`, 'Connection: close',
        ...body === undefined ? [] : ['Content-Type: application/json; charset=utf-8'],
        ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
        `Content-Length: ${Buffer.byteLength(text)}`,
    ];
    socket.end(`${lines.join('\r\n')}\r\n\r\n${text}`);
}
