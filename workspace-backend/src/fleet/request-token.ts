import type * as http from 'node:http';

/**
 * The identity provider's token a request carries, in `header` (the studios' STUDIO_AUTH_HEADER:
 * `authorization` takes `Bearer <token>`, another header the token alone, as a gateway puts it).
 */
export function requestToken(request: http.IncomingMessage, header: string): string | undefined {
    const given = request.headers[header];
    const value = Array.isArray(given) ? given[0] : given;
    return (header === 'authorization' ? /^Bearer\s+(\S+)$/i.exec(value ?? '')?.[1] : value) || undefined;
}
