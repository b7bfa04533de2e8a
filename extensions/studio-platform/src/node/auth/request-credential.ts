import type * as http from 'node:http';
import { parse as parseCookies } from 'cookie';

/**
 * The HttpOnly, SameSite=Strict cookie holding a browser's session id: an opaque random value
 * naming a server-side session (session-store.ts), never the token that signed in.
 */
export const SESSION_COOKIE = 'coditect_session';

/**
 * The token a request carries in a header: the gateway's header, or `Authorization: Bearer`.
 * Query strings are not read here: a token in a URL is only accepted by the login redirect, which
 * turns it into a session at once; cookies are sessions (`sessionIdOf`), never tokens.
 */
export function credentialOf(request: http.IncomingMessage, header = 'authorization'): string | undefined {
    const fromHeader = headerValue(request, header);
    if (fromHeader) {
        return header === 'authorization' ? /^Bearer\s+(\S+)$/i.exec(fromHeader)?.[1] : fromHeader.trim();
    }
    if (header !== 'authorization') {
        const bearer = /^Bearer\s+(\S+)$/i.exec(headerValue(request, 'authorization') ?? '')?.[1];
        if (bearer) {
            return bearer;
        }
    }
    return undefined;
}

/** The session id in the request's session cookie, if it has one. */
export function sessionIdOf(request: http.IncomingMessage): string | undefined {
    const cookies = request.headers.cookie ? parseCookies(request.headers.cookie) : {};
    return cookies[SESSION_COOKIE] || undefined;
}

function headerValue(request: http.IncomingMessage, name: string): string | undefined {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
}

/**
 * Who is asking, for throttling and the audit log: the peer address, or the first
 * X-Forwarded-For hop when the peer is a proxy on this machine (nginx in the container).
 */
export function clientAddressOf(request: http.IncomingMessage): string {
    const peer = request.socket.remoteAddress ?? 'unknown';
    const forwarded = headerValue(request, 'x-forwarded-for');
    const isLocalProxy = peer === '127.0.0.1' || peer === '::1' || peer === '::ffff:127.0.0.1';
    return isLocalProxy && forwarded ? forwarded.split(',')[0].trim() : peer;
}

/** True when the request reached us over TLS (directly, or at the proxy in front). */
export function isSecureRequest(request: http.IncomingMessage): boolean {
    return (request.socket as { encrypted?: boolean }).encrypted === true || headerValue(request, 'x-forwarded-proto') === 'https';
}
