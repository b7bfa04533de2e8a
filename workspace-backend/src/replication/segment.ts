import { crc32cOf } from '../object-store/crc32c';
import { Checksum, frameChecksum, parseFrameHeader, parseWalHeader, sameChecksum, WAL_FRAME_HEADER_SIZE } from './wal-format';
import type { WalPosition } from './wal-reader';

/**
 * The two replica object formats.
 *
 * A segment holds the WAL frames of one or more whole transactions, shipped as one upload:
 *   "CDSEG001" | u32 header length | JSON header | frames | u32 CRC32C of everything before.
 * A snapshot holds a full database image at a WAL position, the base of a generation:
 *   "CDSNP001" | u32 header length | JSON header | pages | u32 CRC32C of everything before.
 *
 * The header says where the bytes belong (database, generation, sequence), and carries the
 * WAL position before and after, so a chain can be validated without the database: each
 * segment starts where the previous object ended (same salts, next frame, same cumulative
 * checksum) or, marked `afterRestart`, at frame 0 of the WAL SQLite restarted after our own
 * checkpoint (salt-1 one higher). Decoding verifies the CRC, the frames' salts and the whole
 * checksum chain, and that the last frame commits.
 */
export interface SegmentHeader {
    db: string;
    generation: string;
    sequence: number;
    pageSize: number;
    /** The WAL header the frames belong to (base64, 32 bytes): carries magic and salts. */
    walHeader: string;
    afterRestart: boolean;
    before: WalPosition;
    after: WalPosition;
    /** Database size in pages after the last (commit) frame. */
    dbSizePages: number;
    createdAt: string;
}

export interface SnapshotHeader {
    db: string;
    generation: string;
    pageSize: number;
    dbSizePages: number;
    /** The WAL position the image corresponds to; the first segment continues from it. */
    position: WalPosition;
    createdAt: string;
}

const SEGMENT_MAGIC = 'CDSEG001';
const SNAPSHOT_MAGIC = 'CDSNP001';

export class ReplicaFormatError extends Error { }

function encode(magic: string, header: object, body: Buffer): Buffer {
    const json = Buffer.from(JSON.stringify(header));
    const head = Buffer.alloc(12);
    head.write(magic, 0, 'latin1');
    head.writeUInt32BE(json.length, 8);
    const withoutCrc = Buffer.concat([head, json, body]);
    const crc = Buffer.from(crc32cOf(withoutCrc), 'base64');
    return Buffer.concat([withoutCrc, crc]);
}

function decode(magic: string, what: string, data: Buffer): { header: unknown; body: Buffer } {
    if (data.length < 16 || data.subarray(0, 8).toString('latin1') !== magic) {
        throw new ReplicaFormatError(`Not a ${what} (bad magic or too short: ${data.length} bytes)`);
    }
    const stored = data.subarray(data.length - 4).toString('base64');
    if (crc32cOf(data.subarray(0, data.length - 4)) !== stored) {
        throw new ReplicaFormatError(`${what} is damaged (CRC32C mismatch over ${data.length} bytes; truncated or corrupted)`);
    }
    const jsonLength = data.readUInt32BE(8);
    if (12 + jsonLength > data.length - 4) {
        throw new ReplicaFormatError(`${what} header length ${jsonLength} runs past the end`);
    }
    return { header: JSON.parse(data.subarray(12, 12 + jsonLength).toString()), body: data.subarray(12 + jsonLength, data.length - 4) };
}

export function encodeSegment(header: SegmentHeader, frames: Buffer): Buffer {
    return encode(SEGMENT_MAGIC, header, frames);
}

/** Decodes a segment and verifies it on its own: CRC, salts, checksum chain from `before` to `after`, final commit. */
export function decodeSegment(data: Buffer): { header: SegmentHeader; frames: Buffer } {
    const { header: h, body: frames } = decode(SEGMENT_MAGIC, 'replica segment', data);
    const header = h as SegmentHeader;
    const wal = parseWalHeader(Buffer.from(header.walHeader, 'base64'));
    if (!wal) {
        throw new ReplicaFormatError(`Segment ${header.generation}/${header.sequence} carries an invalid WAL header`);
    }
    const frameSize = WAL_FRAME_HEADER_SIZE + header.pageSize;
    const count = header.after.frameCount - header.before.frameCount;
    if (frames.length !== count * frameSize || count <= 0) {
        throw new ReplicaFormatError(`Segment ${header.generation}/${header.sequence} should hold ${count} frames of ${frameSize} bytes, holds ${frames.length} bytes`);
    }
    let checksum: Checksum = header.before.checksum;
    let lastCommit = 0;
    for (let offset = 0; offset < frames.length; offset += frameSize) {
        const frame = parseFrameHeader(frames, offset);
        if (frame.salt1 !== wal.salt1 || frame.salt2 !== wal.salt2) {
            throw new ReplicaFormatError(`Segment ${header.generation}/${header.sequence}: frame salts differ from its WAL header`);
        }
        checksum = frameChecksum(frames, offset, header.pageSize, wal.bigEndianChecksum, checksum);
        if (!sameChecksum(checksum, frame.checksum)) {
            throw new ReplicaFormatError(`Segment ${header.generation}/${header.sequence}: checksum chain breaks at frame ${offset / frameSize + 1}`);
        }
        lastCommit = frame.commitSize;
    }
    if (!sameChecksum(checksum, header.after.checksum) || lastCommit === 0 || lastCommit !== header.dbSizePages) {
        throw new ReplicaFormatError(`Segment ${header.generation}/${header.sequence}: does not end at the commit its header declares`);
    }
    return { header, frames };
}

export function encodeSnapshot(header: SnapshotHeader, image: Buffer): Buffer {
    return encode(SNAPSHOT_MAGIC, header, image);
}

export function decodeSnapshot(data: Buffer): { header: SnapshotHeader; image: Buffer } {
    const { header: h, body: image } = decode(SNAPSHOT_MAGIC, 'replica snapshot', data);
    const header = h as SnapshotHeader;
    if (image.length !== header.dbSizePages * header.pageSize) {
        throw new ReplicaFormatError(`Snapshot ${header.generation}: image is ${image.length} bytes, header says ${header.dbSizePages} pages of ${header.pageSize}`);
    }
    return { header, image };
}

/**
 * Does `next` continue the chain that ended at `end`? Same WAL: next frame, same checksum.
 * After our truncating checkpoint: frame 0 of a WAL whose salt-1 is one higher.
 */
export function continues(end: WalPosition, next: SegmentHeader): boolean {
    if (end.walEmpty) {
        return next.afterRestart && next.before.frameCount === 0;
    }
    if (next.afterRestart) {
        return next.before.frameCount === 0 && next.before.salt1 === ((end.salt1 + 1) >>> 0);
    }
    return next.before.salt1 === end.salt1 && next.before.salt2 === end.salt2 && next.before.frameCount === end.frameCount && sameChecksum(next.before.checksum, end.checksum);
}
