import { CRC32C } from '@google-cloud/storage';

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
