import { badRequest } from './status';

/**
 * Label and field selectors with the API server's grammar: requirements joined by `,` (AND);
 * `k=v`, `k==v`, `k!=v` (also true when the label is absent), `k`, `!k`, `k in (a,b)`,
 * `k notin (a,b)` (also true when absent). A selector that does not parse is a 400, as the
 * server sends, rather than a silent match-all that would hide a client's typo.
 */
export type Labels = Readonly<Record<string, string>> | undefined;

export type Requirement =
    | { key: string; op: '=' | '!='; value: string }
    | { key: string; op: 'in' | 'notin'; values: string[] }
    | { key: string; op: 'exists' | '!exists' };

export type Selector = readonly Requirement[];

export function parseLabelSelector(text: string | undefined): Selector {
    const source = (text ?? '').trim();
    if (!source) {
        return [];
    }
    const requirements: Requirement[] = [];
    for (const part of splitTopLevel(source)) {
        requirements.push(parseRequirement(part.trim(), source));
    }
    return requirements;
}

/** Splits at commas outside parentheses: `a in (x,y),b` is two requirements. */
function splitTopLevel(source: string): string[] {
    const parts: string[] = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i < source.length; i++) {
        const c = source[i];
        if (c === '(') {
            depth++;
        } else if (c === ')') {
            depth--;
        } else if (c === ',' && depth === 0) {
            parts.push(source.slice(start, i));
            start = i + 1;
        }
    }
    parts.push(source.slice(start));
    return parts;
}

const key = String.raw`[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?`;
const value = String.raw`([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?`;
const equality = new RegExp(String.raw`^(${key})\s*(==|!=|=)\s*(${value})$`);
const set = new RegExp(String.raw`^(${key})\s+(in|notin)\s*\(([^()]*)\)$`);
const exists = new RegExp(String.raw`^(!?)\s*(${key})$`);

function parseRequirement(part: string, whole: string): Requirement {
    let m = equality.exec(part);
    if (m) {
        return { key: m[1], op: m[3] === '!=' ? '!=' : '=', value: m[4] };
    }
    m = set.exec(part);
    if (m) {
        const values = m[4].split(',').map(v => v.trim());
        if (values.some(v => !new RegExp(`^${value}$`).test(v)) || (values.length === 1 && values[0] === '')) {
            throw badRequest(`unable to parse requirement: values in "${part}" are invalid`);
        }
        return { key: m[1], op: m[3] as 'in' | 'notin', values };
    }
    m = exists.exec(part);
    if (m) {
        return { key: m[2], op: m[1] ? '!exists' : 'exists' };
    }
    throw badRequest(`unable to parse requirement: found '${part}' in label selector "${whole}"`);
}

export function matchesLabels(selector: Selector, labels: Labels): boolean {
    for (const r of selector) {
        const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
        const actual = has ? labels![r.key] : undefined;
        switch (r.op) {
            case '=': if (actual !== r.value) { return false; } break;
            case '!=': if (actual === r.value) { return false; } break;
            case 'in': if (actual === undefined || !r.values.includes(actual)) { return false; } break;
            case 'notin': if (actual !== undefined && r.values.includes(actual)) { return false; } break;
            case 'exists': if (!has) { return false; } break;
            case '!exists': if (has) { return false; } break;
        }
    }
    return true;
}

/** A `metav1.LabelSelector` (matchLabels + matchExpressions) as a parsed selector. */
export function fromLabelSelector(selector: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined): Selector {
    const requirements: Requirement[] = [];
    for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) {
        requirements.push({ key: k, op: '=', value: v });
    }
    for (const e of selector?.matchExpressions ?? []) {
        switch (e.operator) {
            case 'In': requirements.push({ key: e.key, op: 'in', values: e.values ?? [] }); break;
            case 'NotIn': requirements.push({ key: e.key, op: 'notin', values: e.values ?? [] }); break;
            case 'Exists': requirements.push({ key: e.key, op: 'exists' }); break;
            case 'DoesNotExist': requirements.push({ key: e.key, op: '!exists' }); break;
        }
    }
    return requirements;
}

/** The selector in the string form the Scale subresource reports in status.selector. */
export function formatSelector(selector: Selector): string {
    return selector.map(r => {
        switch (r.op) {
            case '=': return `${r.key}=${r.value}`;
            case '!=': return `${r.key}!=${r.value}`;
            case 'in': return `${r.key} in (${r.values.join(',')})`;
            case 'notin': return `${r.key} notin (${r.values.join(',')})`;
            case 'exists': return r.key;
            case '!exists': return `!${r.key}`;
        }
        return '';
    }).join(',');
}

export interface FieldRequirement {
    path: string;
    op: '=' | '!=';
    value: string;
}

/**
 * Field selectors: only `=`, `==`, `!=` joined by `,`, on the fields the type supports
 * (metadata.name and metadata.namespace always). An unsupported field is a 400 naming it.
 */
export function parseFieldSelector(text: string | undefined, supported: readonly string[]): FieldRequirement[] {
    const source = (text ?? '').trim();
    if (!source) {
        return [];
    }
    return source.split(',').map(part => {
        const m = /^\s*([A-Za-z0-9_.]+)\s*(==|!=|=)\s*(.*?)\s*$/.exec(part);
        if (!m) {
            throw badRequest(`invalid selector: '${source}'; can't understand '${part}'`);
        }
        if (!['metadata.name', 'metadata.namespace', ...supported].includes(m[1])) {
            throw badRequest(`field label not supported: ${m[1]}`);
        }
        return { path: m[1], op: m[2] === '!=' ? '!=' : '=', value: m[3] };
    });
}

export function matchesFields(requirements: readonly FieldRequirement[], object: unknown): boolean {
    for (const r of requirements) {
        let current: unknown = object;
        for (const segment of r.path.split('.')) {
            current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[segment] : undefined;
        }
        const actual = current === undefined || current === null ? '' : String(current);
        if ((r.op === '=') !== (actual === r.value)) {
            return false;
        }
    }
    return true;
}
