import assert from 'node:assert/strict';
import { matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors';
import { Json, jsonPatch, strategicMergePatch } from './patch';
import { ApiError } from './status';

describe('label selectors', () => {
    const labels = { app: 'web', tier: 'gold' };
    const matches = (selector: string) => matchesLabels(parseLabelSelector(selector), labels);

    it('implements the operators of the API server', () => {
        assert.equal(matches(''), true);
        assert.equal(matches('app=web'), true);
        assert.equal(matches('app==web,tier=gold'), true);
        assert.equal(matches('app=web,tier=silver'), false);
        assert.equal(matches('tier!=silver'), true);
        assert.equal(matches('missing!=x'), true, '!= matches when the label is absent');
        assert.equal(matches('tier in (silver, gold)'), true);
        assert.equal(matches('tier notin (gold)'), false);
        assert.equal(matches('missing notin (gold)'), true);
        assert.equal(matches('app'), true);
        assert.equal(matches('!app'), false);
        assert.equal(matches('!missing'), true);
        assert.equal(matchesLabels(parseLabelSelector('app'), undefined), false);
    });

    it('rejects what does not parse with a 400', () => {
        for (const bad of ['app=web=x', 'tier in gold', 'a b', '=x']) {
            assert.throws(() => parseLabelSelector(bad), (e: unknown) => e instanceof ApiError && e.code === 400, bad);
        }
        assert.throws(() => parseFieldSelector('spec.x=1', []), (e: unknown) => e instanceof ApiError && e.message === 'field label not supported: spec.x');
    });
});

describe('patches', () => {
    it('merges keyed lists in a strategic merge patch and honours its directives', () => {
        const pod: Json = { spec: { containers: [{ name: 'a', image: 'a:1', ports: [{ containerPort: 80 }] }, { name: 'b', image: 'b:1' }], tolerations: [{ key: 'x' }] } };
        const patched = strategicMergePatch(pod, {
            spec: {
                containers: [{ name: 'a', image: 'a:2', ports: [{ containerPort: 81 }] }, { name: 'b', $patch: 'delete' }, { name: 'c', image: 'c:1' }],
                tolerations: [{ key: 'y' }],
                '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }],
            },
        });
        assert.deepEqual(patched, { spec: {
            containers: [{ name: 'c', image: 'c:1' }, { name: 'a', image: 'a:2', ports: [{ containerPort: 80 }, { containerPort: 81 }] }],
            tolerations: [{ key: 'y' }],
        } });
    });

    it('applies RFC 6902 operations and fails a test as a 422', () => {
        const doc = { a: [1, 2], b: { c: 'x' } };
        assert.deepEqual(jsonPatch(doc, [
            { op: 'add', path: '/a/-', value: 3 },
            { op: 'remove', path: '/a/0' },
            { op: 'replace', path: '/b/c', value: 'y' },
            { op: 'copy', from: '/b', path: '/d' },
            { op: 'test', path: '/d/c', value: 'y' },
        ]), { a: [2, 3], b: { c: 'y' }, d: { c: 'y' } });
        assert.deepEqual(doc, { a: [1, 2], b: { c: 'x' } }, 'the input is unchanged');
        assert.throws(() => jsonPatch(doc, [{ op: 'test', path: '/b/c', value: 'z' }]), (e: unknown) => e instanceof ApiError && e.code === 422);
        assert.throws(() => jsonPatch(doc, [{ op: 'replace', path: '/nope', value: 1 }]), (e: unknown) => e instanceof ApiError && e.code === 422);
    });
});
