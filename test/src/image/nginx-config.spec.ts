import * as assert from 'node:assert/strict';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../lib/repo-paths';
import { freePort } from './studio-container';

/**
 * The container's nginx configuration (docker/nginx), rendered by its own script and served by a
 * real nginx in front of a stand-in backend that records what reaches it and accepts websockets.
 * (The image test runs the same configuration in the image, in front of the real studio.)
 */
describe('nginx in front of the studio (docker/nginx/studio.conf.template)', function () {
    this.timeout(30_000);

    const nginxBinary = ['/usr/sbin/nginx', '/usr/bin/nginx'].find(file => fs.existsSync(file));
    let scratch: string;
    let nginx: ChildProcess;
    let backend: http.Server;
    let base: string;
    const seen: { url: string; headers: http.IncomingHttpHeaders }[] = [];
    const upgraded = new Set<import('node:stream').Duplex>();

    before(async () => {
        assert.ok(nginxBinary, 'nginx is not installed: scripts/studio.sh test installs it (apt-get install nginx)');
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-nginx-'));
        backend = http.createServer((req, res) => {
            seen.push({ url: req.url!, headers: req.headers });
            res.setHeader('content-type', 'application/json');
            res.end(JSON.stringify({ url: req.url }));
        });
        // A websocket handshake, then one text frame: enough to prove the upgrade passes.
        backend.on('upgrade', (req, socket) => {
            seen.push({ url: req.url!, headers: req.headers });
            upgraded.add(socket);
            const accept = crypto.createHash('sha1').update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
            socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
            const text = Buffer.from(`hello ${req.url}`);
            socket.write(Buffer.concat([Buffer.from([0x81, text.length]), text]));
        });
        backend.listen(0, '127.0.0.1');
        await new Promise(r => backend.once('listening', r));
        const backendPort = (backend.address() as AddressInfo).port;
        const httpPort = await freePort();

        const config = execFileSync(path.join(repoRoot, 'docker', 'nginx', 'render-nginx-conf.sh'), [
            path.join(repoRoot, 'docker', 'nginx', 'studio.conf.template'), path.join(scratch, 'run'), String(httpPort), String(backendPort),
        ], { encoding: 'utf8' });
        fs.writeFileSync(path.join(scratch, 'nginx.conf'), config);
        nginx = spawn(nginxBinary!, ['-e', 'stderr', '-c', path.join(scratch, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
        let errors = '';
        nginx.stderr!.on('data', chunk => errors += chunk);
        base = `http://127.0.0.1:${httpPort}`;
        const deadline = Date.now() + 10_000;
        while (!(await fetch(`${base}/health`).then(() => true, () => false))) {
            assert.ok(nginx.exitCode === null, `nginx exited: ${errors}`);
            assert.ok(Date.now() < deadline, `nginx did not answer: ${errors}`);
            await new Promise(r => setTimeout(r, 50));
        }
    });

    after(async () => {
        if (nginx?.exitCode === null) {
            const exited = new Promise(r => nginx.once('exit', r));
            nginx.kill('SIGTERM');
            await exited;
        }
        upgraded.forEach(socket => socket.destroy());
        backend.closeAllConnections();
        await new Promise(r => backend.close(r));
        fs.rmSync(scratch, { recursive: true, force: true });
    });

    beforeEach(() => seen.length = 0);

    it('passes /theia/... to the backend without the prefix, query included', async () => {
        const response = await fetch(`${base}/theia/coditect/api/locks?x=1`);
        assert.equal(response.status, 200);
        assert.deepEqual(await response.json(), { url: '/coditect/api/locks?x=1' });
        assert.equal((await (await fetch(`${base}/theia/`)).json() as { url: string }).url, '/');
    });

    it('passes /health (and its probe parameter) to the backend\'s /health', async () => {
        assert.deepEqual(await (await fetch(`${base}/health`)).json(), { url: '/health' });
        assert.deepEqual(await (await fetch(`${base}/health?probe=live`)).json(), { url: '/health?probe=live' });
    });

    it('passes /metrics to the backend\'s /metrics with Prometheus\'s bearer token', async () => {
        assert.deepEqual(await (await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer scrape-token-0123456789' } })).json(), { url: '/metrics' });
        assert.equal(seen.at(-1)!.headers.authorization, 'Bearer scrape-token-0123456789');
    });

    it('keeps the Host and says where the request came from, as one address', async () => {
        await fetch(`${base}/theia/x`, { headers: { 'x-forwarded-proto': 'https' } });
        const { headers } = seen[0];
        assert.equal(headers.host, new URL(base).host, 'Theia compares the websocket\'s Origin with the Host');
        assert.equal(headers['x-forwarded-proto'], 'https', 'the scheme an ingress saw');
        assert.equal(headers['x-forwarded-prefix'], '/theia');
        assert.equal(headers['x-forwarded-for'], '127.0.0.1');
    });

    it('redirects / and /theia to /theia/ with relative locations, and answers 404 elsewhere', async () => {
        const location = async (url: string) => {
            const response = await fetch(url, { redirect: 'manual' });
            return `${response.status} ${response.headers.get('location')}`;
        };
        assert.equal(await location(`${base}/`), '302 /theia/');
        assert.equal(await location(`${base}/theia`), '301 /theia/');
        assert.equal(await location(`${base}/theia?folder=/x`), '301 /theia/?folder=/x');
        const elsewhere = await fetch(`${base}/socket.io/`);
        assert.equal(elsewhere.status, 404);
        assert.match(await elsewhere.text(), /The studio is at \/theia\//);
        assert.equal(seen.length, 0, 'none of these reached the backend');
    });

    it('upgrades websockets under /theia/ to the backend, prefix stripped', async () => {
        const socket = new WebSocket(`${base.replace('http', 'ws')}/theia/socket.io/?EIO=4&transport=websocket`);
        const message = await new Promise<string>((resolve, reject) => {
            socket.onmessage = event => resolve(String(event.data));
            socket.onerror = () => reject(new Error('the websocket failed'));
        });
        socket.close();
        assert.equal(message, 'hello /socket.io/?EIO=4&transport=websocket');
        assert.equal(seen[0].headers.upgrade, 'websocket');
    });

    it('logs requests to <run dir>/access.log, leaving the probes out', async () => {
        await fetch(`${base}/theia/logged-request`);
        await fetch(`${base}/health?probe=live`);
        await fetch(`${base}/metrics`);
        const log = fs.readFileSync(path.join(scratch, 'run', 'access.log'), 'utf8');
        assert.match(log, /"GET \/theia\/logged-request HTTP\/1.1" 200/);
        assert.doesNotMatch(log, /\/health|\/metrics/);
    });

    it('refuses bad settings in the renderer, saying which', () => {
        const render = (http: string, backendPort: string) => () => execFileSync(path.join(repoRoot, 'docker', 'nginx', 'render-nginx-conf.sh'),
            [path.join(repoRoot, 'docker', 'nginx', 'studio.conf.template'), path.join(scratch, 'run2'), http, backendPort], { stdio: 'pipe' });
        assert.throws(render('80a', '3000'), /"80a" is not a port number/);
        assert.throws(render('3000', '3000'), /cannot both use port 3000/);
    });
});
