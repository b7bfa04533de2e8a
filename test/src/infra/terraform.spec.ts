import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { repoRoot } from '../lib/repo-paths';
import {
    block, blocks, defaultOf, expressionsIn, filesUnder, Hcl, loadModule, parseFile, references, resolver, resource, stringsIn, TfModule,
} from './terraform-config';

/**
 * The Terraform of the production stack (docker/terraform): every file parsed with HashiCorp's HCL
 * parser, the modules' interfaces checked against the example that wires them, and the promises of
 * docs/terraform.md checked field by field: the bucket's protection and lifecycle, least-privilege
 * IAM, Workload Identity bound to the Kubernetes service accounts of docker/k8s, Autopilot, and a
 * fleet written out exactly as docker/k8s/fleet has it.
 */

const terraformDir = path.join(repoRoot, 'docker', 'terraform');
const modulesDir = path.join(terraformDir, 'modules');
const exampleDir = path.join(terraformDir, 'examples', 'production');
const k8sDir = path.join(repoRoot, 'docker', 'k8s');
const fleetK8sDir = path.join(k8sDir, 'fleet');

const moduleNames = ['bucket', 'cluster', 'fleet', 'identities', 'registry'];
/** Arguments of a module block that are Terraform's, not the module's variables. */
const metaArguments = new Set(['source', 'version', 'providers', 'depends_on', 'count', 'for_each']);

function readYaml(file: string): Hcl {
    return parseYaml(fs.readFileSync(file, 'utf8')) as Hcl;
}

/** All documents of a multi-document YAML file. */
function readYamlDocuments(file: string): Hcl[] {
    return fs.readFileSync(file, 'utf8').split(/^---$/m).map(text => parseYaml(text) as Hcl).filter(Boolean);
}

interface Stack {
    root: TfModule;
    modules: Record<string, TfModule>;
    /** Resolves a value of the example (root) module: its variables' defaults filled in. */
    resolveRoot: (value: unknown) => unknown;
    /** Resolves a value of module `name` as the example calls it: what the example passes, else the defaults. */
    resolveIn: (name: string, value: unknown) => unknown;
}

let loading: Promise<Stack> | undefined;

/** The example and every module it calls, parsed once for the whole spec. */
function stack(): Promise<Stack> {
    loading ??= (async () => {
        const root = await loadModule(exampleDir);
        const modules: Record<string, TfModule> = {};
        for (const [name, call] of root.calls) {
            modules[name] = await loadModule(path.resolve(exampleDir, call.source as string));
        }
        const resolveRoot = resolver(root, name => defaultOf(root, name));
        const resolvers = Object.fromEntries(Object.entries(modules).map(([name, module]) => {
            const call = root.calls.get(name)!;
            return [name, resolver(module, variable => variable in call ? resolveRoot(call[variable]) : defaultOf(module, variable))];
        }));
        return { root, modules, resolveRoot, resolveIn: (name, value) => resolvers[name](value) };
    })();
    return loading;
}

/** A Kubernetes service account of docker/k8s and the Google service account its annotation names. */
interface KubernetesIdentity {
    file: string;
    namespace: string;
    name: string;
    labels: Record<string, string>;
    googleAccountId: string;
}

function kubernetesIdentity(dir: string): KubernetesIdentity {
    const file = path.join(dir, 'serviceaccount.yaml');
    const account = readYaml(file);
    const email = account.metadata.annotations['iam.gke.io/gcp-service-account'] as string;
    const match = /^([a-z0-9-]+)@PROJECT_ID\.iam\.gserviceaccount\.com$/.exec(email);
    assert.ok(match, `${file}: the Workload Identity annotation names a Google service account of the project`);
    return { file, namespace: readYaml(path.join(dir, 'kustomization.yaml')).namespace, name: account.metadata.name, labels: account.metadata.labels, googleAccountId: match[1] };
}

const workspaceIdentity = kubernetesIdentity(k8sDir);
const fleetIdentity = kubernetesIdentity(fleetK8sDir);

/** The resource `google_service_account.<name>` that an expression such as "${google_service_account.fleet.email}" names. */
function referencedServiceAccount(module: TfModule, expression: unknown): string {
    const names = [...references(expression, 'google_service_account')];
    assert.equal(names.length, 1, `${String(expression)} names one google_service_account`);
    resource(module, 'google_service_account', names[0]);
    return names[0];
}

/** The account_id of the identities module's Google service account that the value names. */
function accountIdOf(stackValue: Stack, expression: unknown): unknown {
    const identities = stackValue.modules.identities;
    const name = referencedServiceAccount(identities, expression);
    return stackValue.resolveIn('identities', resource(identities, 'google_service_account', name).body.account_id);
}

