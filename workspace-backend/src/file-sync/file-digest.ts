import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { Crc32cAccumulator } from '../object-store/crc32c';

export interface FileDigest {
    /** Hex SHA-256: the blob's name in the store. */
    sha256: string;
    /** CRC32C in GCS form: what the store checks the upload against. */
    crc32c: string;
    size: number;
}

/** Reads a file once, in chunks, and digests it; never holds the file in memory. */
export async function digestFile(file: string): Promise<FileDigest> {
    const sha = crypto.createHash('sha256');
    const crc = new Crc32cAccumulator();
    let size = 0;
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) {
        sha.update(chunk as Buffer);
        crc.update(chunk as Buffer);
        size += (chunk as Buffer).length;
    }
    return { sha256: sha.digest('hex'), crc32c: crc.toString(), size };
}

/** The digest of a symlink: of its target text, so a retarget is a content change. */
export function digestLink(target: string): FileDigest {
    const data = Buffer.from(target);
    const crc = new Crc32cAccumulator();
    crc.update(data);
    return { sha256: crypto.createHash('sha256').update(data).digest('hex'), crc32c: crc.toString(), size: data.length };
}
