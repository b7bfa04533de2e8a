import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ObjectStore } from '../object-store/object-store';
import { archivePartKey, archivePartName, ArchiveSessionLine, endLine, parseArchiveLine, parseArchivePartKey, sessionLine } from './archive-format';
import type { TimelineLane } from './timeline-types';

export interface ArchiveWriterOptions {
    /** Local folder of the archive: `<dir>/<session id>/part-000001.jsonl`. */
    readonly dir: string;
    /** Where parts are uploaded (`timeline/<session id>/…`, beside the database replicas); none: local only. */
    readonly store?: ObjectStore;
    /** A part is closed and the next one started once it reaches this size. */
    readonly partBytes: number;
    /** How often changed parts are uploaded. */
    readonly uploadIntervalMs: number;
}

export type ArchiveSessionHeader = Omit<ArchiveSessionLine, 'v' | 't' | 'part'>;

interface OpenSession {
    header: ArchiveSessionHeader;
    part: number;
    bytes: number;
    /** Lines in the current part after its session line: a part is never rotated while it holds none (however long a line). */
    lines: number;
}

export interface ArchiveStatus {
    readonly dir: string;
    readonly store?: string;
    /** Parts written locally but not yet in the store. */
    readonly pendingUploads: number;
    readonly lastUploadAt?: number;
    readonly lastError?: string;
}

const ManifestFile = 'uploaded.json';

/**
 * Writes each session as append-only JSONL parts and keeps the object store in step.
 *
 * Invariants:
 * - Lines reach a part in the order `append` was called (one write queue for every session).
 * - A part never ends in half a line once `open` has run: a tail cut short by a crash is cut off
 *   there (the timeline re-appends those events from the database, see SessionTimeline.start).
 * - A part is uploaded whole; `uploaded.json` records the size the store holds, so a restart
 *   re-uploads only what changed without asking the store.
 */
export class ArchiveWriter {
    protected readonly open = new Map<string, OpenSession>();
    protected queue: Promise<void> = Promise.resolve();
    protected readonly dirty = new Set<string>();
    protected uploaded: Record<string, number> = {};
    protected timer: NodeJS.Timeout | undefined;
    protected uploading: Promise<void> | undefined;
    protected lastUploadAt: number | undefined;
    protected lastError: string | undefined;
    protected stopped = false;

    constructor(readonly options: ArchiveWriterOptions) {
        if (!(options.partBytes >= 4096)) {
            throw new Error(`The archive part size must be at least 4096 bytes; ${options.partBytes} was given.`);
        }
    }

    /** Reads the upload manifest, finds parts the store does not hold yet, and starts the upload timer. */
    start(): void {
        fs.mkdirSync(this.options.dir, { recursive: true });
        try {
            this.uploaded = JSON.parse(fs.readFileSync(path.join(this.options.dir, ManifestFile), 'utf8')) as Record<string, number>;
        } catch {
            this.uploaded = {};
        }
        if (this.options.store) {
            for (const key of this.localParts()) {
                const size = fs.statSync(this.localPath(key)).size;
                if (this.uploaded[key] !== size) {
                    this.dirty.add(key);
                }
            }
            this.timer = setInterval(() => void this.upload(), this.options.uploadIntervalMs);
            this.timer.unref();
        }
    }

    /**
     * Opens (or continues) a session's archive. A session archived before (a run reopened after a
     * crash, say) continues in its last part, whose cut-off tail, if any, is removed first.
     * Returns the position `n` of the last event the archive holds (-1: none).
     */
    openSession(header: ArchiveSessionHeader): number {
        const dir = path.join(this.options.dir, header.id);
        fs.mkdirSync(dir, { recursive: true });
        const parts = fs.readdirSync(dir).map(f => parseArchivePartKey(`${header.id}/${f}`)?.part).filter((p): p is number => p !== undefined).sort((a, b) => a - b);
        let lastN = -1;
        if (parts.length === 0) {
            const line = `${sessionLine({ ...header, part: 1 })}\n`;
            fs.writeFileSync(path.join(dir, archivePartName(1)), line);
            this.open.set(header.id, { header, part: 1, bytes: Buffer.byteLength(line), lines: 0 });
            this.markDirty(header.id, 1);
            return lastN;
        }
        const part = parts[parts.length - 1];
        const file = path.join(dir, archivePartName(part));
        let text = fs.readFileSync(file, 'utf8');
        const cut = text.lastIndexOf('\n') + 1;
        if (cut < text.length) {
            text = text.slice(0, cut);
            fs.truncateSync(file, Buffer.byteLength(text));
        }
        for (const line of text.split('\n')) {
            try {
                const parsed = line ? parseArchiveLine(line) : undefined;
                if (parsed?.t === 'event') {
                    lastN = parsed.n;
                }
            } catch {
                // A damaged line is the rebuild's to report.
            }
        }
        if (lastN === -1) {
            // The last part holds no events (a fresh rotation); an earlier one says how far the archive got.
            for (const earlier of parts.slice(0, -1).reverse()) {
                lastN = lastEventN(fs.readFileSync(path.join(dir, archivePartName(earlier)), 'utf8'));
                if (lastN !== -1) {
                    break;
                }
            }
        }
        if (text === '') {
            // The part was created but its session line never reached the disk.
            text = `${sessionLine({ ...header, part })}\n`;
            fs.writeFileSync(file, text);
        }
        this.open.set(header.id, { header, part, bytes: Buffer.byteLength(text), lines: Math.max(0, text.split('\n').length - 2) });
        return lastN;
    }

