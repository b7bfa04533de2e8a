import URI from '@theia/core/lib/common/uri';

/**
 * `coditect-timeline:/src/a.ts?session=<id>&seq=<n>`: a workspace file as it was just after
 * event `seq` of a session. The path keeps the file's name and extension, so editors pick the
 * right language; the resource is read-only.
 */
export namespace TimelineUri {
    export const scheme = 'coditect-timeline';

    export function create(sessionId: string, path: string, seq: number): URI {
        const clean = path.replace(/^\/+/, '');
        return new URI('').withScheme(scheme).withPath(`/${clean}`).withQuery(new URLSearchParams({ session: sessionId, seq: String(seq) }).toString());
    }

    export function is(uri: URI): boolean {
        return uri.scheme === scheme;
    }

    /** The session, file and point a timeline URI names; throws for anything else. */
    export function parse(uri: URI): { sessionId: string; path: string; seq: number } {
        const query = new URLSearchParams(uri.query);
        const sessionId = query.get('session');
        const seq = Number(query.get('seq'));
        const path = uri.path.toString().replace(/^\/+/, '');
        if (uri.scheme !== scheme || !sessionId || !Number.isSafeInteger(seq) || !path) {
            throw new Error(`${uri.toString()} is not a session timeline file (${scheme}:/<path>?session=<id>&seq=<n>).`);
        }
        return { sessionId, path, seq };
    }
}
