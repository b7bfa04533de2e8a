/**
 * CRC32C (Castagnoli), as GCS reports it: the big-endian 4-byte value, base64-encoded.
 * Implemented here rather than borrowed from the client so the server checks the client
 * instead of agreeing with it by construction.
 */
const table = (() => {
    const t = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
        let c = n;
        for (let k = 0; k < 8; k++) {
            c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
        }
        t[n] = c >>> 0;
    }
    return t;
})();

export function crc32c(data: Uint8Array, seed = 0): number {
    let crc = (seed ^ 0xffffffff) >>> 0;
    for (let i = 0; i < data.length; i++) {
        crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
    }
    return (crc ^ 0xffffffff) >>> 0;
}

export function crc32cBase64(data: Uint8Array): string {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(crc32c(data));
    return b.toString('base64');
}
