import URI from '@theia/core/lib/common/uri';
import { GitRef } from './git-protocol';

/** The scheme of a file at a revision; also the provider id, since Theia's ScmRepository.toUriAtRef uses the id as the scheme. */
export const GIT_SCHEME = 'git';

/**
 * A workspace file at a revision, in the form Theia's ScmRepository.toUriAtRef builds (the gutter's
 * dirty diff asks for exactly this): the file's URI with the `git` scheme and `{ path, ref }` as JSON
 * in the query. `ref` '' is the index.
 */
export function toGitUri(fileUri: URI, ref: GitRef): URI {
    return fileUri.withScheme(GIT_SCHEME).withQuery(JSON.stringify({ path: fileUri.path.fsPath(), ref }));
}

export interface GitUriParts {
    readonly path: string;
    readonly ref: GitRef;
}

/** The file and revision a `git:` URI names; undefined for any other URI. */
export function parseGitUri(uri: URI): GitUriParts | undefined {
    if (uri.scheme !== GIT_SCHEME) {
        return undefined;
    }
    try {
        const parsed: unknown = JSON.parse(uri.query);
        if (typeof parsed === 'object' && parsed !== null) {
            const { path, ref } = parsed as Record<string, unknown>;
            if (typeof path === 'string' && typeof ref === 'string') {
                return { path, ref };
            }
        }
    } catch {
        // not ours: fall through
    }
    return undefined;
}
