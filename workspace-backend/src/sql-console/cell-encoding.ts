import { CellValue } from './console-types';

/** Text longer than this is cut in the grid; the whole value is fetched on demand. */
const TextPreviewChars = 1000;
/** Blobs show their size and this many leading bytes in hex. */
const BlobPreviewBytes = 32;

/**
 * Keeps the whole values behind cut cells, so "show the whole value" works for recent pages
 * without keeping every page. Bounded by count and by size: the oldest go first, and asking
 * for one that went says so.
 */
export class FullValues {
    protected readonly values = new Map<number, string | Uint8Array>();
    protected nextRef = 1;
    protected held = 0;

    constructor(protected readonly maxValues = 5000, protected readonly maxBytes = 64 * 1024 * 1024) { }

    keep(value: string | Uint8Array): number {
        const ref = this.nextRef++;
        this.values.set(ref, value);
        this.held += value.length;
        for (const [old, v] of this.values) {
            if (this.values.size <= this.maxValues && this.held <= this.maxBytes) {
                break;
            }
            this.values.delete(old);
            this.held -= v.length;
        }
        return ref;
    }

    get(ref: number): string | Uint8Array | undefined {
        return this.values.get(ref);
    }

    clear(): void {
        this.values.clear();
        this.held = 0;
    }
}

/**
 * A SQLite value as the grid shows it. Integers come as BigInt (the statement reads with
 * safeIntegers, so no digit is ever lost) and become plain numbers when a double holds them.
 */
export function encodeCell(value: unknown, full: FullValues | undefined): CellValue {
    if (value === null || value === undefined) {
        return null;
    }
    if (typeof value === 'bigint') {
        return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : { t: 'bigint', v: value.toString() };
    }
    if (typeof value === 'number') {
        return value;
    }
    if (typeof value === 'string') {
        if (!full || value.length <= TextPreviewChars) {
            return value;
        }
        return { t: 'text', chars: value.length, text: value.slice(0, TextPreviewChars), ref: full.keep(value) };
    }
    if (value instanceof Uint8Array) {
        const hex = Buffer.from(value.buffer, value.byteOffset, Math.min(value.length, full ? BlobPreviewBytes : value.length)).toString('hex');
        return full && value.length > BlobPreviewBytes ? { t: 'blob', bytes: value.length, hex, ref: full.keep(value) } : { t: 'blob', bytes: value.length, hex };
    }
    return String(value);
}

/** A whole value fetched on demand: text as it is, a blob in hex. */
export function describeFullValue(value: string | Uint8Array): string {
    return typeof value === 'string' ? value : Buffer.from(value).toString('hex');
}
