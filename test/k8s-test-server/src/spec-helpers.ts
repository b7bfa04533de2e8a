/**
 * Waits for a condition by polling it (every 10 ms, at most `timeoutMs`): specs synchronise on
 * what they can observe, never on a sleep that is long enough on one machine and too short on a
 * loaded one. The failure names what was awaited and the last value seen.
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
        try {
            const value = await probe();
            if (value !== undefined && value !== false) {
                return value;
            }
            last = value;
        } catch (error) {
            last = error;
        }
        if (Date.now() > deadline) {
            throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
        }
        await new Promise(resolve => setTimeout(resolve, 10));
    }
}

/** A StatefulSet manifest as the fleet would send it. */
export function statefulSet(name: string, replicas = 1, labels: Record<string, string> = {}): Record<string, unknown> {
    return {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name, labels: { app: 'workspace', workspace: name, ...labels } },
        spec: {
            replicas,
            serviceName: 'workspaces',
            selector: { matchLabels: { workspace: name } },
            template: {
                metadata: { labels: { app: 'workspace', workspace: name }, annotations: { 'coditect/owner': 'test' } },
                spec: { containers: [{ name: 'theia', image: 'coditect/workspace:1.0', ports: [{ name: 'http', containerPort: 3000 }], env: [{ name: 'A', value: '1' }] }] },
            },
            volumeClaimTemplates: [{ metadata: { name: 'home' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
        },
    };
}
