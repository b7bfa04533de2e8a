/** Who writes, as the lock manager and the timeline name them (a review's `Reviewer`). */
export interface TogetherWriterPerson {
    readonly id: string;
    readonly displayName: string;
}

/**
 * What `next` makes of several files read together (undefined: absent): the content to write
 * for each path it names (undefined content: delete), or nothing at all (undefined).
 */
export type NextContents = (current: ReadonlyMap<string, string | undefined>) => ReadonlyMap<string, string | undefined> | undefined;

/**
 * Writes several files as one step (a waiting change set landing): the host reads them all
 * under its guard (in the studio, an exclusive lock on each held as the person together),
 * `next` decides on what it read, and either every file it names is written or none stays written.
 */
export interface TogetherWriter {
    /** `taskId`: the task whose change the files are (its waiting change set), for the host's records of the writes. */
    replaceTogether(paths: readonly string[], next: NextContents, by: TogetherWriterPerson, taskId?: number): Promise<void>;
}

/** How one file is read and written (each write atomic on its own: write then rename, or remove). */
export interface FileIo {
    read(path: string): Promise<string | undefined>;
    write(path: string, content: string | undefined): Promise<void>;
}

/**
 * The all-or-nothing part of `replaceTogether`, over a host's file access: reads every path,
 * asks `next`, writes what it decided one file at a time; when a write fails, the files already
 * written are put back as they were read (best effort, each failure of that reported with the
 * first error), so the workspace is left as it was found.
 */
export async function writeTogether(paths: readonly string[], next: NextContents, io: FileIo): Promise<void> {
    const current = new Map<string, string | undefined>();
    for (const path of paths) {
        current.set(path, await io.read(path));
    }
    const decided = next(current);
    if (!decided) {
        return;
    }
    const written: string[] = [];
    try {
        for (const [path, content] of decided) {
            if (!current.has(path)) {
                throw new Error(`writeTogether: ${path} was not read with the others; name every file to write in the paths.`);
            }
            // A write that fails leaves its file as it was (each is atomic): only the earlier ones are put back.
            await io.write(path, content);
            written.push(path);
        }
    } catch (error) {
        const notRestored: string[] = [];
        for (const path of written.reverse()) {
            try {
                await io.write(path, current.get(path));
            } catch (restoreError) {
                notRestored.push(`${path} (${(restoreError as Error).message})`);
            }
        }
        const cause = (error as Error).message;
        throw new Error(notRestored.length === 0
            ? `Writing the files together failed, and the ones already written were put back as they were: ${cause}`
            : `Writing the files together failed (${cause}), and these could not be put back as they were; check them by hand: ${notRestored.join(', ')}.`, { cause: error });
    }
}
