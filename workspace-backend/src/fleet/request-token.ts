import type * as http from 'node:http';
import type { JwtPerson, JwtVerifier } from '../policy/jwt-verifier';

/**
 * The identity provider's token a request carries, in `header` (the studios' STUDIO_AUTH_HEADER:
 * `authorization` takes `Bearer <token>`, another header the token alone, as a gateway puts it).
 */
export function requestToken(request: http.IncomingMessage, header: string): string | undefined {
    const given = request.headers[header];
    const value = Array.isArray(given) ? given[0] : given;
    return (header === 'authorization' ? /^Bearer\s+(\S+)$/i.exec(value ?? '')?.[1] : value) || undefined;
}

/**
 * The person whose token the request carries, verified as the studios verify it; or, when there is
 * no token or it is refused, a sentence for the 401 saying what to do. The API, the wake router and
 * the v1 gateway all know people so.
 */
export async function requestPerson(request: http.IncomingMessage, verifier: JwtVerifier): Promise<{ readonly person: JwtPerson } | { readonly refusal: string }> {
    const header = verifier.config.header;
    const token = requestToken(request, header);
    if (!token) {
        return {
            refusal: header === 'authorization'
                ? 'Sign in: send your identity provider\'s token as "Authorization: Bearer <token>".'
                : `Sign in: the gateway must put your token in the "${header}" header.`,
        };
    }
    const verified = await verifier.verify(token);
    return verified.ok ? { person: verified.person } : { refusal: `The token was refused: ${verified.reason}.` };
}
