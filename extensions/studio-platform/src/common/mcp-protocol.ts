/**
 * The studio as an MCP server (Model Context Protocol, Streamable HTTP, stateless): agents outside
 * the studio (Claude Code, Codex CLI, Gemini CLI) POST JSON-RPC here with an agent token an admin
 * issued (`Authorization: Bearer cdt_…`), and get the coordination tools under the studio's policy.
 */
export const MCP_HTTP_PATH = '/coditect/api/mcp';
