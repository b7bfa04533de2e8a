import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SESSION_TIMELINE_PATH } from '@coditect/session-timeline/common';
import { remoteFileSystemPath } from '@theia/filesystem/lib/common/remote-file-system-provider';
import type { FileState, TimelineEventSummary, TimelineFilter, TimelinePage } from '@coditect/workspace-backend';
import { StudioRpcClient } from '../lib/studio-rpc-client';
import { bearer, startSecuredStudio, token, waitForCore } from '../security/security-fixture';

interface TimelineRpc {
    currentSessionId(): Promise<string | undefined>;
    page(sessionId: string, filter: TimelineFilter, offset: number, limit: number): Promise<TimelinePage>;
    fileAt(sessionId: string, path: string, seq: number): Promise<FileState>;
}
interface FilesRpc {
    writeFile(uri: string, content: Uint8Array, opts: object): Promise<void>;
    delete(uri: string, opts: object): Promise<void>;
}

/** A person's saves through the IDE's file system, against the running backend, as the session timeline records them. */
describe('people\'s saves in the session timeline', function () {
    this.timeout(120_000);
    let secured: Awaited<ReturnType<typeof startSecuredStudio>>;
    let client: StudioRpcClient;

    before(async () => {
        secured = await startSecuredStudio();
        const jwt = await token({ role: 'developer', sub: 'grace' });
        await waitForCore(secured.studio, bearer(jwt));
        client = await StudioRpcClient.connect(secured.studio.url, { headers: bearer(jwt) });
    });
    after(async () => {
        client?.close();
        await secured?.stop();
    });

    async function fileEdits(timeline: TimelineRpc, sessionId: string, count: number): Promise<readonly TimelineEventSummary[]> {
        const deadline = Date.now() + 20_000;
        for (; ;) {
            const page = await timeline.page(sessionId, { kinds: ['file-edit'], path: 'src' }, 0, 50);
            if (page.events.length >= count || Date.now() > deadline) {
                return page.events;
            }
            await new Promise(resolve => setTimeout(resolve, 100));
        }
    }

    it('records each save and delete in the Studio lane, by the person, so the file can be seen as it was between them', async () => {
        const files = await client.service<FilesRpc>(remoteFileSystemPath);
        const timeline = await client.service<TimelineRpc>(SESSION_TIMELINE_PATH);
        const sessionId = (await timeline.currentSessionId())!;
        assert.ok(sessionId, 'a live session is recording');
        const file = (name: string) => `file://${path.join(secured.workspaceDir, 'src', name)}`;
        const write = (name: string, text: string) => files.writeFile(file(name), new TextEncoder().encode(text), { create: true, overwrite: true, unlock: false, atomic: false });

        await write('a.ts', 'export const a = 2;\n');
        await write('a.ts', 'export const a = 3;\n');
        await write('b.ts', 'export const b = 1;\n');
        await files.delete(file('b.ts'), { recursive: false, useTrash: false });
        // A save that changes nothing, and a binary file, are not edits.
        await write('a.ts', 'export const a = 3;\n');
        await files.writeFile(file('logo.bin'), new Uint8Array([0x89, 0x50, 0x00, 0x01]), { create: true, overwrite: true, unlock: false, atomic: false });

        const edits = await fileEdits(timeline, sessionId, 4);
        assert.deepEqual(edits.map(e => [e.path, e.agentId ?? '']), [['src/a.ts', ''], ['src/a.ts', ''], ['src/b.ts', ''], ['src/b.ts', '']]);
        assert.deepEqual(edits.map(e => e.summary), ['Edited src/a.ts (+1 −1) by grace', 'Edited src/a.ts (+1 −1) by grace', 'Created src/b.ts (+1 −0) by grace', 'Deleted src/b.ts (+0 −1) by grace']);

        const first = await timeline.fileAt(sessionId, 'src/a.ts', edits[0].seq);
        assert.deepEqual([first.status, first.status === 'exists' && first.content], ['exists', 'export const a = 2;\n']);
        const beforeDelete = await timeline.fileAt(sessionId, 'src/b.ts', edits[2].seq);
        assert.deepEqual([beforeDelete.status, beforeDelete.status === 'exists' && beforeDelete.content], ['exists', 'export const b = 1;\n']);
        assert.equal((await timeline.fileAt(sessionId, 'src/b.ts', edits[3].seq)).status, 'absent');
        assert.equal(fs.readFileSync(path.join(secured.workspaceDir, 'src', 'a.ts'), 'utf8'), 'export const a = 3;\n');
    });
});
