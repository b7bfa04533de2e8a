import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { generateV1Data, s3Sink, startS3TestServer, V1ExpectedUser } from '@coditect/workspace-backend/test-support';
import { StudioViews } from '@coditect/studio-platform/common';
import { palette } from './command-palette';
import { expect, shareStudio, test } from './studio-fixture';
import { repoRoot, studioAppDir } from '../lib/repo-paths';
import { launchStudio } from '../lib/studio-process';

let migrated: V1ExpectedUser;

// A v1 user moved by the operator CLI from a real S3 server (the stand-in for R2), then the studio
// started on the workspace the migration wrote: what the user finds there is what v1 had.
const shared = shareStudio({
    workspaceFiles: [], logName: 'migration',
    launch: async workspaceDir => {
        const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-migration-'));
        const s3 = await startS3TestServer({ buckets: ['coditect-v1'] });
        try {
            const sink = s3Sink({ url: 's3://coditect-v1', endpoint: s3.endpoint, credentials: s3.credentials });
            [migrated] = (await generateV1Data(sink, { users: 1, seed: 42, largeLogRecords: 300 })).users;
            sink.close();
            const dataDir = path.join(scratch, 'data');
            await promisify(execFile)(process.execPath, [
                path.join(repoRoot, 'workspace-backend', 'lib', 'cli', 'main.js'), 'migrate', 'run', '--user', migrated.userId,
                '--data-dir', dataDir, '--workspace', workspaceDir, '--replica', 'off',
            ], { env: { ...process.env, STUDIO_V1_URL: 's3://coditect-v1', STUDIO_V1_ENDPOINT: s3.endpoint, AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey } });
            const studio = await launchStudio({ appDir: studioAppDir, workspaceDir, dataDir, logName: 'migration', env: { STUDIO_REPLICA_URL: 'off' } });
            return { studio, stop: async () => { await studio.stop(); fs.rmSync(scratch, { recursive: true, force: true }); } };
        } finally {
            await s3.close();
        }
    },
});

test('a user moved from v1 finds their files in the explorer and their sessions in the timeline, message by message', async () => {
    const { page, saveScreenshot } = shared();
    // The newest v1 snapshot is the workspace, odd names included.
    const explorer = page.locator('#files');
    await expect(explorer.locator('.theia-TreeNode', { hasText: 'emoji 🚀' })).toBeVisible();
    await expect(explorer.locator('.theia-TreeNode', { hasText: 'README.md' })).toBeVisible();

    await palette(page, 'CODITECT: Show Session Timeline');
    const view = page.locator(`#${StudioViews.sessionTimeline}`);
    // Each v1 session is an imported session of the timeline, besides this run's own.
    const sessions = view.locator('.coditect-timeline-session:not(.live)');
    await expect(sessions).toHaveCount(migrated.sessions);
    await sessions.first().click();
    await expect(view.locator('.coditect-timeline-header')).toContainText('Imported');
    await expect(view.locator('.coditect-timeline-row', { hasText: 'Please change part 0' }).first()).toBeVisible();
    await expect(view.locator('.coditect-timeline-row.kind-tool-call').first()).toBeVisible();
    await saveScreenshot('migrated-from-v1');
});
