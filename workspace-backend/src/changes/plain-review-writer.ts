import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WorkspacePaths } from '../policy/workspace-paths';
import type { ReviewWriter } from './change-sets';

/**
 * A review's writes with no studio running (the operator CLI): nobody else holds locks then, so
 * the file is read and replaced as it is, write-then-rename so it is never seen half written.
 * In the studio the core's writer takes the file's lock as the reviewer instead.
 */
export class PlainReviewWriter implements ReviewWriter {
    constructor(protected readonly paths: WorkspacePaths) { }

    async replace(relative: string, next: (current: string | undefined) => { readonly content: string | Buffer | undefined } | undefined): Promise<void> {
        const absolute = this.paths.absolute(relative);
        let current: string | undefined;
        try {
            current = await fs.promises.readFile(absolute, 'utf8');
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
                throw error;
            }
        }
        const decided = next(current);
        if (!decided) {
            return;
        }
        if (decided.content === undefined) {
            await fs.promises.rm(absolute, { force: true });
            return;
        }
        await fs.promises.mkdir(path.dirname(absolute), { recursive: true });
        const temporary = `${absolute}.${process.pid}.${Date.now()}.tmp`;
        await fs.promises.writeFile(temporary, decided.content);
        await fs.promises.rename(temporary, absolute);
    }
}
