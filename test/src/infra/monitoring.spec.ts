import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { WorkspaceMetrics } from '@coditect/workspace-backend';
import { FleetMetrics, WorkspaceApp } from '@coditect/workspace-backend/fleet';
import { repoRoot } from '../lib/repo-paths';

/**
 * The studio's monitoring (docker/k8s/monitoring): the PrometheusRule's alerts and SLO rules checked
 * and unit-tested with promtool, every alert with its annotations and an existing runbook
 * (docs/runbooks), every metric a rule or a dashboard panel names registered by WorkspaceMetrics or
 * FleetMetrics, the Grafana dashboard's shape, and the scrape configuration against the Services.
 */

const monitoringDir = path.join(repoRoot, 'docker', 'k8s', 'monitoring');
const runbooksDir = path.join(repoRoot, 'docs', 'runbooks');
const runbookBase = 'https://github.com/coditect/studio/blob/main/docs/runbooks/';
/** The rule file rules-tests.yaml loads: the PrometheusRule's spec, written beside a copy of the tests. */
const extractedRulesFile = 'prometheus-rules.rules.yaml';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Manifest = Record<string, any>;

interface Rule {
    readonly alert?: string;
    readonly record?: string;
    readonly expr: string;
    readonly for?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
}

interface RuleGroup {
    readonly name: string;
    readonly rules: readonly Rule[];
}

interface AlertTest {
    readonly alertname: string;
    readonly exp_alerts?: readonly unknown[];
}

interface RulesTests {
    readonly rule_files: readonly string[];
    readonly tests: readonly { readonly name?: string; readonly alert_rule_test?: readonly AlertTest[] }[];
}

function readYaml<T>(...segments: string[]): T {
    return parse(fs.readFileSync(path.join(...segments), 'utf8')) as T;
}

function readDocuments(file: string): Manifest[] {
    return parseAllDocuments(fs.readFileSync(file, 'utf8')).map(document => {
        assert.deepEqual(document.errors, [], `${path.basename(file)} is valid YAML`);
        return document.toJS() as Manifest;
    });
}

/** `CoditectReplicationLagHigh` -> `coditect-replication-lag-high`. */
function kebab(alert: string): string {
    return alert.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** Runs promtool, or fails saying how to install it (the test command installs it: Debian's `prometheus`). */
function promtool(args: string[], cwd: string): { status: number | null; output: string } {
    const result = spawnSync(process.env.PROMTOOL ?? 'promtool', args, { cwd, encoding: 'utf8', timeout: 120_000 });
    if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
        assert.fail('promtool is not installed: apt-get install prometheus (Debian\'s package has it; `npm test` installs it), or set PROMTOOL to one');
    }
    assert.equal(result.error, undefined, `promtool ${args.join(' ')}: ${result.error?.message}`);
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** PromQL words that are neither a metric nor a call (functions and aggregations are known by the `(` after them). */
const PromqlKeywords = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan', 'start', 'end']);

/**
 * The metric names a PromQL expression (or a Grafana query) reads: identifiers left once strings,
 * label matchers, ranges, label lists and Grafana variables are taken out, and that are neither
 * followed by `(` (a function or an aggregation) nor a keyword.
 */
function metricNames(expr: string): string[] {
    const text = expr
        .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
        .replace(/\{[^{}]*\}/g, ' ')
        .replace(/\[[^\]]*\]/g, ' ')
        .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/gi, ' ')
        .replace(/\$\{?\w+\}?/g, ' ')
        // Grafana's label_values(metric, label): the label is no metric.
        .replace(/\blabel_values\s*\(([^,()]*),\s*\w+\s*\)/g, ' $1 ');
    const names = new Set<string>();
    for (const match of text.matchAll(/(?<![\w.:])[A-Za-z_:][\w:]*/g)) {
        const after = text.slice(match.index + match[0].length).trimStart();
        if (!after.startsWith('(') && !PromqlKeywords.has(match[0].toLowerCase())) {
            names.add(match[0]);
        }
    }
    return [...names].sort();
}

