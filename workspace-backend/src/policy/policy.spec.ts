import * as assert from 'node:assert/strict';
import { agentPrincipal, personPrincipal, Principal, servicePrincipal } from './principal';
import { judge, PolicyAuditSink, PolicyDeniedError, PolicyImpl } from './policy';
import { PolicyActions, PolicyTable } from './policy-table';

const developer = personPrincipal({ id: 'user:dev', displayName: 'Dev', role: 'developer' });
const otherDeveloper = personPrincipal({ id: 'user:other', displayName: 'Other', role: 'developer' });
const admin = personPrincipal({ id: 'user:root', displayName: 'Root', role: 'admin' });
const claude = agentPrincipal('claude', 'Claude');
const studio = servicePrincipal('orchestrator');

function auditInto(lines: Parameters<PolicyAuditSink['record']>[0][]): PolicyImpl {
    return new PolicyImpl(() => ({ record: entry => lines.push(entry) }));
}

describe('policy: who may do what', () => {
    it('lets everyone renew and release only their own locks, whatever a request claims', () => {
        const lock = { target: 'lock 7 on src/a.ts', ownerId: claude.id, ownerKind: 'agent' as const };
        for (const principal of [developer, admin, agentPrincipal('gemini'), studio] as Principal[]) {
            assert.equal(judge(principal, 'lock.renew', lock).allowed, false, `${principal.id} renews claude's lock`);
            assert.equal(judge(principal, 'lock.release', lock).allowed, false, `${principal.id} releases claude's lock`);
        }
        assert.equal(judge(claude, 'lock.renew', lock).allowed, true);
        assert.equal(judge(claude, 'lock.release', lock).allowed, true);
        assert.match(judge(developer, 'lock.release', lock).reason, /^Dev \(developer\) may not release a lock \(lock 7 on src\/a\.ts\): it belongs to agent:claude; only its owner may\.$/);
    });

    it('lets a person force-release an agent\'s lock, only an admin a person\'s, and never an agent', () => {
        const agentLock = { ownerId: claude.id, ownerKind: 'agent' as const };
        const personLock = { ownerId: otherDeveloper.id, ownerKind: 'person' as const };
        assert.equal(judge(developer, 'lock.force-release', agentLock).allowed, true);
        assert.equal(judge(developer, 'lock.force-release', personLock).allowed, false);
        assert.match(judge(developer, 'lock.force-release', personLock).reason, /only an admin may/);
        assert.equal(judge(admin, 'lock.force-release', personLock).allowed, true);
        assert.equal(judge(agentPrincipal('gemini'), 'lock.force-release', agentLock).allowed, false);
        assert.equal(judge(claude, 'lock.force-release', agentLock).allowed, true, 'its own');
    });

    it('keeps admin actions to admins, and says who may', () => {
        for (const action of ['budget.set', 'budget.remove', 'prices.set', 'agent.configure', 'sql.write', 'token.manage'] as const) {
            assert.equal(judge(admin, action).allowed, true, action);
            for (const principal of [developer, claude]) {
                const decision = judge(principal, action);
                assert.equal(decision.allowed, false, `${principal.id} ${action}`);
                assert.match(decision.reason, /only an admin may\.$/, decision.reason);
            }
        }
        assert.match(judge(developer, 'health.detail').reason, /only an admin or the studio itself may/);
    });

    it('lets a developer cancel only tasks they submitted; an admin any', () => {
        const task = { target: 'task 12', ownerId: otherDeveloper.id, ownerKind: 'person' as const };
        assert.equal(judge(developer, 'task.cancel', task).allowed, false);
        assert.equal(judge(developer, 'task.cancel', { ...task, ownerId: developer.id }).allowed, true);
        assert.equal(judge(admin, 'task.cancel', task).allowed, true);
        assert.match(judge(developer, 'task.cancel', task).reason, /only its owner or an admin may/);
    });

    it('writes every audited decision, allowed or refused, and nothing for the others', () => {
        const lines: Parameters<PolicyAuditSink['record']>[0][] = [];
        const policy = auditInto(lines);
        policy.decide(admin, 'budget.set', { target: 'agent claude daily' }, 'limit $5');
        assert.throws(() => policy.authorize(developer, 'budget.set', { target: 'agent claude daily' }), (error: unknown) =>
            error instanceof PolicyDeniedError && error.status === 403 && /Dev \(developer\) may not set a budget \(agent claude daily\)/.test(error.message));
        policy.authorize(developer, 'lock.acquire', { target: 'src/a.ts' });
        assert.deepEqual(lines.map(l => [l.userId, l.action, l.target, l.outcome]), [
            ['user:root', 'budget.set', 'agent claude daily', 'allowed'],
            ['user:dev', 'budget.set', 'agent claude daily', 'refused'],
        ]);
        assert.equal(lines[0].detail, 'limit $5');
        assert.match(lines[1].detail!, /only an admin may/);
        assert.equal(policy.allows(developer, 'budget.set'), false);
        assert.equal(lines.length, 2, '`allows` asks without an audit line');
    });

    it('refuses an action it does not know, and every action in the table says what it does and who may', () => {
        assert.equal(judge(admin, 'no.such' as never).allowed, false);
        for (const action of PolicyActions) {
            const rule = PolicyTable[action];
            assert.ok(rule.does.length > 5, action);
            assert.ok(Object.keys(rule.grants).length > 0, `${action} is granted to someone`);
        }
    });
});
