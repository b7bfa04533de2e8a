import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import * as express from '@theia/core/shared/express';
import { inject, injectable } from '@theia/core/shared/inversify';
import { MCP_HTTP_PATH } from '../../common/mcp-protocol';
import { RequestUsers } from '../auth/request-users';
import { TaskSubmissionLimiter } from '../auth/task-submission-limiter';
import { mountHttpRoute } from '../http/http-entry-points';
import { WorkspaceCoreHost } from '../workspace-core-host';
import { createStudioMcpServer } from './studio-mcp-server';

/** A JSON-RPC error answer (MCP's HTTP transport answers errors this way). */
const rpcError = (res: express.Response, status: number, message: string): void => {
    res.status(status).json({ jsonrpc: '2.0', error: { code: -32000, message }, id: null });
};

/**
 * `POST /coditect/api/mcp`: the studio as an MCP server over Streamable HTTP, stateless (each POST
 * is one JSON-RPC exchange with a server made for that request's caller), answering JSON. The
 * authentication in front of it has verified the credential (an agent token, or a person's); the
 * tools act as that principal (studio-mcp-server.ts). GET and DELETE (streams and sessions) are not
 * offered: 405, saying so, as the transport's specification has a stateless server answer.
 */
@injectable()
export class McpEndpoint implements BackendApplicationContribution {

    @inject(WorkspaceCoreHost)
    protected readonly coreHost: WorkspaceCoreHost;

    @inject(RequestUsers)
    protected readonly users: RequestUsers;

    @inject(TaskSubmissionLimiter)
    protected readonly limiter: TaskSubmissionLimiter;

    configure(app: express.Application): void {
        const json = express.json({ limit: '1mb' });
        mountHttpRoute(app, { method: 'POST', path: MCP_HTTP_PATH, access: 'workspace.read' }, (req, res) => {
            json(req, res, error => {
                if (error) {
                    rpcError(res, 400, `The request body is not JSON: ${error instanceof Error ? error.message : String(error)}. POST one JSON-RPC message (MCP Streamable HTTP).`);
                    return;
                }
                this.handle(req, res).catch(failure => {
                    if (!res.headersSent) {
                        rpcError(res, 500, `The MCP request failed: ${failure instanceof Error ? failure.message : String(failure)}`);
                    }
                });
            });
        });
        for (const method of ['GET', 'DELETE'] as const) {
            mountHttpRoute(app, { method, path: MCP_HTTP_PATH, access: 'workspace.read' }, (_req, res) => {
                res.set('Allow', 'POST');
                rpcError(res, 405, `This MCP server is stateless: POST each JSON-RPC message to ${MCP_HTTP_PATH}; it keeps no sessions or streams.`);
            });
        }
    }

    protected async handle(req: express.Request, res: express.Response): Promise<void> {
        const principal = this.users.principal(req);
        if (!principal) {
            rpcError(res, 401, 'No credential was verified for this request; send an agent token as "Authorization: Bearer cdt_…".');
            return;
        }
        const core = await this.coreHost.ready;
        const server = createStudioMcpServer(core, principal, this.limiter);
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
        res.on('close', () => {
            void transport.close();
            void server.close();
        });
        await server.connect(transport);
        await transport.handleRequest(req, res, req.body);
    }
}
