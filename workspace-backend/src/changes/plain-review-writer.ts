import * as fs from 'node:fs';
import * as path from 'node:path';
import { readTextIfPresent } from '../common/read-text-if-present';
import type { WorkspacePaths } from '../policy/workspace-paths';
import type { ReviewWriter } from './change-sets';
import { FileIo, NextContents, writeTogether } from './write-together';

/**
 * A review's writes with no studio running (the operator CLI): nobody else holds locks then, so
 * the file is read and replaced as it is, write-then-rename so it is never seen half written.
 * In the studio the core's writer takes the file's lock as the reviewer instead.
 */
export class PlainReviewWriter implements ReviewWriter {
    protected readonly io: FileIo = {
        read: relative => readTextIfPresent(this.paths.absolute(relative)),
        write: (relative, content) => this.write(this.paths.absolute(relative), content),
    };

    constructor(protected readonly paths: WorkspacePaths) { }

    async replace(relative: string, next: (current: string | undefined) => { readonly content: string | Buffer | undefined } | undefined): Promise<void> {
        const absolute = this.paths.absolute(relative);
        const decided = next(await readTextIfPresent(absolute));
        if (decided) {
            await this.write(absolute, decided.content);
        }
    }

    /** A waiting change set landing: all its files or none (write-together.ts). */
    replaceTogether(relatives: readonly string[], next: NextContents): Promise<void> {
        return writeTogether(relatives, next, this.io);
    }

    protected async write(absolute: string, content: string | Buffer | undefined): Promise<void> {
        if (content === undefined) {
            await fs.promises.rm(absolute, { force: true });
            return;
        }
        await fs.promises.mkdir(path.dirname(absolute), { recursive: true });
        const temporary = `${absolute}.${process.pid}.${Date.now()}.tmp`;
        await fs.promises.writeFile(temporary, content);
        await fs.promises.rename(temporary, absolute);
    }
}
