/**
 * A kubeconfig (YAML) for the server: one cluster (with the CA certificate when the server URL
 * is https), one user with the bearer token, one context.
 * Values are written as JSON strings, which are YAML double-quoted scalars, so no YAML rule
 * (a token that looks like a number, a colon in a URL) can change what they mean.
 */
export function kubeconfigFor(server: string, token: string, namespace = 'default', caPem?: string): string {
    const name = JSON.stringify('k8s-test-server');
    return [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        `- name: ${name}`,
        '  cluster:',
        `    server: ${JSON.stringify(server)}`,
        ...(caPem ? [`    certificate-authority-data: ${JSON.stringify(Buffer.from(caPem).toString('base64'))}`] : []),
        'users:',
        `- name: ${name}`,
        '  user:',
        `    token: ${JSON.stringify(token)}`,
        'contexts:',
        `- name: ${name}`,
        '  context:',
        `    cluster: ${name}`,
        `    user: ${name}`,
        `    namespace: ${JSON.stringify(namespace)}`,
        `current-context: ${name}`,
        'preferences: {}',
        '',
    ].join('\n');
}
