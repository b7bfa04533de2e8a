import * as fs from 'node:fs';

/** A file's text, or undefined when it does not exist; any other failure (a folder, no permission) is thrown. */
export async function readTextIfPresent(file: string): Promise<string | undefined> {
    try {
        return await fs.promises.readFile(file, 'utf8');
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
            throw error;
        }
        return undefined;
    }
}