/** The series names a registry exports: histograms as _bucket/_sum/_count, summaries as themselves, _sum and _count. */
async function exportedNames(registry: WorkspaceMetrics['registry']): Promise<string[]> {
    return (await registry.getMetricsAsJSON()).flatMap(metric => {
        switch (metric.type as unknown as string) {
            case 'histogram':
                return [`${metric.name}_bucket`, `${metric.name}_sum`, `${metric.name}_count`];
            case 'summary':
                return [metric.name, `${metric.name}_sum`, `${metric.name}_count`];
            default:
                return [metric.name];
        }
    });
}

/** The fleet metrics the alerts and the dashboard were written against: FleetMetrics must keep exporting them. */
const FixedFleetMetrics = ['coditect_fleet_workspaces', 'coditect_fleet_warm_workspaces', 'coditect_fleet_provision_duration_seconds_bucket',
    'coditect_fleet_wake_duration_seconds_bucket', 'coditect_fleet_wakes_in_progress', 'coditect_fleet_wake_oldest_seconds', 'coditect_fleet_auto_sleeps_total',
    'coditect_fleet_api_requests_total'];

describe('Monitoring (docker/k8s/monitoring)', () => {
    const ruleObject = readDocuments(path.join(monitoringDir, 'prometheus-rules.yaml'));
    const prometheusRule = ruleObject[0];
    const groups = (prometheusRule.spec?.groups ?? []) as RuleGroup[];
    const rules = groups.flatMap(group => group.rules);
    const alerts = rules.filter(rule => rule.alert !== undefined);
    const recorded = new Set(rules.flatMap(rule => rule.record ?? []));
    const rulesTests = readYaml<RulesTests>(monitoringDir, 'rules-tests.yaml');
    const dashboard = JSON.parse(fs.readFileSync(path.join(monitoringDir, 'grafana-dashboard.json'), 'utf8')) as Manifest;
    let scratch: string;
    let knownMetrics: Set<string>;

    before(async () => {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'coditect-rules-'));
        fs.writeFileSync(path.join(scratch, extractedRulesFile), stringify(prometheusRule.spec));
        fs.copyFileSync(path.join(monitoringDir, 'rules-tests.yaml'), path.join(scratch, 'rules-tests.yaml'));

        // process_* and nodejs_*: prom-client's defaults, which the workspace exports as the fleet does.
        const workspace = await exportedNames(new WorkspaceMetrics({ processMetrics: true }).registry);
        const fleet = await exportedNames(new FleetMetrics({ processMetrics: false }).registry);
        for (const name of FixedFleetMetrics) {
            assert.ok(fleet.includes(name), `FleetMetrics exports ${name}`);
        }
        knownMetrics = new Set([...workspace, ...fleet, 'up', ...recorded]);
    });

    after(() => fs.rmSync(scratch, { recursive: true, force: true }));

    it('is a kustomization of its own, listing every manifest and the dashboard (docker/k8s\'s applies only core objects)', () => {
        const kustomization = readYaml<Manifest>(monitoringDir, 'kustomization.yaml');
        const manifests = fs.readdirSync(monitoringDir).filter(f => f.endsWith('.yaml') && !['kustomization.yaml', 'rules-tests.yaml'].includes(f));
        assert.deepEqual([...kustomization.resources].sort(), manifests.sort());
        assert.equal(kustomization.namespace, readYaml<Manifest>(repoRoot, 'docker', 'k8s', 'kustomization.yaml').namespace, 'beside the workspaces');
        const generated = (kustomization.configMapGenerator as Manifest[]).find(g => (g.files as string[]).includes('grafana-dashboard.json'));
        assert.equal(generated?.options.labels.grafana_dashboard, '1', 'Grafana\'s sidecar finds the dashboard');
        const parent = readYaml<{ resources: string[] }>(repoRoot, 'docker', 'k8s', 'kustomization.yaml');
        assert.ok(!parent.resources.some(r => r.startsWith('monitoring')), 'the CRD objects stay out of docker/k8s, whose objects are validated as core kinds');
        assert.deepEqual([prometheusRule.apiVersion, prometheusRule.kind, ruleObject.length], ['monitoring.coreos.com/v1', 'PrometheusRule', 1]);
    });

    it('passes promtool check rules', () => {
        const { status, output } = promtool(['check', 'rules', extractedRulesFile], scratch);
        assert.equal(status, 0, output);
        assert.match(output, new RegExp(`SUCCESS: ${rules.length} rules found`));
    });

    it('passes its promtool unit tests (rules-tests.yaml)', () => {
        assert.deepEqual(rulesTests.rule_files, [extractedRulesFile], 'the tests load the file this spec writes');
        const { status, output } = promtool(['test', 'rules', 'rules-tests.yaml'], scratch);
        assert.equal(status, 0, output);
        assert.match(output, /SUCCESS/);
    });

    it('names groups and rules once each', () => {
        const groupNames = groups.map(g => g.name);
        assert.equal(new Set(groupNames).size, groupNames.length);
        const alertNames = alerts.map(a => a.alert);
        assert.equal(new Set(alertNames).size, alertNames.length, 'one rule per alert name');
        assert.ok(alerts.length >= 14, `${alerts.length} alerts`);
    });

    it('gives every alert a severity, a summary, a description and a runbook_url to its runbook', () => {
        for (const rule of alerts) {
            const name = rule.alert!;
            assert.ok(['critical', 'warning', 'info'].includes(rule.labels?.severity ?? ''), `${name}: severity critical, warning or info`);
            const annotations = rule.annotations ?? {};
            assert.ok(annotations.summary?.includes('{{'), `${name}: a summary with templated values`);
            assert.ok(annotations.description?.includes('{{'), `${name}: a description with templated values`);
            assert.equal(annotations.runbook_url, `${runbookBase}${kebab(name)}.md`, `${name}: runbook_url`);
            assert.ok(fs.existsSync(path.join(runbooksDir, `${kebab(name)}.md`)), `${name}: docs/runbooks/${kebab(name)}.md exists`);
            for (const [key, text] of Object.entries(annotations)) {
                assert.doesNotMatch(text, /\$labels\.(instance|__address__)|\/home\/|\/var\/run\/secrets|\/mnt\//, `${name}: ${key} names no path or address`);
            }
        }
    });

    it('has one runbook per alert and an index of them all', () => {
        const expected = alerts.map(a => `${kebab(a.alert!)}.md`).sort();
        const files = fs.readdirSync(runbooksDir).filter(f => f.endsWith('.md') && f !== 'README.md').sort();
        assert.deepEqual(files, expected, 'docs/runbooks holds exactly the alerts\' runbooks');
        const index = fs.readFileSync(path.join(runbooksDir, 'README.md'), 'utf8');
        for (const rule of alerts) {
            assert.ok(index.includes(`](${kebab(rule.alert!)}.md)`), `README.md links ${rule.alert}`);
            const runbook = fs.readFileSync(path.join(runbooksDir, `${kebab(rule.alert!)}.md`), 'utf8');
            assert.ok(runbook.startsWith(`# ${rule.alert}`), `${rule.alert}'s runbook is titled with its name`);
            assert.ok(runbook.includes('```promql'), `${rule.alert}'s runbook gives its query`);
        }
    });

    it('unit-tests every alert both firing and quiet', () => {
        const cases = rulesTests.tests.flatMap(test => test.alert_rule_test ?? []);
        for (const rule of alerts) {
            const own = cases.filter(c => c.alertname === rule.alert);
            assert.ok(own.some(c => (c.exp_alerts ?? []).length > 0), `${rule.alert} is tested firing`);
            assert.ok(own.some(c => (c.exp_alerts ?? []).length === 0), `${rule.alert} is tested quiet`);
        }
        const unknown = cases.map(c => c.alertname).filter(name => !alerts.some(a => a.alert === name));
        assert.deepEqual(unknown, [], 'tests of alerts that do not exist');
    });

    it('finds the metric names in PromQL (the check below is not a no-op)', () => {
        assert.deepEqual(metricNames('sum by (namespace, le) (rate(coditect_x_bucket{job="a", code="5xx"}[5m])) / ignoring(code) group_left() coditect:y:ratio_rate5m > bool 0.5'),
            ['coditect:y:ratio_rate5m', 'coditect_x_bucket']);
        assert.deepEqual(metricNames('label_replace(up{job="x"} == 0 and on(pod) max_over_time(up[6h]) offset 5m, "window", "1h", "", "") or vector(1e3)'), ['up']);
        assert.deepEqual(metricNames('label_values(coditect_workspace_info{job="coditect-workspace", namespace=~"$namespace"}, workspace)'), ['coditect_workspace_info']);
        assert.deepEqual(metricNames('histogram_quantile(0.95, sum by (le) (rate(m_bucket{pod=~"$pod"}[$__rate_interval]))) * 3600'), ['m_bucket']);
        assert.ok(!knownMetrics.has('coditect_no_such_metric'));
    });

    it('uses only metrics the workspace and the fleet export (or the rules record) in every rule', () => {
        for (const rule of rules) {
            const names = metricNames(rule.expr);
            assert.ok(names.length > 0, `${rule.alert ?? rule.record}: reads a metric`);
            assert.deepEqual(names.filter(n => !knownMetrics.has(n)), [], `${rule.alert ?? rule.record}: unknown metrics`);
        }
    });

    describe('the Grafana dashboard (grafana-dashboard.json)', () => {
        const panels = dashboard.panels as Manifest[];
        const graphs = panels.filter(p => p.type !== 'row');
        const variables = dashboard.templating.list as Manifest[];

        it('is the coditect-workspace dashboard, schema 39, with the data source, workspace and pod variables', () => {
            assert.equal(dashboard.uid, 'coditect-workspace');
            assert.ok(dashboard.schemaVersion >= 39, `schemaVersion ${dashboard.schemaVersion}`);
            const datasource = variables.find(v => v.name === 'datasource');
            assert.deepEqual([datasource?.type, datasource?.query], ['datasource', 'prometheus']);
            for (const name of ['workspace', 'pod']) {
                const variable = variables.find(v => v.name === name);
                assert.equal(variable?.type, 'query', `a ${name} variable`);
                assert.equal(variable?.datasource?.uid, '${datasource}');
            }
        });

        it('gives every panel an id of its own, a place on the grid, the data source variable and a unit', () => {
            const ids = panels.map(p => p.id);
            assert.equal(new Set(ids).size, ids.length, 'unique panel ids');
            assert.ok(graphs.length >= 40, `${graphs.length} panels`);
            for (const panel of graphs) {
                assert.deepEqual(panel.datasource, { type: 'prometheus', uid: '${datasource}' }, `${panel.title}: data source`);
                assert.ok(panel.gridPos.x + panel.gridPos.w <= 24, `${panel.title}: within the grid`);
                assert.ok(typeof panel.fieldConfig?.defaults?.unit === 'string' && panel.fieldConfig.defaults.unit.length > 0, `${panel.title}: a unit`);
                assert.ok(panel.targets.length > 0, `${panel.title}: a query`);
                for (const target of panel.targets as Manifest[]) {
                    assert.equal(target.datasource.uid, '${datasource}', `${panel.title}: ${target.refId}'s data source`);
                }
            }
        });

        it('has the rows the operators look for', () => {
            const rows = panels.filter(p => p.type === 'row').map(p => p.title);
            assert.deepEqual(rows, ['Workspace', 'Agents', 'Costs', 'Providers', 'Locks & bus', 'SQLite & replication', 'Fleet']);
        });

        it('queries only metrics the workspace and the fleet export (or the rules record), filtered by the variables', () => {
            for (const panel of graphs) {
                for (const target of panel.targets as Manifest[]) {
                    const names = metricNames(target.expr);
                    assert.ok(names.length > 0, `${panel.title}: reads a metric`);
                    assert.deepEqual(names.filter(n => !knownMetrics.has(n)), [], `${panel.title}: unknown metrics`);
                    assert.ok(names.every(n => n.includes(':')) || /\$namespace/.test(target.expr), `${panel.title}: filtered by $namespace`);
                }
            }
            for (const variable of variables.filter(v => v.type === 'query')) {
                const names = metricNames(variable.query.query);
                assert.deepEqual(names.filter(n => !knownMetrics.has(n)), [], `variable ${variable.name}: unknown metrics`);
            }
        });
    });

    describe('the scrape configuration (servicemonitor.yaml, networkpolicy.yaml)', () => {
        const monitors = readDocuments(path.join(monitoringDir, 'servicemonitor.yaml'));
        const workspaceService = readDocuments(path.join(repoRoot, 'docker', 'k8s', 'service.yaml'))[0];
        const fleetService = readDocuments(path.join(repoRoot, 'docker', 'k8s', 'fleet', 'service.yaml'))[0];
        const jobOf = (endpoint: Manifest) => (endpoint.relabelings as Manifest[]).find(r => r.targetLabel === 'job')?.replacement;

        it('scrapes /metrics on the Services\' named ports with the metrics token, as the jobs the rules select', () => {
            assert.deepEqual(monitors.map(m => `${m.apiVersion}/${m.kind}`), ['monitoring.coreos.com/v1/ServiceMonitor', 'monitoring.coreos.com/v1/ServiceMonitor']);
            const [workspaces, fleet] = monitors;
            const selected = workspaces.spec.selector.matchExpressions[0];
            assert.equal(selected.key, 'app.kubernetes.io/name');
            assert.deepEqual([...selected.values].sort(), [WorkspaceApp, workspaceService.metadata.labels['app.kubernetes.io/name']].sort(), 'the fleet\'s workspaces and the single studio');
            assert.deepEqual(fleet.spec.selector.matchLabels, fleetService.spec.selector);
            for (const [monitor, service, job] of [[workspaces, workspaceService, 'coditect-workspace'], [fleet, fleetService, 'coditect-fleet']] as const) {
                const [endpoint] = monitor.spec.endpoints as Manifest[];
                assert.ok((service.spec.ports as Manifest[]).some(p => p.name === endpoint.port), `${monitor.metadata.name}: port ${endpoint.port} is the Service's`);
                assert.equal(endpoint.path, '/metrics');
                assert.deepEqual(endpoint.bearerTokenSecret, { name: 'coditect-metrics-token', key: 'token' });
                assert.equal(jobOf(endpoint), job);
                const used = rules.filter(rule => rule.expr.includes(`job="${job}"`));
                assert.ok(used.length > 0, `the rules select job ${job}`);
            }
            assert.ok((workspaces.spec.endpoints[0].relabelings as Manifest[]).some(r => r.targetLabel === 'workspace'), 'a workspace label');
        });

        it('lets Prometheus reach the workspaces\' port past the fleet\'s NetworkPolicy, and nothing more', async () => {
            const [policy] = readDocuments(path.join(monitoringDir, 'networkpolicy.yaml'));
            const [fleetPolicy] = readDocuments(path.join(repoRoot, 'docker', 'k8s', 'fleet', 'networkpolicy.yaml'));
            const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<Record<string, unknown>>;
            const { NetworkPolicy } = await importEsm('kubernetes-models/networking.k8s.io/v1/NetworkPolicy') as { NetworkPolicy: new (data: Manifest) => { validate(): void } };
            assert.doesNotThrow(() => new NetworkPolicy(policy).validate());
            assert.deepEqual(policy.spec.podSelector, fleetPolicy.spec.podSelector);
            assert.deepEqual(policy.spec.policyTypes, ['Ingress']);
            assert.deepEqual(policy.spec.ingress.map((rule: Manifest) => rule.ports), [fleetPolicy.spec.ingress[0].ports]);
            assert.ok(policy.spec.ingress[0].from.every((peer: Manifest) => peer.podSelector && peer.namespaceSelector), 'Prometheus\'s pods in its namespace only');
        });
    });
});
