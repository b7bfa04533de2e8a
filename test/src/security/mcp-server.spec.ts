import * as assert from 'node:assert/strict';
import { MCP_HTTP_PATH } from '@coditect/studio-platform/common';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { bearer, startSecuredStudio, token, waitForCore } from './security-fixture';

/**
 * An agent outside the studio (what Claude Code, Codex CLI or Gemini CLI configure as an MCP server)
 * reaching the running studio's MCP endpoint with the agent token an admin issued, through the real
 * authentication, with the MCP SDK's own client.
 */
describe('the running studio as an MCP server, for an agent token', function () {
    this.timeout(180_000);
    let secured: Awaited<ReturnType<typeof startSecuredStudio>>;
    let admin: Record<string, string>;

    before(async () => {
        secured = await startSecuredStudio();
        admin = bearer(await token({ role: 'admin', sub: 'ada' }));
        await waitForCore(secured.studio, admin);
    });
    after(async () => {
        await secured?.stop();
    });

    async function connect(headers: Record<string, string>): Promise<Client> {
        const client = new Client({ name: 'outside-agent', version: '1.0.0' });
        await client.connect(new StreamableHTTPClientTransport(new URL(`${secured.studio.url}${MCP_HTTP_PATH}`), { requestInit: { headers } }));
        return client;
    }

    it('holds a lock in the token\'s agent\'s name, which the studio\'s lock API shows, until the token is revoked', async () => {
        const issued = await fetch(`${secured.studio.url}/coditect/api/tokens`, {
            method: 'POST', headers: { ...admin, 'Content-Type': 'application/json' }, body: JSON.stringify({ agentId: 'claude-code', displayName: 'Claude Code' }),
        });
        assert.equal(issued.status, 201, await issued.clone().text());
        const { id, token: agentToken } = await issued.json() as { id: string; token: string };

        const client = await connect({ Authorization: `Bearer ${agentToken}` });
        try {
            const result = await client.callTool({ name: 'lock_acquire', arguments: { path: 'src/a.ts', mode: 'exclusive' } }) as { isError?: boolean; content: { text: string }[] };
            assert.ok(!result.isError, result.content[0].text);
            const { locks } = await (await fetch(`${secured.studio.url}/coditect/api/locks`, { headers: admin })).json() as { locks: { path: string; owner: { id: string; displayName: string } }[] };
            assert.deepEqual(locks.map(l => [l.path, l.owner.id, l.owner.displayName]), [['src/a.ts', 'agent:claude-code', 'Claude Code']]);
        } finally {
            await client.close();
        }

        assert.equal((await fetch(`${secured.studio.url}/coditect/api/tokens/${id}`, { method: 'DELETE', headers: admin })).status, 200);
        await assert.rejects(connect({ Authorization: `Bearer ${agentToken}` }), /401|revoked|refused/i, 'a revoked token opens nothing');
        await assert.rejects(connect({}), /401|credential/i, 'nor does no token');
    });
});
