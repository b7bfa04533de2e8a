import { maskSecrets } from '../policy/secrets';
import type { JsonObject, JsonValue } from './timeline-types';

/** How much of one string an event keeps (tool arguments and results, model text, messages). */
const DefaultStringCap = 16 * 1024;
/** Deeper structures are cut: an event is a record for people, not a dump. */
const MaxDepth = 12;
const MaxArrayItems = 500;

/** `text` cut to `cap` characters, saying how much was cut. */
export function capString(text: string, cap: number = DefaultStringCap): string {
    return text.length <= cap ? text : `${text.slice(0, cap)}… (${text.length - cap} more characters not recorded)`;
}

/**
 * A JSON copy of `value` fit to be stored and archived: every string masked (secrets named in
 * `secrets`, and anything shaped like a vendor key) and capped, functions and undefined dropped,
 * cycles and depth bounded. Masking string by string (not the serialized text) keeps the JSON
 * valid whatever a secret sits next to.
 *
 * `uncapped` names keys whose strings are kept whole (file contents and patches of a file edit,
 * which have their own size limit); they are still masked.
 */
export function sanitize(value: unknown, secrets: readonly string[], options: { cap?: number; uncapped?: ReadonlySet<string> } = {}): JsonValue {
    const cap = options.cap ?? DefaultStringCap;
    const seen = new Set<object>();
    const walk = (v: unknown, depth: number, key: string | undefined): JsonValue | undefined => {
        if (v === null) {
            return null;
        }
        switch (typeof v) {
            case 'string': {
                const masked = maskSecrets(v, secrets);
                return key !== undefined && options.uncapped?.has(key) ? masked : capString(masked, cap);
            }
            case 'number': return Number.isFinite(v) ? v : null;
            case 'boolean': return v;
            case 'bigint': return Number(v);
            case 'object': break;
            default: return undefined;
        }
        if (depth >= MaxDepth) {
            return '… (nested too deep; not recorded)';
        }
        const object = v as object;
        if (seen.has(object)) {
            return '… (circular)';
        }
        seen.add(object);
        try {
            if (Array.isArray(object)) {
                const items = object.slice(0, MaxArrayItems).map(item => walk(item, depth + 1, undefined) ?? null);
                if (object.length > MaxArrayItems) {
                    items.push(`… (${object.length - MaxArrayItems} more items not recorded)`);
                }
                return items;
            }
            if (object instanceof Date) {
                return object.getTime();
            }
            const out: JsonObject = {};
            for (const [k, item] of Object.entries(object)) {
                const clean = walk(item, depth + 1, k);
                if (clean !== undefined) {
                    out[maskSecrets(k, secrets)] = clean;
                }
            }
            return out;
        } finally {
            seen.delete(object);
        }
    };
    return walk(value, 0, undefined) ?? null;
}

export function sanitizeObject(value: object, secrets: readonly string[], options?: { cap?: number; uncapped?: ReadonlySet<string> }): JsonObject {
    const clean = sanitize(value, secrets, options);
    return clean !== null && typeof clean === 'object' && !Array.isArray(clean) ? clean : {};
}
