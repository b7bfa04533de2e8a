import * as crypto from 'node:crypto';
import { groupVersions, resourceTypes } from './resources';

/**
 * The part of OpenAPI v3 kubectl reads before `apply`/`create`/`replace`: whether the PATCH
 * operation of a kind takes the `fieldValidation` query parameter. If it does, kubectl leaves
 * validation to the server (`fieldValidation=Strict`); if the document is missing, kubectl
 * falls back to downloading /openapi/v2 for client-side validation and, on a 404 there, refuses
 * to apply anything ("failed to download openapi").
 *
 * The PATCH operations deliberately do not list application/strategic-merge-patch+json: kubectl
 * would then compute apply patches from OpenAPI v3 schemas, which are not served. Without it,
 * kubectl computes the strategic merge patch from its compiled-in types, which is what it does
 * for every built-in kind when no schema is available.
 */
function gvPath(group: string, version: string): string {
    return group ? `apis/${group}/${version}` : `api/${version}`;
}

export function openApiDocument(path: string): unknown | undefined {
    const gv = groupVersions().find(g => gvPath(g.group, g.version) === path);
    if (!gv) {
        return undefined;
    }
    const paths: Record<string, unknown> = {};
    const jsonContent = { schema: { type: 'object' } };
    for (const type of resourceTypes.filter(t => t.group === gv.group && t.version === gv.version)) {
        const gvk = { group: type.group, version: type.version, kind: type.kind };
        const base = `/${path}${type.namespaced ? '/namespaces/{namespace}' : ''}/${type.plural}`;
        const fieldValidation = { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } };
        paths[`${base}/{name}`] = {
            get: { operationId: `read${type.kind}`, 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk },
            put: { operationId: `replace${type.kind}`, 'x-kubernetes-action': 'put', 'x-kubernetes-group-version-kind': gvk, parameters: [fieldValidation] },
            patch: {
                operationId: `patch${type.kind}`,
                'x-kubernetes-action': 'patch',
                'x-kubernetes-group-version-kind': gvk,
                parameters: [fieldValidation],
                requestBody: { content: { 'application/json-patch+json': jsonContent, 'application/merge-patch+json': jsonContent } },
            },
            delete: { operationId: `delete${type.kind}`, 'x-kubernetes-action': 'delete', 'x-kubernetes-group-version-kind': gvk },
        };
        paths[base] = {
            get: { operationId: `list${type.kind}`, 'x-kubernetes-action': 'list', 'x-kubernetes-group-version-kind': { ...gvk, kind: `${type.kind}List` } },
            post: { operationId: `create${type.kind}`, 'x-kubernetes-action': 'post', 'x-kubernetes-group-version-kind': gvk, parameters: [fieldValidation] },
        };
    }
    return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas: {} } };
}

export function openApiRoot(): unknown {
    const paths: Record<string, unknown> = {};
    for (const gv of groupVersions()) {
        const path = gvPath(gv.group, gv.version);
        const hash = crypto.createHash('sha256').update(JSON.stringify(openApiDocument(path))).digest('hex').slice(0, 32).toUpperCase();
        paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
    }
    return { paths };
}
