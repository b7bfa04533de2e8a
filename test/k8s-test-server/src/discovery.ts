import { apiVersionOf, groupVersions, resourceTypes } from './resources';

/**
 * Discovery documents in the legacy (unaggregated) form. kubectl asks for aggregated discovery
 * (apidiscovery.k8s.io/v2) first and falls back when the answer's Content-Type is plain
 * application/json, so serving only these keeps one source of truth: the resource table.
 */
export const serverVersion = {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.0',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'go1.23.4',
    compiler: 'gc',
    platform: 'linux/amd64',
};

export function coreVersions(host: string): unknown {
    return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: host }] };
}

function groupDocument(group: string): Record<string, unknown> {
    const versions = groupVersions().filter(gv => gv.group === group).map(gv => ({ groupVersion: `${group}/${gv.version}`, version: gv.version }));
    return { name: group, versions, preferredVersion: versions[0] };
}

export function groupList(): unknown {
    const groups = [...new Set(groupVersions().map(gv => gv.group).filter(g => g))];
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(groupDocument) };
}

export function group(name: string): unknown | undefined {
    if (!name || !groupVersions().some(gv => gv.group === name)) {
        return undefined;
    }
    return { kind: 'APIGroup', apiVersion: 'v1', ...groupDocument(name) };
}

export function resourceList(group: string, version: string): unknown | undefined {
    const types = resourceTypes.filter(t => t.group === group && t.version === version);
    if (!types.length) {
        return undefined;
    }
    const resources: Record<string, unknown>[] = [];
    for (const t of types) {
        resources.push({
            name: t.plural, singularName: t.singular, namespaced: t.namespaced, kind: t.kind, verbs: t.verbs,
            ...(t.shortNames ? { shortNames: t.shortNames } : {}),
            ...(t.categories ? { categories: t.categories } : {}),
        });
        for (const sub of t.subresources) {
            resources.push(sub === 'scale'
                ? { name: `${t.plural}/scale`, singularName: '', namespaced: t.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] }
                : { name: `${t.plural}/status`, singularName: '', namespaced: t.namespaced, kind: t.kind, verbs: ['get', 'patch', 'update'] });
        }
    }
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(types[0]), resources };
}
