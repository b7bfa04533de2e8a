import * as os from 'node:os';
import { AuditLog } from '../audit/audit-log';
import { personPrincipal, PolicyDeniedError, PolicyImpl, Principal } from '../policy';
import { AgentTokenInfo, AgentTokenInputError, AgentTokenRepository, AgentTokens, IssuedAgentToken, UnknownAgentTokenError } from '../tokens';
import { CliCommand, CliError, CliValues, ExitCode, out } from './cli-command';
import { dataDirectoryHelp, dataDirectoryOptions, withOneDatabase } from './one-database';

const subcommands = ['create', 'list', 'revoke'] as const;
type Subcommand = typeof subcommands[number];

/**
 * Who runs the CLI: the operator of the machine, who can read and write the data directory and
 * so holds an admin's power already; the policy still decides (`token.manage`) and the audit log
 * names them by their operating-system account.
 */
function operatorPrincipal(): Principal {
    const name = os.userInfo().username;
    return personPrincipal({ id: `user:${name}`, displayName: `${name} (operator CLI)`, role: 'admin' });
}

/** The same action through a running studio's HTTP API, for the refusal. */
function httpExample(subcommand: Subcommand, values: CliValues, positionals: string[]): string {
    const base = 'curl -H "Authorization: Bearer $ADMIN_TOKEN"';
    const url = 'http://127.0.0.1:3000/coditect/api/tokens';
    if (subcommand === 'create') {
        const body: Record<string, unknown> = { agentId: values.agent ?? 'my-bot' };
        if (values.label !== undefined) {
            body.label = values.label;
        }
        if (values['display-name'] !== undefined) {
            body.displayName = values['display-name'];
        }
        if (values['expires-days'] !== undefined) {
            body.expiresInDays = Number(values['expires-days']);
        }
        return `${base} -H 'content-type: application/json' -X POST ${url} -d '${JSON.stringify(body).replace(/'/g, '\'\\\'\'')}'`;
    }
    return subcommand === 'revoke' ? `${base} -X DELETE ${url}/${positionals[1] ?? '<token id>'}` : `${base} ${url}`;
}

function describeToken(token: AgentTokenInfo): string {
    const when = (ms: number) => new Date(ms).toISOString();
    const state = token.status === 'revoked' ? `revoked ${when(token.revokedAt!)} by ${token.revokedBy}`
        : token.status === 'expired' ? `expired ${when(token.expiresAt!)}`
            : token.expiresAt ? `active, expires ${when(token.expiresAt)}` : 'active, no expiry';
    const name = token.displayName !== token.agentId ? ` ("${token.displayName}")` : '';
    return `${token.id}  agent:${token.agentId}${name}  ${state}  created ${when(token.createdAt)} by ${token.createdBy || 'unknown'}${token.label ? `  ${token.label}` : ''}`;
}

function expiryDays(values: CliValues): number | undefined {
    const raw = values['expires-days'] as string | undefined;
    if (raw === undefined) {
        return undefined;
    }
    const days = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(days)) {
        throw new CliError(`--expires-days must be a number of days (e.g. 30), not "${raw}".`);
    }
    return days;
}

