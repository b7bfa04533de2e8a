import type URI from '@theia/core/lib/common/uri';
import { PathUri } from '@coditect/studio-platform/common';

/** `coditect-timeline:/src/a.ts?session=<id>&seq=<n>`: a workspace file as it was just after event `seq` of a session; read-only. */
export namespace TimelineUri {
    export const scheme = 'coditect-timeline';

    export function create(sessionId: string, path: string, seq: number): URI {
        return PathUri.create(scheme, path, { session: sessionId, seq: String(seq) });
    }

    export function is(uri: URI): boolean {
        return uri.scheme === scheme;
    }

    /** The session, file and point a timeline URI names; throws for anything else. */
    export function parse(uri: URI): { sessionId: string; path: string; seq: number } {
        const shape = `a session timeline file (${scheme}:/<path>?session=<id>&seq=<n>)`;
        const { path, params } = PathUri.parse(uri, scheme, ['session', 'seq'], shape);
        const seq = Number(params.seq);
        if (!Number.isSafeInteger(seq)) {
            throw new Error(`${uri.toString()} is not ${shape}.`);
        }
        return { sessionId: params.session, path, seq };
    }
}