describe('Terraform (docker/terraform)', () => {

    it('parses every .tf file and the tfvars example with the HCL parser', async () => {
        const files = filesUnder(terraformDir, '.tf');
        assert.ok(files.length >= 6 * 3, `the example and five modules hold their .tf files (found ${files.length})`);
        for (const file of [...files, path.join(exampleDir, 'terraform.tfvars.example')]) {
            const parsed = await parseFile(file);
            assert.ok(Object.keys(parsed).length > 0, `${path.relative(repoRoot, file)} declares something`);
        }
        for (const name of moduleNames) {
            for (const file of ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf']) {
                assert.ok(fs.existsSync(path.join(modulesDir, name, file)), `modules/${name}/${file} exists`);
            }
        }
    });

    it('the production example calls every module, by a relative path that exists', async () => {
        const { root } = await stack();
        const called = [...root.calls.values()].map(call => path.resolve(exampleDir, call.source as string));
        for (const dir of called) {
            assert.ok(fs.existsSync(dir) && fs.readdirSync(dir).some(name => name.endsWith('.tf')), `${path.relative(repoRoot, dir)} is a module`);
        }
        assert.deepEqual(called.map(dir => path.relative(modulesDir, dir)).sort(), fs.readdirSync(modulesDir).sort(), 'every module folder is used, and only those');
        assert.deepEqual([...root.calls.keys()].sort(), moduleNames);
    });

    it('passes each module only its declared variables, and every variable it requires', async () => {
        const { root, modules } = await stack();
        for (const [name, call] of root.calls) {
            const module = modules[name];
            const passed = Object.keys(call).filter(key => !metaArguments.has(key));
            for (const argument of passed) {
                assert.ok(module.variables.has(argument), `module "${name}" is passed "${argument}", which modules/${name} does not declare`);
            }
            for (const [variable, body] of module.variables) {
                if (!('default' in body)) {
                    assert.ok(passed.includes(variable), `module "${name}" requires "${variable}" (no default), but the example does not pass it`);
                }
            }
        }
    });

    it('gives every variable a type and a description, and every output a description and a value', async () => {
        const { root, modules } = await stack();
        for (const module of [root, ...Object.values(modules)]) {
            const where = path.relative(repoRoot, module.dir);
            for (const [name, body] of module.variables) {
                assert.match(String(body.type ?? ''), /^\$\{[\s\S]+\}$/, `${where}: variable "${name}" has a type`);
                assert.ok(typeof body.description === 'string' && body.description.trim().length >= 10, `${where}: variable "${name}" has a description`);
            }
            for (const [name, body] of module.outputs) {
                assert.ok(typeof body.description === 'string' && body.description.trim().length >= 10, `${where}: output "${name}" has a description`);
                assert.ok('value' in body, `${where}: output "${name}" has a value`);
            }
        }
        for (const [name, module] of Object.entries(modules)) {
            assert.ok(module.outputs.size > 0, `modules/${name} has outputs`);
        }
    });

    it('reads only outputs that the modules declare, and uses an output of every module', async () => {
        const { root, modules } = await stack();
        const used = new Map<string, Set<string>>();
        for (const expression of expressionsIn(root.parsed)) {
            for (const match of expression.matchAll(/(?<![\w.])module\.([a-z0-9_]+)\.([a-z0-9_]+)/g)) {
                const [, name, output] = match;
                assert.ok(modules[name], `module.${name} is called by the example`);
                assert.ok(modules[name].outputs.has(output), `module.${name}.${output} is read, but modules/${name} has no output "${output}"`);
                used.set(name, (used.get(name) ?? new Set()).add(output));
            }
        }
        assert.deepEqual([...used.keys()].sort(), moduleNames, 'every module has an output the example uses');
    });

    it('declares every variable, local and resource a module refers to, and uses every variable and local it declares', async () => {
        const { root, modules } = await stack();
        for (const module of [root, ...Object.values(modules)]) {
            const where = path.relative(repoRoot, module.dir);
            const referred = references(module.parsed, 'var');
            for (const name of referred) {
                assert.ok(module.variables.has(name), `${where}: var.${name} is not declared`);
            }
            const outsideVariables = module.parsed.map(({ variable: _variable, ...rest }) => rest);
            const used = references(outsideVariables, 'var');
            for (const name of module.variables.keys()) {
                assert.ok(used.has(name), `${where}: variable "${name}" is never used`);
            }
            const locals = references(module.parsed, 'local');
            for (const name of locals) {
                assert.ok(module.locals.has(name), `${where}: local.${name} is not declared`);
            }
            for (const name of module.locals.keys()) {
                assert.ok(locals.has(name), `${where}: local "${name}" is never used`);
            }
            for (const expression of expressionsIn(module.parsed)) {
                for (const [, data, type, name] of expression.matchAll(/(?<![\w.])(data\.)?((?:google|kubernetes)_[a-z0-9_]+)\.([a-z0-9_]+)/g)) {
                    const declared = data ? module.data : module.resources;
                    assert.ok(declared.some(r => r.type === type && r.name === name), `${where}: ${data ?? ''}${type}.${name} is referred to but not declared`);
                }
            }
        }
    });

    it('pins Terraform and, in every module, each provider its resources use', async () => {
        const { root, modules } = await stack();
        for (const module of [root, ...Object.values(modules)]) {
            const where = path.relative(repoRoot, module.dir);
            const settings = module.settings;
            assert.ok(settings.some(s => typeof s.required_version === 'string' && /\d/.test(s.required_version)), `${where}: required_version`);
            const required = Object.assign({}, ...settings.flatMap(s => blocks(s, 'required_providers'))) as Hcl;
            const used = new Set([...module.resources, ...module.data].map(r => r.type.split('_')[0]));
            for (const provider of used) {
                assert.equal(required[provider]?.source, `hashicorp/${provider}`, `${where}: required_providers.${provider}.source`);
                assert.match(String(required[provider]?.version ?? ''), /\d/, `${where}: required_providers.${provider} has a version constraint`);
            }
        }
        const required = Object.assign({}, ...root.settings.flatMap(s => blocks(s, 'required_providers'))) as Hcl;
        assert.deepEqual(Object.keys(required).sort(), ['google', 'kubernetes']);
    });

    it('configures the kubernetes provider from the new cluster with a short-lived token', async () => {
        const { root } = await stack();
        const google = root.providers.get('google');
        assert.equal(google?.project, '${var.project_id}');
        assert.equal(google?.region, '${var.region}');
        const kubernetes = root.providers.get('kubernetes');
        assert.ok(kubernetes, 'a kubernetes provider');
        assert.equal(kubernetes.host, 'https://${module.cluster.endpoint}');
        assert.equal(kubernetes.cluster_ca_certificate, '${base64decode(module.cluster.ca_certificate)}');
        const [client] = [...references(kubernetes.token, 'data.google_client_config')];
        assert.ok(client && root.data.some(d => d.type === 'google_client_config' && d.name === client), 'the token is data.google_client_config\'s');
        assert.match(kubernetes.token as string, /\.access_token\}$/);
        assert.ok(!('config_path' in kubernetes) && !('client_key' in kubernetes), 'no kubeconfig or client key');
    });

    it('keeps project_id the only required variable, and the tfvars example sets only real variables', async () => {
        const { root } = await stack();
        const required = [...root.variables].filter(([, body]) => !('default' in body)).map(([name]) => name);
        assert.deepEqual(required, ['project_id']);
        assert.equal(defaultOf(root, 'region'), 'us-central1', 'the region docker/cloudbuild.yaml\'s _REGISTRY defaults to');
        const example = await parseFile(path.join(exampleDir, 'terraform.tfvars.example'));
        for (const name of Object.keys(example)) {
            assert.ok(root.variables.has(name), `terraform.tfvars.example sets "${name}", which is not a variable`);
        }
        for (const name of required) {
            assert.ok(name in example, `terraform.tfvars.example sets the required "${name}"`);
        }
    });

    describe('the workspace bucket (modules/bucket)', () => {
        const lifecycleFile = JSON.parse(fs.readFileSync(path.join(k8sDir, 'gcs-lifecycle.json'), 'utf8')) as { lifecycle: { rule: Hcl[] } };

        async function bucket(): Promise<{ body: Hcl; resolve: (value: unknown) => unknown }> {
            const s = await stack();
            return { body: resource(s.modules.bucket, 'google_storage_bucket').body, resolve: value => s.resolveIn('bucket', value) };
        }

        /** The bucket's lifecycle rules with what is known filled in, as { action, condition }. */
        async function rules(): Promise<{ action: Hcl; condition: Hcl }[]> {
            const { body, resolve } = await bucket();
            return blocks(body, 'lifecycle_rule').map(rule => ({
                action: block(rule, 'action'),
                condition: Object.fromEntries(Object.entries(block(rule, 'condition')).map(([key, value]) => [key, resolve(value)])),
            }));
        }

        it('is private to IAM, versioned and protected from destroy', async () => {
            const { body, resolve } = await bucket();
            assert.equal(body.uniform_bucket_level_access, true);
            assert.equal(body.public_access_prevention, 'enforced');
            assert.equal(block(body, 'versioning').enabled, true);
            assert.notEqual(body.force_destroy, true);
            assert.equal(block(body, 'lifecycle').prevent_destroy, true);
            assert.equal(resolve(body.name), defaultOf((await stack()).root, 'bucket_name'));
        });

        it('is named as the manifests name it, in the cluster\'s region', async () => {
            const { root } = await stack();
            const { body, resolve } = await bucket();
            const statefulSet = readYaml(path.join(k8sDir, 'statefulset.yaml'));
            const replica = statefulSet.spec.template.spec.volumes.find((v: Hcl) => v.name === 'replica');
            assert.equal(resolve(body.name), replica.csi.volumeAttributes.bucketName);
            const fleetEnv = readYamlDocuments(path.join(fleetK8sDir, 'deployment.yaml'))[0].spec.template.spec.containers[0].env as Hcl[];
            assert.equal(resolve(body.name), fleetEnv.find(e => e.name === 'FLEET_BUCKET')?.value);
            assert.equal(root.calls.get('bucket')?.location, '${var.region}');
            assert.equal(root.calls.get('fleet')?.bucket_name, '${module.bucket.name}', 'the fleet is given the bucket Terraform made');
            assert.equal(root.calls.get('identities')?.bucket_name, '${module.bucket.name}', 'access is granted on the bucket Terraform made');
        });

        it('has docker/k8s/gcs-lifecycle.json\'s rule for old generations', async () => {
            const all = await rules();
            for (const wanted of lifecycleFile.lifecycle.rule) {
                const found = all.filter(({ action, condition }) => action.type === wanted.action.type
                    && action.storage_class === wanted.action.storageClass
                    && condition.age === wanted.condition.age);
                assert.equal(found.length, 1, `one rule ${wanted.action.type} ${wanted.action.storageClass} at age ${wanted.condition.age}`);
                const { condition } = found[0];
                assert.deepEqual(condition.matches_storage_class, wanted.condition.matchesStorageClass);
                assert.deepEqual(condition.matches_prefix, wanted.condition.matchesPrefix);
                assert.deepEqual(condition.matches_suffix, wanted.condition.matchesSuffix);
            }
        });

        it('moves noncurrent generations to Nearline, then deletes noncurrent versions later', async () => {
            const all = await rules();
            const nearline = all.find(({ action, condition }) => action.type === 'SetStorageClass' && action.storage_class === 'NEARLINE'
                && condition.with_state === 'ARCHIVED' && typeof condition.days_since_noncurrent_time === 'number');
            assert.ok(nearline, 'a rule moving noncurrent versions to NEARLINE by days since they became noncurrent');
            const deletes = all.filter(({ action }) => action.type === 'Delete');
            const byDays = deletes.find(({ condition }) => typeof condition.days_since_noncurrent_time === 'number');
            assert.ok(byDays, 'a Delete rule for noncurrent versions by days');
            assert.ok((byDays.condition.days_since_noncurrent_time as number) > (nearline.condition.days_since_noncurrent_time as number), 'deleted only after the move to Nearline');
        });

        it('never deletes a live object: every Delete rule matches noncurrent versions only', async () => {
            const deletes = (await rules()).filter(({ action }) => action.type === 'Delete');
            assert.ok(deletes.length > 0);
            for (const { condition } of deletes) {
                assert.equal(condition.with_state, 'ARCHIVED', `Delete rule ${JSON.stringify(condition)} is limited to noncurrent versions`);
                assert.ok(!('age' in condition) && !('created_before' in condition), 'no Delete by age alone');
            }
        });
    });

    describe('IAM (least privilege)', () => {
        /** Every IAM grant of every module, with its module name. */
        async function grants(): Promise<{ module: string; type: string; name: string; body: Hcl }[]> {
            const { modules } = await stack();
            return Object.entries(modules).flatMap(([module, m]) => m.resources
                .filter(r => /_iam_(member|binding|policy)$/.test(r.type))
                .map(r => ({ module, ...r })));
        }

        it('adds members only (never replaces a policy), and never grants owner, editor or an admin role', async () => {
            const all = await grants();
            assert.ok(all.length >= 8, 'the grants are found');
            for (const grant of all) {
                assert.match(grant.type, /_iam_member$/, `${grant.type}.${grant.name}: an authoritative binding or policy would remove grants made elsewhere`);
                assert.doesNotMatch(String(grant.body.role), /^roles\/(owner|editor|viewer)$|admin/i, `${grant.type}.${grant.name} grants ${grant.body.role}`);
            }
        });

        it('grants project-wide only the roles that cannot be scoped to a resource', async () => {
            const projectRoles = (await grants()).filter(g => g.type === 'google_project_iam_member').map(g => g.body.role).sort();
            assert.deepEqual(projectRoles, ['roles/container.defaultNodeServiceAccount', 'roles/logging.logWriter']);
        });

        for (const identity of [workspaceIdentity, fleetIdentity]) {
            it(`gives ${identity.googleAccountId} object access on the workspace bucket only`, async () => {
                const s = await stack();
                const identities = s.modules.identities;
                const account = identities.resources.find(r => r.type === 'google_service_account' && s.resolveIn('identities', r.body.account_id) === identity.googleAccountId);
                assert.ok(account, `modules/identities makes the Google service account ${identity.googleAccountId} (${path.relative(repoRoot, identity.file)})`);
                const own = (await grants()).filter(g => g.module === 'identities' && references(g.body, 'google_service_account').has(account.name) && g.body.role !== 'roles/iam.workloadIdentityUser');
                assert.deepEqual(own.map(g => [g.type, g.body.role]), [['google_storage_bucket_iam_member', 'roles/storage.objectUser']]);
                assert.equal(own[0].body.bucket, '${var.bucket_name}');
            });
        }

        it('lets the nodes pull and the build account push, on the repository', async () => {
            const { root, modules } = await stack();
            const registry = modules.registry;
            assert.equal(resource(registry, 'google_artifact_registry_repository_iam_member', 'readers').body.role, 'roles/artifactregistry.reader');
            assert.equal(resource(registry, 'google_artifact_registry_repository_iam_member', 'builders').body.role, 'roles/artifactregistry.writer');
            const call = root.calls.get('registry')!;
            assert.deepEqual(Object.values(call.readers), ['serviceAccount:${module.cluster.node_service_account_email}']);
            assert.deepEqual(Object.values(call.builders), ['serviceAccount:${module.identities.build_service_account_email}']);
        });
    });

    describe('Workload Identity and the Kubernetes service accounts of docker/k8s', () => {
        for (const identity of [workspaceIdentity, fleetIdentity]) {
            const where = path.relative(repoRoot, identity.file);

            it(`binds ${identity.namespace}/${identity.name} (${where}) to ${identity.googleAccountId}`, async () => {
                const s = await stack();
                const bindings = s.modules.identities.resources.filter(r => r.type === 'google_service_account_iam_member' && r.body.role === 'roles/iam.workloadIdentityUser');
                const matching = bindings.filter(b => {
                    const member = /^serviceAccount:(.+)\[([^/\]]+)\/([^\]]+)\]$/.exec(String(s.resolveIn('identities', b.body.member)));
                    return member && member[1] === '${module.cluster.workload_pool}' && member[2] === identity.namespace && member[3] === identity.name;
                });
                assert.equal(matching.length, 1, `one binding for serviceAccount:<pool>[${identity.namespace}/${identity.name}] (found ${bindings.map(b => s.resolveIn('identities', b.body.member)).join(', ')})`);
                assert.equal(accountIdOf(s, matching[0].body.service_account_id), identity.googleAccountId);
            });

            it(`makes ${identity.name} in modules/fleet with the annotation naming ${identity.googleAccountId}`, async () => {
                const s = await stack();
                const account = s.modules.fleet.resources.find(r => r.type === 'kubernetes_service_account_v1' && s.resolveIn('fleet', block(r.body, 'metadata').name) === identity.name);
                assert.ok(account, `a kubernetes_service_account_v1 named ${identity.name}`);
                const metadata = block(account.body, 'metadata');
                assert.deepEqual(s.resolveIn('fleet', metadata.labels), identity.labels);
                const annotation = s.resolveIn('fleet', metadata.annotations['iam.gke.io/gcp-service-account']);
                const output = /^\$\{module\.identities\.([a-z0-9_]+)\}$/.exec(String(annotation));
                assert.ok(output, `the annotation is an output of modules/identities (is ${annotation})`);
                assert.equal(accountIdOf(s, s.modules.identities.outputs.get(output[1])?.value), identity.googleAccountId);
            });
        }

        it('takes the pool from the cluster, whose pool is <project>.svc.id.goog', async () => {
            const { root, modules } = await stack();
            assert.equal(root.calls.get('identities')?.workload_identity_pool, '${module.cluster.workload_pool}');
            const cluster = resource(modules.cluster, 'google_container_cluster').body;
            assert.equal(block(cluster, 'workload_identity_config').workload_pool, '${var.project_id}.svc.id.goog');
            assert.match(String(modules.cluster.outputs.get('workload_pool')?.value), /google_container_cluster\.this\.workload_identity_config\[0\]\.workload_pool/);
            assert.equal(root.calls.get('identities')?.namespace, root.calls.get('fleet')?.namespace, 'one namespace for the bindings and the service accounts');
        });
    });

    describe('the cluster (modules/cluster)', () => {
        it('is Autopilot on a release channel, with Workload Identity and the GCS FUSE driver', async () => {
            const { modules } = await stack();
            const cluster = resource(modules.cluster, 'google_container_cluster').body;
            assert.equal(cluster.enable_autopilot, true);
            assert.equal(block(cluster, 'release_channel').channel, '${var.release_channel}');
            assert.ok(modules.cluster.variables.get('release_channel')?.validation, 'the channel is validated');
            assert.equal(block(block(cluster, 'addons_config'), 'gcs_fuse_csi_driver_config').enabled, true);
            assert.ok(!('node_pool' in cluster) && !('node_config' in cluster), 'Autopilot manages the nodes');
        });

        it('runs nodes as their own service account, which pulls the images', async () => {
            const { modules } = await stack();
            const cluster = resource(modules.cluster, 'google_container_cluster').body;
            const defaults = block(block(cluster, 'cluster_autoscaling'), 'auto_provisioning_defaults');
            assert.equal(defaults.service_account, '${google_service_account.nodes.email}');
            assert.equal(modules.cluster.outputs.get('node_service_account_email')?.value, '${google_service_account.nodes.email}');
        });

        it('has deletion protection and private nodes as variables, on by default in production', async () => {
            const { root, modules } = await stack();
            const cluster = resource(modules.cluster, 'google_container_cluster').body;
            assert.equal(cluster.deletion_protection, '${var.deletion_protection}');
            assert.equal(defaultOf(modules.cluster, 'deletion_protection'), true);
            assert.equal(defaultOf(root, 'deletion_protection'), true);
            const privateConfig = cluster.dynamic?.private_cluster_config?.[0] as Hcl | undefined;
            assert.ok(privateConfig, 'private_cluster_config follows a variable');
            assert.match(privateConfig.for_each as string, /var\.private_nodes/);
            assert.equal(block(privateConfig, 'content').enable_private_nodes, true);
            assert.equal(defaultOf(root, 'private_nodes'), true);
            const nat = resource(modules.cluster, 'google_compute_router_nat').body;
            assert.match(nat.count as string, /var\.private_nodes/, 'Cloud NAT comes with private nodes (agents call their vendors)');
        });
    });

    describe('the image repository (modules/registry)', () => {
        /** The repository path segment of an image name REGION-docker.pkg.dev/PROJECT_ID/<repository>/<image>. */
        function repositoryOf(image: string): { repository: string; image: string } {
            const match = /^REGION-docker\.pkg\.dev\/PROJECT_ID\/([^/]+)\/([^/:]+)/.exec(image);
            assert.ok(match, `${image} is an Artifact Registry image name`);
            return { repository: match[1], image: match[2] };
        }

        it('is a Docker repository named as the manifests and docker/cloudbuild.yaml name it', async () => {
            const s = await stack();
            const repository = resource(s.modules.registry, 'google_artifact_registry_repository').body;
            assert.equal(repository.format, 'DOCKER');
            const id = s.resolveIn('registry', repository.repository_id);
            for (const dir of [k8sDir, fleetK8sDir]) {
                for (const image of readYaml(path.join(dir, 'kustomization.yaml')).images as Hcl[]) {
                    assert.equal(repositoryOf(image.name).repository, id, `${path.relative(repoRoot, dir)}/kustomization.yaml`);
                }
            }
            const cloudbuild = readYaml(path.join(repoRoot, 'docker', 'cloudbuild.yaml'));
            assert.ok(String(cloudbuild.substitutions._REGISTRY).endsWith(`/${id}`), 'docker/cloudbuild.yaml pushes to it');
            assert.equal(s.root.calls.get('registry')?.location, '${var.region}');
        });

        it('names the images the fleet runs as the kustomizations do', async () => {
            const { root } = await stack();
            const call = root.calls.get('fleet')!;
            const fleetImage = repositoryOf((readYaml(path.join(fleetK8sDir, 'kustomization.yaml')).images as Hcl[])[0].name).image;
            const studioImage = repositoryOf((readYaml(path.join(k8sDir, 'kustomization.yaml')).images as Hcl[])[0].name).image;
            assert.match(call.fleet_image as string, new RegExp(`^\\$\\{module\\.registry\\.repository_url\\}/${fleetImage}:`));
            assert.match(call.studio_image as string, new RegExp(`^\\$\\{module\\.registry\\.repository_url\\}/${studioImage}:`));
        });
    });

    describe('the fleet (modules/fleet) against docker/k8s/fleet', () => {
        const fleetYaml = (file: string, kind: string): Hcl => {
            const found = readYamlDocuments(path.join(fleetK8sDir, file)).find(doc => doc.kind === kind);
            assert.ok(found, `${file} has a ${kind}`);
            return found;
        };

        /** The module's `type` resource with its known values filled in, as the example calls it. */
        async function fleetResource(type: string): Promise<{ body: Hcl; resolve: (value: unknown) => unknown }> {
            const s = await stack();
            const resolve = (value: unknown): unknown => {
                if (value && typeof value === 'object' && !Array.isArray(value)) {
                    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
                }
                return Array.isArray(value) ? value.map(resolve) : s.resolveIn('fleet', value);
            };
            return { body: resource(s.modules.fleet, type).body, resolve };
        }

        it('uses the kustomization\'s namespace', async () => {
            const { body, resolve } = await fleetResource('kubernetes_namespace_v1');
            assert.equal(resolve(block(body, 'metadata').name), readYaml(path.join(fleetK8sDir, 'kustomization.yaml')).namespace);
            assert.equal(block(body, 'lifecycle').prevent_destroy, true, 'destroying the namespace would delete every workspace');
        });

        it('runs the Deployment of deployment.yaml: labels, replicas, strategy, identity, security', async () => {
            const yaml = fleetYaml('deployment.yaml', 'Deployment');
            const { body, resolve } = await fleetResource('kubernetes_deployment_v1');
            const metadata = block(body, 'metadata');
            assert.equal(metadata.name, yaml.metadata.name);
            assert.deepEqual(resolve(metadata.labels), yaml.metadata.labels);
            const spec = block(body, 'spec');
            assert.equal(spec.replicas, yaml.spec.replicas);
            assert.equal(block(spec, 'strategy').type, yaml.spec.strategy.type);
            assert.deepEqual(block(spec, 'selector').match_labels, yaml.spec.selector.matchLabels);
            const template = block(spec, 'template');
            assert.deepEqual(resolve(block(template, 'metadata').labels), yaml.spec.template.metadata.labels);
            const pod = block(template, 'spec');
            const yamlPod = yaml.spec.template.spec;
            assert.equal(pod.service_account_name, '${kubernetes_service_account_v1.fleet.metadata[0].name}');
            assert.equal(fleetIdentity.name, yamlPod.serviceAccountName);
            assert.equal(pod.termination_grace_period_seconds, yamlPod.terminationGracePeriodSeconds);
            const podSecurity = block(pod, 'security_context');
            assert.equal(podSecurity.run_as_non_root, yamlPod.securityContext.runAsNonRoot);
            assert.equal(podSecurity.run_as_user, yamlPod.securityContext.runAsUser);
            assert.equal(podSecurity.run_as_group, yamlPod.securityContext.runAsGroup);
            assert.equal(block(podSecurity, 'seccomp_profile').type, yamlPod.securityContext.seccompProfile.type);
            const volume = block(pod, 'volume');
            assert.equal(volume.name, yamlPod.volumes[0].name);
            assert.equal(block(volume, 'secret').secret_name, yamlPod.volumes[0].secret.secretName);
            assert.equal(block(volume, 'secret').optional, yamlPod.volumes[0].secret.optional);
        });

        it('runs the container of deployment.yaml: port, environment, resources, probes', async () => {
            const yamlContainer = fleetYaml('deployment.yaml', 'Deployment').spec.template.spec.containers[0];
            const { body, resolve } = await fleetResource('kubernetes_deployment_v1');
            const container = block(block(block(block(body, 'spec'), 'template'), 'spec'), 'container');
            assert.equal(container.name, yamlContainer.name);
            assert.equal(container.image, '${var.fleet_image}');
            assert.equal(container.image_pull_policy, yamlContainer.imagePullPolicy);
            const port = block(container, 'port');
            assert.deepEqual([port.name, port.container_port, port.protocol], [yamlContainer.ports[0].name, yamlContainer.ports[0].containerPort, yamlContainer.ports[0].protocol]);

            const env = blocks(container, 'env');
            assert.deepEqual(env.map(e => e.name), (yamlContainer.env as Hcl[]).map(e => e.name), 'the same variables, in the same order');
            for (const yamlEnv of yamlContainer.env as Hcl[]) {
                const tf = env.find(e => e.name === yamlEnv.name)!;
                if (yamlEnv.valueFrom?.fieldRef) {
                    assert.equal(block(block(tf, 'value_from'), 'field_ref').field_path, yamlEnv.valueFrom.fieldRef.fieldPath, yamlEnv.name);
                    continue;
                }
                if (yamlEnv.valueFrom?.secretKeyRef) {
                    const ref = block(block(tf, 'value_from'), 'secret_key_ref');
                    const yamlRef = yamlEnv.valueFrom.secretKeyRef;
                    assert.deepEqual([ref.name, ref.key, ref.optional ?? false], [yamlRef.name, yamlRef.key, yamlRef.optional ?? false], yamlEnv.name);
                    continue;
                }
                const value = resolve(tf.value);
                const known = stringsIn(value).every(text => !text.includes('${'));
                if (known && !/PROJECT_ID|REGION/.test(yamlEnv.value)) {
                    assert.equal(String(value), yamlEnv.value, `${yamlEnv.name}: the default is the manifest's value`);
                }
            }
            assert.equal(env.find(e => e.name === 'FLEET_IMAGE')?.value, '${var.studio_image}');
            assert.equal(env.find(e => e.name === 'FLEET_BUCKET_URL')?.value, 'gs://${var.bucket_name}');

            const resources = block(container, 'resources');
            assert.deepEqual(resources.requests, yamlContainer.resources.requests);
            assert.deepEqual(resources.limits, yamlContainer.resources.limits);
            for (const [key, yamlKey] of [['readiness_probe', 'readinessProbe'], ['liveness_probe', 'livenessProbe']]) {
                const probe = block(container, key);
                assert.equal(block(probe, 'http_get').path, yamlContainer[yamlKey].httpGet.path);
                assert.equal(block(probe, 'http_get').port, yamlContainer[yamlKey].httpGet.port);
                assert.equal(probe.period_seconds, yamlContainer[yamlKey].periodSeconds);
            }
            const security = block(container, 'security_context');
            assert.equal(security.allow_privilege_escalation, yamlContainer.securityContext.allowPrivilegeEscalation);
            assert.equal(security.read_only_root_filesystem, yamlContainer.securityContext.readOnlyRootFilesystem);
            assert.deepEqual(block(security, 'capabilities').drop, yamlContainer.securityContext.capabilities.drop);
            const mount = block(container, 'volume_mount');
            assert.deepEqual([mount.name, mount.mount_path, mount.read_only], [yamlContainer.volumeMounts[0].name, yamlContainer.volumeMounts[0].mountPath, yamlContainer.volumeMounts[0].readOnly]);
        });

        it('grants the Role of rbac.yaml, rule for rule, bound to the fleet\'s service account', async () => {
            const role = fleetYaml('rbac.yaml', 'Role');
            const { body } = await fleetResource('kubernetes_role_v1');
            assert.equal(block(body, 'metadata').name, role.metadata.name);
            assert.deepEqual(blocks(body, 'rule').map(rule => ({ apiGroups: rule.api_groups, resources: rule.resources, verbs: rule.verbs })), role.rules);
            const binding = fleetYaml('rbac.yaml', 'RoleBinding');
            const tfBinding = (await fleetResource('kubernetes_role_binding_v1')).body;
            const roleRef = block(tfBinding, 'role_ref');
            assert.deepEqual([roleRef.api_group, roleRef.kind], [binding.roleRef.apiGroup, binding.roleRef.kind]);
            assert.equal(roleRef.name, '${kubernetes_role_v1.fleet.metadata[0].name}');
            const subject = block(tfBinding, 'subject');
            assert.equal(subject.kind, binding.subjects[0].kind);
            assert.equal(subject.name, '${kubernetes_service_account_v1.fleet.metadata[0].name}');
        });

        it('exposes it as service.yaml and ingress.yaml do', async () => {
            const service = fleetYaml('service.yaml', 'Service');
            const tfService = block((await fleetResource('kubernetes_service_v1')).body, 'spec');
            assert.equal(tfService.type, service.spec.type);
            assert.deepEqual(tfService.selector, service.spec.selector);
            const port = block(tfService, 'port');
            assert.deepEqual([port.name, port.port, port.target_port, port.protocol], [service.spec.ports[0].name, service.spec.ports[0].port, service.spec.ports[0].targetPort, service.spec.ports[0].protocol]);

            const ingress = fleetYaml('ingress.yaml', 'Ingress');
            const { body, resolve } = await fleetResource('kubernetes_ingress_v1');
            assert.deepEqual(block(body, 'metadata').annotations, ingress.metadata.annotations);
            const spec = block(body, 'spec');
            assert.equal(resolve(spec.ingress_class_name), ingress.spec.ingressClassName);
            assert.deepEqual(resolve(block(spec, 'tls').hosts), ingress.spec.tls[0].hosts);
            assert.equal(resolve(block(spec, 'tls').secret_name), ingress.spec.tls[0].secretName);
            const rule = block(spec, 'rule');
            assert.equal(resolve(rule.host), ingress.spec.rules[0].host);
            const paths = block(rule, 'http').dynamic.path[0] as Hcl;
            const forEach = String(paths.for_each);
            for (const yamlPath of ingress.spec.rules[0].http.paths as Hcl[]) {
                const byVariable = [...references(forEach, 'var')].some(name => resolve(`\${var.${name}}`) === yamlPath.path);
                assert.ok(forEach.includes(`"${yamlPath.path}"`) || byVariable, `the ingress routes ${yamlPath.path}`);
                assert.equal(yamlPath.backend.service.port.name, block(block(block(block(paths, 'content'), 'backend'), 'service'), 'port').name);
            }
        });

        it('admits only the fleet to the workspaces, as networkpolicy.yaml does', async () => {
            const policy = fleetYaml('networkpolicy.yaml', 'NetworkPolicy');
            const spec = block((await fleetResource('kubernetes_network_policy_v1')).body, 'spec');
            assert.deepEqual(block(spec, 'pod_selector').match_labels, policy.spec.podSelector.matchLabels);
            assert.deepEqual(spec.policy_types, policy.spec.policyTypes);
            const ingress = block(spec, 'ingress');
            assert.deepEqual(block(block(ingress, 'from'), 'pod_selector').match_labels, policy.spec.ingress[0].from[0].podSelector.matchLabels);
            const port = block(ingress, 'ports');
            assert.deepEqual([Number(port.port), port.protocol], [policy.spec.ingress[0].ports[0].port, policy.spec.ingress[0].ports[0].protocol]);
        });
    });

    it('holds no secret: no key, token or password in the files, and no Secret or key in the state', async () => {
        const { root, modules } = await stack();
        const secretResources = /^(kubernetes_secret(_v1)?|google_service_account_key|google_secret_manager_secret_version|google_sql_user)$/;
        for (const module of [root, ...Object.values(modules)]) {
            for (const r of [...module.resources, ...module.data]) {
                assert.doesNotMatch(r.type, secretResources, `${path.relative(repoRoot, module.dir)}: ${r.type}.${r.name} would keep a secret in the Terraform state`);
            }
        }
        const files = [...filesUnder(terraformDir, '.tf'), path.join(exampleDir, 'terraform.tfvars.example')];
        for (const file of files) {
            const text = fs.readFileSync(file, 'utf8');
            const where = path.relative(repoRoot, file);
            assert.doesNotMatch(text, /-----BEGIN [A-Z ]*PRIVATE KEY-----/, `${where}: a private key`);
            assert.doesNotMatch(text, /AIza[0-9A-Za-z_-]{35}|ya29\.[0-9A-Za-z_-]{20,}|sk-[A-Za-z0-9]{20,}/, `${where}: an API key or access token`);
            assert.doesNotMatch(text, /^\s*(password|secret|api_key|private_key|client_secret)\s*=/im, `${where}: a secret-looking argument`);
        }
    });
});
