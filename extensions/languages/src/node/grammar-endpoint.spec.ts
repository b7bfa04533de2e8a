import * as assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type * as http from 'node:http';
import express from '@theia/core/shared/express';
import { HttpEntryPoints } from '@coditect/studio-platform/node';
import { GRAMMARS_HTTP_PATH } from '../common/grammar-route';
import { StudioGrammars } from '../common/language-definitions';
import { GrammarEndpoint } from './grammar-endpoint';

/** Real HTTP against an express app with the endpoint (the studio's sign-in, in front of it, is the platform's and tested there). */
describe('GrammarEndpoint (GET /coditect/grammars/:name)', () => {
    let server: http.Server;
    let baseUrl: string;

    before(async () => {
        const app = express();
        new GrammarEndpoint().configure(app);
        server = app.listen(0, '127.0.0.1');
        await new Promise(r => server.once('listening', r));
        baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${GRAMMARS_HTTP_PATH}`;
    });
    after(async () => {
        await new Promise(r => server.close(r));
    });

    it('is declared as a route for anyone signed in', () => {
        assert.ok(HttpEntryPoints.some(e => e.method === 'GET' && e.path === `${GRAMMARS_HTTP_PATH}/:name` && e.access === 'signed-in'));
    });

    it('serves every grammar of the studio as JSON with its scope, cacheable by the browser and revalidated by its ETag', async () => {
        for (const { name, scopeName } of StudioGrammars) {
            const response = await fetch(`${baseUrl}/${name}`);
            assert.equal(response.status, 200, name);
            assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
            assert.equal(response.headers.get('cache-control'), 'private, max-age=3600');
            const grammar = await response.json() as { scopeName: string; patterns: unknown[] };
            assert.equal(grammar.scopeName, scopeName);
            assert.ok(Array.isArray(grammar.patterns));
        }
        const first = await fetch(`${baseUrl}/typescript`);
        const etag = first.headers.get('etag');
        assert.ok(etag);
        // (fetch adds `Cache-Control: no-cache` to a conditional request unless told otherwise, as a browser's fetch does.)
        assert.equal((await fetch(`${baseUrl}/typescript`, { headers: { 'If-None-Match': etag, 'Cache-Control': 'max-age=0' } })).status, 304);
    });

    it('serves nothing else: another grammar of the package, a path, or a name of the object prototype is 404 with the list', async () => {
        for (const name of ['cobol', '..%2F..%2Fpackage.json', 'constructor', '__proto__']) {
            const response = await fetch(`${baseUrl}/${name}`);
            assert.equal(response.status, 404, name);
            assert.match(await response.text(), /The studio has no grammar ".*"; it serves typescript, tsx, .*, html-derivative\.$/);
        }
    });
});
