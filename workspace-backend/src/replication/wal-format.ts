/**
 * SQLite's write-ahead-log format (https://sqlite.org/fileformat2.html#walformat).
 *
 * WAL header, 32 bytes, big-endian: magic, format version, page size, checkpoint sequence,
 * salt-1, salt-2, checksum-1, checksum-2 (over the first 24 bytes).
 * Each frame: a 24-byte header (page number, database size in pages for a commit frame else 0,
 * salt-1, salt-2, checksum-1, checksum-2) and one page. A frame is valid only when its salts
 * equal the header's and its checksum equals the cumulative checksum over the header's
 * checksum, the frame header's first 8 bytes and the page, for every frame before it too.
 * The magic's low bit says how the checksum reads 32-bit words: 0x377f0682 little-endian,
 * 0x377f0683 big-endian.
 */
export const WAL_HEADER_SIZE = 32;
export const WAL_FRAME_HEADER_SIZE = 24;
export const WAL_MAGIC_LE = 0x377f0682;
export const WAL_MAGIC_BE = 0x377f0683;

export type Checksum = readonly [number, number];

export interface WalHeader {
    magic: number;
    version: number;
    pageSize: number;
    checkpointSeq: number;
    salt1: number;
    salt2: number;
    checksum: Checksum;
    bigEndianChecksum: boolean;
}

export interface WalFrameHeader {
    pgno: number;
    /** Database size in pages after this frame's transaction; non-zero only on commit frames. */
    commitSize: number;
    salt1: number;
    salt2: number;
    checksum: Checksum;
}

export class WalFormatError extends Error { }

/** SQLite's WAL checksum (walChecksumBytes): continues from `seed` over `length` bytes, a multiple of 8. */
export function walChecksum(data: Uint8Array, offset: number, length: number, bigEndian: boolean, seed: Checksum = [0, 0]): Checksum {
    if (length % 8 !== 0) {
        throw new WalFormatError(`WAL checksum input must be a multiple of 8 bytes, got ${length}`);
    }
    const view = new DataView(data.buffer, data.byteOffset + offset, length);
    let s0 = seed[0] >>> 0;
    let s1 = seed[1] >>> 0;
    const littleEndian = !bigEndian;
    for (let i = 0; i < length; i += 8) {
        s0 = (s0 + view.getUint32(i, littleEndian) + s1) >>> 0;
        s1 = (s1 + view.getUint32(i + 4, littleEndian) + s0) >>> 0;
    }
    return [s0, s1];
}

/** Parses and verifies a WAL header; undefined when the bytes are not a valid header (a WAL not yet written). */
export function parseWalHeader(buf: Uint8Array): WalHeader | undefined {
    if (buf.length < WAL_HEADER_SIZE) {
        return undefined;
    }
    const view = new DataView(buf.buffer, buf.byteOffset, WAL_HEADER_SIZE);
    const magic = view.getUint32(0);
    if (magic !== WAL_MAGIC_LE && magic !== WAL_MAGIC_BE) {
        return undefined;
    }
    const bigEndianChecksum = (magic & 1) === 1;
    const checksum: Checksum = [view.getUint32(24), view.getUint32(28)];
    const computed = walChecksum(buf, 0, 24, bigEndianChecksum);
    if (computed[0] !== checksum[0] || computed[1] !== checksum[1]) {
        return undefined;
    }
    const pageSize = view.getUint32(8);
    return {
        magic,
        version: view.getUint32(4),
        pageSize: pageSize === 1 ? 65536 : pageSize,
        checkpointSeq: view.getUint32(12),
        salt1: view.getUint32(16),
        salt2: view.getUint32(20),
        checksum,
        bigEndianChecksum,
    };
}

export function parseFrameHeader(buf: Uint8Array, offset = 0): WalFrameHeader {
    const view = new DataView(buf.buffer, buf.byteOffset + offset, WAL_FRAME_HEADER_SIZE);
    return {
        pgno: view.getUint32(0),
        commitSize: view.getUint32(4),
        salt1: view.getUint32(8),
        salt2: view.getUint32(12),
        checksum: [view.getUint32(16), view.getUint32(20)],
    };
}

/** The checksum chain carried into a frame: over its first 8 header bytes, then its page. */
export function frameChecksum(frame: Uint8Array, offset: number, pageSize: number, bigEndian: boolean, seed: Checksum): Checksum {
    const afterHeader = walChecksum(frame, offset, 8, bigEndian, seed);
    return walChecksum(frame, offset + WAL_FRAME_HEADER_SIZE, pageSize, bigEndian, afterHeader);
}

/** Page size from a database file header (offset 16; the value 1 means 65536). */
export function databasePageSize(header: Uint8Array): number {
    if (header.length < 100 || Buffer.from(header.subarray(0, 16)).toString('latin1') !== 'SQLite format 3\0') {
        throw new WalFormatError('Not an SQLite database file (bad header)');
    }
    const raw = (header[16] << 8) | header[17];
    return raw === 1 ? 65536 : raw;
}

export function sameChecksum(a: Checksum, b: Checksum): boolean {
    return a[0] === b[0] && a[1] === b[1];
}
