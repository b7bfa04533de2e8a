import { databasePageSize, parseFrameHeader, WAL_FRAME_HEADER_SIZE } from './wal-format';
import { readWal, WalPosition } from './wal-reader';

/**
 * Builds the database image at the WAL's last commit: the main file (`main`, its bytes read by
 * the caller without dropping its locks) with every committed WAL
 * frame laid over it, cut to the committed size. Page numbers are kept (unlike VACUUM INTO),
 * so later segments apply to it page for page.
 *
 * Precondition: the caller holds a read transaction on the database. With it, a checkpoint can
 * only copy frames at or below the reader's mark into the main file, and those same frames are
 * laid over the image afterwards, so a page caught mid-copy is replaced by its WAL version.
 */
export function buildSnapshotImage(main: Buffer, dbPath: string, walPath: string): { image: Buffer; pageSize: number; dbSizePages: number; position: WalPosition } {
    const wal = readWal(walPath, undefined);
    if (wal.kind === 'discontinuity') {
        throw new Error(`Cannot snapshot ${dbPath}: ${wal.reason}`);
    }
    if (wal.kind === 'empty' || wal.frames.length === 0) {
        const pageSize = databasePageSize(main);
        const dbSizePages = Math.floor(main.length / pageSize);
        const position: WalPosition = wal.kind === 'frames'
            ? wal.to
            : { salt1: 0, salt2: 0, frameCount: 0, checksum: [0, 0], walEmpty: true };
        return { image: main.subarray(0, dbSizePages * pageSize), pageSize, dbSizePages, position };
    }
    const pageSize = wal.header.pageSize;
    const image = applyFrames(main, wal.frames, pageSize);
    return { image, pageSize, dbSizePages: image.length / pageSize, position: wal.to };
}

/**
 * Lays WAL frames over a database image in order, honouring each commit frame's database size
 * (a VACUUM or a big delete shrinks the file). Returns a new buffer.
 */
export function applyFrames(base: Buffer, frames: Buffer, pageSize: number): Buffer {
    const applier = new ImageBuilder(base, pageSize);
    applier.apply(frames);
    return applier.result();
}

/**
 * A growing database image. Pages of a transaction are staged until its commit frame, then
 * written in place; the image is cut or zero-extended to the commit's size, so bytes beyond a
 * shrink never resurface when the file grows again.
 */
export class ImageBuilder {
    protected buffer: Buffer;
    protected size: number;
    protected readonly pending = new Map<number, Buffer>();

    constructor(base: Buffer, readonly pageSize: number) {
        this.size = Math.floor(base.length / pageSize);
        this.buffer = Buffer.alloc(Math.max(this.size * pageSize, pageSize));
        base.copy(this.buffer, 0, 0, this.size * pageSize);
    }

    apply(frames: Buffer): void {
        const frameSize = WAL_FRAME_HEADER_SIZE + this.pageSize;
        for (let offset = 0; offset + frameSize <= frames.length; offset += frameSize) {
            const frame = parseFrameHeader(frames, offset);
            this.pending.set(frame.pgno, frames.subarray(offset + WAL_FRAME_HEADER_SIZE, offset + frameSize));
            if (frame.commitSize > 0) {
                this.commit(frame.commitSize);
            }
        }
        if (this.pending.size > 0) {
            throw new Error('WAL frames end without a commit frame; segments are always cut at a commit');
        }
    }

    protected commit(commitSize: number): void {
        const bytes = commitSize * this.pageSize;
        if (bytes > this.buffer.length) {
            const grown = Buffer.alloc(Math.max(bytes, this.buffer.length * 2));
            this.buffer.copy(grown, 0, 0, this.size * this.pageSize);
            this.buffer = grown;
        } else if (commitSize > this.size) {
            this.buffer.fill(0, this.size * this.pageSize, bytes);
        }
        for (const [pgno, page] of this.pending) {
            if (pgno <= commitSize) {
                page.copy(this.buffer, (pgno - 1) * this.pageSize);
            }
        }
        this.pending.clear();
        this.size = commitSize;
    }

    result(): Buffer {
        return this.buffer.subarray(0, this.size * this.pageSize);
    }
}
