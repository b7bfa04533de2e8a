import * as fs from 'node:fs';
import { Checksum, frameChecksum, parseFrameHeader, parseWalHeader, sameChecksum, WAL_FRAME_HEADER_SIZE, WAL_HEADER_SIZE, WalHeader } from './wal-format';

/**
 * Where replication stands in the current WAL: `frameCount` frames of the WAL whose header
 * carries these salts have been shipped, and `checksum` is the cumulative checksum after them
 * (the header's checksum when none were). `restartSalt1` is set after our own truncating
 * checkpoint: the WAL is then empty, and the next header SQLite writes carries salt-1 plus one.
 */
export interface WalPosition {
    salt1: number;
    salt2: number;
    frameCount: number;
    checksum: Checksum;
    restartSalt1?: number;
    /** The WAL was empty when the chain reached this point: the next WAL header starts it. */
    walEmpty?: boolean;
}

export type WalReadResult =
    | {
        kind: 'frames';
        header: WalHeader;
        headerBytes: Buffer;
        /** Position the frames continue from (after a restart: frame 0 of the new WAL). */
        from: WalPosition;
        /** Position after the last commit frame read. Equal to `from` when nothing new committed. */
        to: WalPosition;
        /** Raw frames (headers + pages) from `from.frameCount` up to and including the last commit frame. */
        frames: Buffer;
        /** Database size in pages after the last commit frame (0 when no frames). */
        dbSizePages: number;
        /** True when `from` starts a WAL that SQLite restarted after our checkpoint. */
        afterRestart: boolean;
        /** Why reading stopped before the end of the file, when it did (diagnostics only). */
        stoppedBecause?: string;
    }
    | { kind: 'empty' }
    | { kind: 'discontinuity'; reason: string };

/**
 * Reads the frames committed after `position` from a WAL file.
 *
 * Invariants: only frames whose salts match and whose cumulative checksum verifies are
 * returned; reading stops at the first frame that fails (the rest of the file is stale or torn);
 * the result is cut after the last commit frame, so a transaction without its commit frame is
 * never shipped. A WAL that no longer continues `position` (salts changed unexpectedly, file
 * shorter than the position, checksum at the position differs) is a discontinuity: the caller
 * must start a new generation.
 */
export function readWal(walPath: string, position: WalPosition | undefined): WalReadResult {
    let fd: number;
    try {
        fd = fs.openSync(walPath, 'r');
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
            return position && position.frameCount > 0 && position.restartSalt1 === undefined && !position.walEmpty
                ? { kind: 'discontinuity', reason: 'the WAL file disappeared (the database was closed and checkpointed by someone else)' }
                : { kind: 'empty' };
        }
        throw error;
    }
    // Only what is new is read: the header, then from the last shipped frame (whose checksum
    // proves the WAL still continues the position) to the end. Reading the whole file at every
    // sync made each sync cost the WAL's size, and a busy WAL outgrew the replicator.
    // (SQLite takes no locks on the -wal file, so opening and closing it here is harmless.)
    try {
        const size = fs.fstatSync(fd).size;
        const header = readAt(fd, 0, Math.min(WAL_HEADER_SIZE, size));
        const parsed = parseWalHeader(header);
        let base = WAL_HEADER_SIZE;
        if (parsed && position && !position.walEmpty && position.frameCount > 0 && parsed.salt1 === position.salt1 && parsed.salt2 === position.salt2) {
            base = Math.min(size, WAL_HEADER_SIZE + (position.frameCount - 1) * (WAL_FRAME_HEADER_SIZE + parsed.pageSize));
        }
        return readWalRegion(header, readAt(fd, base, Math.max(0, size - base)), base, size, position);
    } finally {
        fs.closeSync(fd);
    }
}

function readAt(fd: number, position: number, length: number): Buffer {
    const buffer = Buffer.alloc(length);
    let offset = 0;
    while (offset < length) {
        const read = fs.readSync(fd, buffer, offset, length - offset, position + offset);
        if (read === 0) {
            break;
        }
        offset += read;
    }
    return buffer.subarray(0, offset);
}

/** `readWal` over a whole WAL file's bytes (tests and tools). */
export function readWalBytes(data: Buffer, position: WalPosition | undefined): WalReadResult {
    return readWalRegion(data.subarray(0, WAL_HEADER_SIZE), data.subarray(Math.min(WAL_HEADER_SIZE, data.length)), Math.min(WAL_HEADER_SIZE, data.length), data.length, position);
}

/**
 * The reading itself, over the WAL header and the file's bytes from offset `base` on (`region`),
 * in a file of `fileSize` bytes. Offsets below are file offsets; `at()` maps them into `region`.
 */
