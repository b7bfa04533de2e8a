import { CRC32C } from '@google-cloud/storage';
import { Transform, TransformCallback } from 'node:stream';

/** CRC32C of `data` as GCS reports it (base64 of the big-endian value), via the client's implementation. */
export function crc32cOf(data: Uint8Array): string {
    const crc = new CRC32C();
    crc.update(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    return crc.toString();
}

/** A running CRC32C over chunks, for streams. */
export class Crc32cAccumulator {
    protected readonly crc = new CRC32C();
    update(chunk: Uint8Array): void {
        this.crc.update(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    }
    toString(): string {
        return this.crc.toString();
    }
}

/**
 * A pass-through that measures the bytes a streamed put reads: their CRC32C and their count. Both
 * are final only once the stream has finished (`writableFinished`); a store compares them with
 * what it was told to expect and with what it already holds.
 */
export class Crc32cMeter extends Transform {
    protected readonly crc = new Crc32cAccumulator();
    protected bytes = 0;

    get crc32c(): string {
        return this.crc.toString();
    }

    get size(): number {
        return this.bytes;
    }

    override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
        this.crc.update(chunk);
        this.bytes += chunk.length;
        callback(null, chunk);
    }
}