    /** Appends lines (without newlines) to the session's current part, rotating at the part size. */
    append(sessionId: string, lines: readonly string[], lanes?: readonly TimelineLane[]): void {
        const session = this.open.get(sessionId);
        if (!session || lines.length === 0) {
            return;
        }
        if (lanes) {
            session.header = { ...session.header, lanes };
        }
        // Split into writes now (synchronously), so rotation follows call order.
        const writes: { file: string; text: string; create: boolean; key: string }[] = [];
        let chunk = '';
        for (const line of lines) {
            const bytes = Buffer.byteLength(line) + 1;
            if (session.bytes + bytes > this.options.partBytes && session.lines > 0) {
                if (chunk) {
                    writes.push({ file: this.partFile(sessionId, session.part), text: chunk, create: false, key: archivePartKey(sessionId, session.part) });
                    chunk = '';
                }
                session.part++;
                const header = `${sessionLine({ ...session.header, part: session.part })}\n`;
                writes.push({ file: this.partFile(sessionId, session.part), text: header, create: true, key: archivePartKey(sessionId, session.part) });
                session.bytes = Buffer.byteLength(header);
                session.lines = 0;
            }
            chunk += `${line}\n`;
            session.bytes += bytes;
            session.lines++;
        }
        if (chunk) {
            writes.push({ file: this.partFile(sessionId, session.part), text: chunk, create: false, key: archivePartKey(sessionId, session.part) });
        }
        this.enqueue(async () => {
            for (const w of writes) {
                await fs.promises.appendFile(w.file, w.text, { flag: w.create ? 'w' : 'a' });
                this.dirty.add(w.key);
            }
        });
    }

    /** Writes the session's end line and forgets it. */
    endSession(sessionId: string, end: { endedAt: number; events: number; lanes: readonly TimelineLane[]; title?: string }): void {
        this.append(sessionId, [endLine({ session: sessionId, ...end })], end.lanes);
        this.open.delete(sessionId);
    }

    /** Resolves once every line appended so far is on local disk. */
    flush(): Promise<void> {
        return this.queue;
    }

    /** Uploads every changed part now (one upload at a time; a call during one waits for it and runs again). */
    async upload(): Promise<void> {
        while (this.uploading) {
            await this.uploading;
        }
        const store = this.options.store;
        if (!store || this.dirty.size === 0) {
            return;
        }
        this.uploading = (async () => {
            await this.flush();
            for (const key of [...this.dirty].sort()) {
                this.dirty.delete(key);
                try {
                    const data = await fs.promises.readFile(this.localPath(key));
                    await store.put(key, data, { contentType: 'application/x-ndjson' });
                    this.uploaded[key] = data.length;
                    this.lastUploadAt = Date.now();
                    this.lastError = undefined;
                } catch (error) {
                    this.dirty.add(key);
                    this.lastError = `uploading ${key} to ${store.description} failed: ${(error as Error).message}`;
                    break;
                }
            }
            await fs.promises.writeFile(path.join(this.options.dir, ManifestFile), JSON.stringify(this.uploaded)).catch(() => undefined);
        })();
        try {
            await this.uploading;
        } finally {
            this.uploading = undefined;
        }
    }

    status(): ArchiveStatus {
        return {
            dir: this.options.dir, store: this.options.store?.description, pendingUploads: this.options.store ? this.dirty.size : 0,
            lastUploadAt: this.lastUploadAt, lastError: this.lastError,
        };
    }

    /** Writes what is queued and uploads it once more. */
    async stop(): Promise<void> {
        if (this.stopped) {
            return;
        }
        this.stopped = true;
        clearInterval(this.timer);
        await this.flush();
        await this.upload().catch(() => undefined);
    }

    /** Every part on local disk, as store keys. */
    localParts(): string[] {
        if (!fs.existsSync(this.options.dir)) {
            return [];
        }
        return fs.readdirSync(this.options.dir, { withFileTypes: true }).filter(d => d.isDirectory()).flatMap(d =>
            fs.readdirSync(path.join(this.options.dir, d.name)).map(f => parseArchivePartKey(`${d.name}/${f}`))
                .filter((p): p is { sessionId: string; part: number } => p !== undefined)
                .map(p => archivePartKey(p.sessionId, p.part))).sort();
    }

    protected markDirty(sessionId: string, part: number): void {
        this.dirty.add(archivePartKey(sessionId, part));
    }

    protected partFile(sessionId: string, part: number): string {
        return path.join(this.options.dir, sessionId, archivePartName(part));
    }

    protected localPath(key: string): string {
        return path.join(this.options.dir, key.replace(/^timeline\//, ''));
    }

    protected enqueue(write: () => Promise<void>): void {
        this.queue = this.queue.then(write).catch(error => {
            this.lastError = `writing the timeline archive in ${this.options.dir} failed: ${(error as Error).message}`;
        });
    }
}

function lastEventN(text: string): number {
    let last = -1;
    for (const line of text.split('\n')) {
        try {
            const parsed = line ? parseArchiveLine(line) : undefined;
            if (parsed?.t === 'event') {
                last = parsed.n;
            }
        } catch {
            // Skipped.
        }
    }
    return last;
}
