import * as crypto from 'node:crypto';

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made in process (DER by hand, ECDSA
 * P-256) so no openssl binary or package is needed. It exists because kubectl (client-go's
 * clientcmd) sends a kubeconfig's credentials only over TLS: against an http:// server it
 * sends no Authorization header at all. The certificate is its own CA (basicConstraints
 * CA:true), so a kubeconfig can carry it as certificate-authority-data and both kubectl and
 * client-node verify the connection instead of skipping verification.
 */
export interface SelfSignedCertificate {
    keyPem: string;
    certPem: string;
}

export function selfSignedCertificate(commonName = 'k8s-test-server'): SelfSignedCertificate {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    const ecdsaWithSha256 = seq(oid([0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02]));
    const name = seq(set(seq(oid([0x55, 0x04, 0x03]), tlv(0x0c, Buffer.from(commonName)))));
    const now = Date.now();
    const validity = seq(utcTime(new Date(now - 60 * 60_000)), utcTime(new Date(now + 365 * 24 * 60 * 60_000)));
    const altNames = seq(tlv(0x87, Buffer.from([127, 0, 0, 1])), tlv(0x82, Buffer.from('localhost')));
    const extensions = tlv(0xa3, seq(
        seq(oid([0x55, 0x1d, 0x13]), tlv(0x01, Buffer.from([0xff])), tlv(0x04, seq(tlv(0x01, Buffer.from([0xff]))))),
        seq(oid([0x55, 0x1d, 0x11]), tlv(0x04, altNames)),
    ));
    // A DER INTEGER is positive when its first bit is 0, and minimal: no leading 0x00 byte unless the
    // next has its top bit set. 0x40..0x7f as the first byte is both; `& 0x7f` alone made a 0x00 first
    // byte one start in 256, which OpenSSL refuses ("illegal padding").
    const serial = crypto.randomBytes(16);
    serial[0] = (serial[0] & 0x3f) | 0x40;
    const tbs = seq(
        tlv(0xa0, tlv(0x02, Buffer.from([2]))),
        tlv(0x02, serial),
        ecdsaWithSha256,
        name,
        validity,
        name,
        spki,
        extensions,
    );
    const signature = crypto.sign('sha256', tbs, privateKey);
    const certificate = seq(tbs, ecdsaWithSha256, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
    return {
        keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        certPem: `-----BEGIN CERTIFICATE-----\n${certificate.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`,
    };
}

function tlv(tag: number, content: Buffer): Buffer {
    const length = content.length;
    let header: Buffer;
    if (length < 0x80) {
        header = Buffer.from([tag, length]);
    } else {
        const bytes: number[] = [];
        for (let n = length; n > 0; n >>= 8) {
            bytes.unshift(n & 0xff);
        }
        header = Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
    }
    return Buffer.concat([header, content]);
}

function seq(...items: Buffer[]): Buffer {
    return tlv(0x30, Buffer.concat(items));
}

function set(...items: Buffer[]): Buffer {
    return tlv(0x31, Buffer.concat(items));
}

function oid(encoded: number[]): Buffer {
    return tlv(0x06, Buffer.from(encoded));
}

function utcTime(date: Date): Buffer {
    const iso = date.toISOString();
    const text = iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19) + 'Z';
    return tlv(0x17, Buffer.from(text));
}