export const tokenCommand: CliCommand = {
    name: 'token',
    summary: 'Issue, list or revoke agent tokens (credentials for agents outside the studio).',
    positionals: true,
    help: `Usage:
  coditect-workspace token create --agent <id> [--label <text>] [--display-name <name>] [--expires-days <n>] [options]
  coditect-workspace token list [--agent <id>] [--json] [options]
  coditect-workspace token revoke <token id> [options]

An agent token lets one agent outside the studio (a CLI agent, a bot) use the studio's HTTP APIs
under /coditect/api/ as agent:<id> (e.g. take and release file locks in its own name), and nothing
else: not the IDE's pages, not its websocket. Send it as "Authorization: Bearer <token>".

create prints the token once: the studio keeps only its SHA-256, so store it now. list shows every
token's id, agent, state and label, never a secret. revoke stops a token at once; it stays listed.

These commands change workspace.db, so they are refused (exit 3) while a studio runs on this data
directory (it is the database's one writer): then use its HTTP API as an admin,
POST/GET/DELETE /coditect/api/tokens (the refusal prints the curl command). list works beside it.
Every create, list and revoke is recorded in the audit log under your account's name.

Options:
  --agent <id>          The agent the token is for (create), or to list (list): e.g. my-bot
  --label <text>        What the token is for, shown in the list (e.g. "CI on build-host-3")
  --display-name <name> The name the studio shows for the agent (lock badges); default the id
  --expires-days <n>    Days until it expires (default: never)
  --json                Print JSON
${dataDirectoryHelp}
`,
    options: {
        ...dataDirectoryOptions, 'agent': { type: 'string' }, 'label': { type: 'string' }, 'display-name': { type: 'string' },
        'expires-days': { type: 'string' }, 'json': { type: 'boolean', default: false },
    },
    async run(values, positionals = []) {
        const subcommand = positionals[0] as Subcommand | undefined;
        if (!subcommand || !subcommands.includes(subcommand)) {
            throw new CliError(subcommand ? `Unknown token command "${subcommand}"; use ${subcommands.join(', ')}.` : `Say what to do: coditect-workspace token ${subcommands.join('|')} (see --help).`);
        }
        const expected = subcommand === 'revoke' ? 2 : 1;
        if (positionals.length !== expected) {
            throw new CliError(subcommand === 'revoke'
                ? 'Name one token to revoke by its id: coditect-workspace token revoke tok_0123456789abcdef (token list shows the ids).'
                : `token ${subcommand} takes no arguments besides its options; got "${positionals.slice(1).join(' ')}".`);
        }
        if (subcommand === 'create' && values.agent === undefined) {
            throw new CliError('Name the agent the token is for: coditect-workspace token create --agent <id> (e.g. --agent my-bot).');
        }
        const days = expiryDays(values);
        const refusal = (dataDir: string, why: string) => `Refusing to change the agent tokens in ${dataDir}: a studio is running on it; ${why}. `
            + `Use the studio's HTTP API instead, with an admin's credential:\n  ${httpExample(subcommand, values, positionals)}`;
        const mode = subcommand === 'list' ? 'read' : 'write';
        return withOneDatabase(values, 'workspace', mode, refusal, async ({ db, studioRunning }) => {
            // Beside a running studio the database is open read-only: the list is read without an audit line (the
            // operator can read the file anyway); on their own, every decision is audited like the studio's.
            const tokens = new AgentTokens(new AgentTokenRepository(db), new PolicyImpl(() => studioRunning ? undefined : new AuditLog(db)));
            const actor = operatorPrincipal();
            try {
                if (subcommand === 'create') {
                    const issued = tokens.issue(actor, {
                        agentId: values.agent as string, label: values.label as string | undefined,
                        displayName: values['display-name'] as string | undefined, expiresInDays: days,
                    });
                    printIssued(issued, values.json === true);
                } else if (subcommand === 'revoke') {
                    const revoked = tokens.revoke(actor, positionals[1]);
                    out(values.json ? JSON.stringify(revoked, undefined, 2) : `Revoked: ${describeToken(revoked)}`);
                } else {
                    const listed = tokens.list(actor, { agentId: values.agent as string | undefined });
                    out(values.json ? JSON.stringify(listed, undefined, 2) : listed.length ? listed.map(describeToken).join('\n') : 'No agent tokens.');
                }
            } catch (error) {
                if (error instanceof AgentTokenInputError) {
                    throw new CliError(error.message);
                }
                if (error instanceof UnknownAgentTokenError) {
                    throw new CliError(error.message, ExitCode.failed);
                }
                if (error instanceof PolicyDeniedError) {
                    throw new CliError(error.message, ExitCode.refused);
                }
                throw error;
            }
            return ExitCode.ok;
        });
    },
};

function printIssued(issued: IssuedAgentToken, json: boolean): void {
    if (json) {
        out(JSON.stringify(issued, undefined, 2));
        return;
    }
    out(`Issued ${describeToken(issued)}`);
    out(issued.token);
    process.stderr.write('This is the only time the token is shown (the studio keeps its hash): store it now. '
        + 'The agent sends it as "Authorization: Bearer <token>" to /coditect/api/.\n');
}
