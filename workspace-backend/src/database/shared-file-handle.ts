import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * A read-only descriptor of a database file (the main file or its `-shm`) that this process
 * also has SQLite connections on, shared by everyone in the process who reads that file and
 * closed only when the last of them lets go.
 *
 * Why: SQLite locks a database with POSIX advisory locks, which belong to the process and the
 * file, not to a descriptor: closing ANY descriptor of the file drops every lock the process
 * holds on it ("How To Corrupt An SQLite Database File", 2.2). A plain `fs.readFileSync` of the
 * main file or an `open`/`close` of the `-shm` therefore silently unlocks our own connections:
 * a query worker process then believes it is the last connection and deletes the WAL we are
 * still writing into (commits that vanish), or truncates the `-shm` we have mapped (SIGBUS).
 *
 * Invariant: a holder acquires a handle only while it has its own connections open on the
 * file, and releases it only after closing them; so the descriptor, being closed last, never
 * drops a lock a live connection of ours relies on. Files SQLite never locks (the `-wal`) need
 * none of this.
 */
export class SharedFileHandle {
    protected static readonly descriptors = new Map<string, { fd: number; holders: number }>();
    protected released = false;

    protected constructor(readonly file: string, readonly fd: number) { }

    /** A handle of `file` for one holder, sharing the process's descriptor; throws when it cannot be opened. */
    static acquire(file: string): SharedFileHandle {
        const key = path.resolve(file);
        let descriptor = SharedFileHandle.descriptors.get(key);
        if (!descriptor) {
            descriptor = { fd: fs.openSync(key, 'r'), holders: 0 };
            SharedFileHandle.descriptors.set(key, descriptor);
        }
        descriptor.holders++;
        return new SharedFileHandle(key, descriptor.fd);
    }

    /** Reads up to `length` bytes at `position`; returns the bytes read (fewer at the end of the file). */
    read(position: number, length: number): Buffer {
        const buffer = Buffer.alloc(length);
        const read = fs.readSync(this.fd, buffer, 0, length, position);
        return buffer.subarray(0, read);
    }

    /** The whole file as it is now. */
    readAll(): Buffer {
        const size = fs.fstatSync(this.fd).size;
        const buffer = Buffer.alloc(size);
        let offset = 0;
        while (offset < size) {
            const read = fs.readSync(this.fd, buffer, offset, size - offset, offset);
            if (read === 0) {
                break;
            }
            offset += read;
        }
        return buffer.subarray(0, offset);
    }

    /** This holder lets go (again is a no-op); the descriptor is closed when the last holder has. */
    release(): void {
        if (this.released) {
            return;
        }
        this.released = true;
        const descriptor = SharedFileHandle.descriptors.get(this.file);
        if (descriptor && --descriptor.holders === 0) {
            SharedFileHandle.descriptors.delete(this.file);
            fs.closeSync(descriptor.fd);
        }
    }
}
