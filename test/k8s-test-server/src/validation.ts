import { canonicalJson, KubeObject } from './objects';
import { fromLabelSelector, matchesLabels } from './selectors';
import type { StatusCause } from './status';

const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const subdomainMessage = 'a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')';

function required(field: string, detail?: string): StatusCause {
    return { reason: 'FieldValueRequired', message: detail ? `Required value: ${detail}` : 'Required value', field };
}

function invalidValue(field: string, value: unknown, detail: string): StatusCause {
    return { reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(value)}: ${detail}`, field };
}

/**
 * The validation that catches the mistakes a client makes in practice — no name, a bad name, a
 * StatefulSet whose selector does not select its own pods, a template without containers, an
 * attempt to change what cannot change — with the API server's field paths and wording (422).
 */
export function validate(plural: string, object: KubeObject, previous: KubeObject | undefined): StatusCause[] {
    const causes: StatusCause[] = [];
    const name = object.metadata.name;
    if (!name) {
        causes.push(required('metadata.name', 'name or generateName is required'));
    } else if (name.length > 253 || !subdomain.test(name)) {
        causes.push(invalidValue('metadata.name', name, subdomainMessage));
    }
    if (plural === 'statefulsets') {
        causes.push(...validateStatefulSet(object, previous));
    }
    if (plural === 'pods' && !previous) {
        causes.push(...validateContainers('spec', object.spec));
    }
    return causes;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function validateContainers(path: string, spec: any): StatusCause[] {
    const containers = spec?.containers;
    if (!Array.isArray(containers) || !containers.length) {
        return [required(`${path}.containers`)];
    }
    const causes: StatusCause[] = [];
    containers.forEach((c, i) => {
        if (!c?.name) {
            causes.push(required(`${path}.containers[${i}].name`));
        }
        if (!c?.image) {
            causes.push(required(`${path}.containers[${i}].image`));
        }
    });
    return causes;
}

function validateStatefulSet(sts: KubeObject, previous: KubeObject | undefined): StatusCause[] {
    const spec = sts.spec ?? {};
    const causes: StatusCause[] = [];
    if (typeof spec.replicas === 'number' && spec.replicas < 0) {
        causes.push(invalidValue('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
    }
    const selector = spec.selector;
    if (!selector || (!Object.keys(selector.matchLabels ?? {}).length && !(selector.matchExpressions ?? []).length)) {
        causes.push(required('spec.selector'));
        if (!selector) {
            causes.push(invalidValue('spec.selector', null, 'empty selector is invalid for statefulset'));
        }
    } else if (!matchesLabels(fromLabelSelector(selector), spec.template?.metadata?.labels)) {
        causes.push(invalidValue('spec.template.metadata.labels', spec.template?.metadata?.labels ?? {}, '`selector` does not match template `labels`'));
    }
    causes.push(...validateContainers('spec.template.spec', spec.template?.spec));
    if (previous) {
        const mutable = new Set(['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds']);
        const frozen = (s: Record<string, unknown>) => canonicalJson(Object.keys(s).filter(k => !mutable.has(k)).sort().map(k => [k, s[k]]));
        if (frozen(spec) !== frozen(previous.spec ?? {})) {
            causes.push({
                reason: 'FieldValueForbidden', field: 'spec',
                message: 'Forbidden: updates to statefulset spec for fields other than \'replicas\', \'ordinals\', \'template\', \'updateStrategy\', \'persistentVolumeClaimRetentionPolicy\' and \'minReadySeconds\' are forbidden',
            });
        }
    }
    return causes;
}
