import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { EnvVariablesServer } from '@theia/core/lib/common/env-variables';
import { FileUri } from '@theia/core/lib/common/file-uri';
import { inject, injectable } from '@theia/core/shared/inversify';

/**
 * Makes sure the user settings file exists when the backend starts, so the backend follows the
 * settings it reads (the extension registry's): Theia's backend watches that file only once it
 * exists, and misses the write that creates it (the first setting a person saves) until a restart.
 * An existing file is never touched.
 */
@injectable()
export class UserSettingsFile implements BackendApplicationContribution {

    @inject(EnvVariablesServer)
    protected readonly env: EnvVariablesServer;

    async initialize(): Promise<void> {
        const file = path.join(FileUri.fsPath(await this.env.getConfigDirUri()), 'settings.json');
        try {
            await fs.mkdir(path.dirname(file), { recursive: true });
            await fs.writeFile(file, '{\n}\n', { flag: 'wx', mode: 0o600 });
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
                console.warn(`[extensions] could not create the user settings file ${file}: ${(error as Error).message}. `
                    + 'Settings saved later (the extension registry) apply after a restart.');
            }
        }
    }
}
