import URI from '@theia/core/lib/common/uri';

/**
 * `<scheme>:/<workspace path>?<params>`: a workspace file as some part of the studio holds it (at a
 * point of the timeline, on one side of a task's change). The path keeps the file's name and
 * extension, so editors pick the right language.
 */
export namespace PathUri {
    export function create(scheme: string, path: string, params: Readonly<Record<string, string>>): URI {
        const clean = path.replace(/^\/+/, '');
        return new URI('').withScheme(scheme).withPath(`/${clean}`).withQuery(new URLSearchParams(params).toString());
    }

    /** The path and the named parameters; throws naming `shape` (what such a URI looks like) when the scheme, the path or a parameter is missing. */
    export function parse<Name extends string>(uri: URI, scheme: string, names: readonly Name[], shape: string): { path: string; params: Record<Name, string> } {
        const query = new URLSearchParams(uri.query);
        const path = uri.path.toString().replace(/^\/+/, '');
        const params = Object.fromEntries(names.map(name => [name, query.get(name) ?? ''])) as Record<Name, string>;
        if (uri.scheme !== scheme || !path || names.some(name => !params[name])) {
            throw new Error(`${uri.toString()} is not ${shape}.`);
        }
        return { path, params };
    }
}