function readWalRegion(headerBytes: Buffer, region: Buffer, base: number, fileSize: number, position: WalPosition | undefined): WalReadResult {
    const at = (fileOffset: number) => fileOffset - base;
    const header = parseWalHeader(headerBytes);
    if (!header) {
        if (position && position.frameCount > 0 && position.restartSalt1 === undefined) {
            return { kind: 'discontinuity', reason: 'the WAL was reset (no valid header) after frames were shipped' };
        }
        return { kind: 'empty' };
    }
    let from: WalPosition;
    let afterRestart = false;
    const headerStart: WalPosition = { salt1: header.salt1, salt2: header.salt2, frameCount: 0, checksum: header.checksum };
    if (!position || position.walEmpty) {
        from = headerStart;
        afterRestart = position !== undefined;
    } else if (position.restartSalt1 !== undefined && header.salt1 === position.restartSalt1 && !(header.salt1 === position.salt1 && header.salt2 === position.salt2)) {
        from = headerStart;
        afterRestart = true;
    } else if (header.salt1 === position.salt1 && header.salt2 === position.salt2) {
        from = { salt1: position.salt1, salt2: position.salt2, frameCount: position.frameCount, checksum: position.checksum };
    } else {
        return { kind: 'discontinuity', reason: `WAL salts changed from ${hex(position.salt1)}/${hex(position.salt2)} to ${hex(header.salt1)}/${hex(header.salt2)} without our checkpoint (another connection checkpointed)` };
    }
    const frameSize = WAL_FRAME_HEADER_SIZE + header.pageSize;
    const startOffset = WAL_HEADER_SIZE + from.frameCount * frameSize;
    if (fileSize >= startOffset && (at(startOffset) < 0 || (from.frameCount > 0 && at(startOffset - frameSize) < 0))) {
        throw new Error(`internal: the WAL was read from offset ${base}, after the frames the position needs (${startOffset - (from.frameCount > 0 ? frameSize : 0)})`);
    }
    if (from.frameCount > 0) {
        // The last shipped frame must still be there, byte for byte as far as its checksum says.
        const lastOffset = startOffset - frameSize;
        if (fileSize < startOffset) {
            return { kind: 'discontinuity', reason: `the WAL is shorter (${fileSize} bytes) than the shipped position (${startOffset} bytes)` };
        }
        const last = parseFrameHeader(region, at(lastOffset));
        if (last.salt1 !== from.salt1 || last.salt2 !== from.salt2 || !sameChecksum(last.checksum, from.checksum)) {
            return { kind: 'discontinuity', reason: `the last shipped frame (${from.frameCount}) no longer matches its checksum` };
        }
    }
    let checksum = from.checksum;
    let offset = startOffset;
    let frameCount = from.frameCount;
    let committed: { offset: number; frameCount: number; checksum: Checksum; dbSize: number } | undefined;
    let stoppedBecause: string | undefined;
    while (offset + frameSize <= fileSize) {
        const frame = parseFrameHeader(region, at(offset));
        if (frame.salt1 !== header.salt1 || frame.salt2 !== header.salt2) {
            stoppedBecause = `frame ${frameCount + 1} has other salts (stale frame from an earlier WAL)`;
            break;
        }
        const computed = frameChecksum(region, at(offset), header.pageSize, header.bigEndianChecksum, checksum);
        if (!sameChecksum(computed, frame.checksum) || frame.pgno === 0) {
            stoppedBecause = `frame ${frameCount + 1} fails the checksum chain`;
            break;
        }
        checksum = computed;
        offset += frameSize;
        frameCount++;
        if (frame.commitSize > 0) {
            committed = { offset, frameCount, checksum, dbSize: frame.commitSize };
        }
    }
    if (!stoppedBecause && offset < fileSize && fileSize - offset < frameSize) {
        stoppedBecause = 'a partial frame at the end of the file';
    }
    if (!committed) {
        if (afterRestart) {
            // Nothing committed in the restarted WAL yet: report no frames, still before the restart.
            return { kind: 'empty' };
        }
        return { kind: 'frames', header, headerBytes, from, to: from, frames: Buffer.alloc(0), dbSizePages: 0, afterRestart, stoppedBecause };
    }
    return {
        kind: 'frames',
        header,
        headerBytes,
        from,
        to: { salt1: header.salt1, salt2: header.salt2, frameCount: committed.frameCount, checksum: committed.checksum },
        frames: region.subarray(at(startOffset), at(committed.offset)),
        dbSizePages: committed.dbSize,
        afterRestart,
        stoppedBecause,
    };
}

function hex(n: number): string {
    return n.toString(16).padStart(8, '0');
}
