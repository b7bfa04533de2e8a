import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as tls from 'node:tls';
import { selfSignedCertificate } from './tls';

describe('the test server\'s self-signed certificate', () => {
    it('is a certificate OpenSSL takes every time: a positive, minimally encoded serial whatever the random bytes', () => {
        // One start in 256 made an illegal serial before; 600 starts make that certain to show.
        for (let i = 0; i < 600; i++) {
            const { keyPem, certPem } = selfSignedCertificate();
            assert.doesNotThrow(() => tls.createSecureContext({ key: keyPem, cert: certPem }), `certificate ${i}`);
            const certificate = new crypto.X509Certificate(certPem);
            assert.match(certificate.serialNumber, /^[4-7][0-9A-F]{31}$/, 'sixteen bytes, the first 0x40..0x7f');
            assert.ok(certificate.checkIP('127.0.0.1') && certificate.checkHost('localhost'));
        }
    });
});
