/**
 * What file sync compares: a path's content as one side has it. Directories are not versions:
 * they exist because files are in them (an empty directory is not synced).
 */
export interface FileVersion {
    kind: 'file' | 'symlink';
    /** Hex SHA-256 of the bytes (a file) or of the target text (a symlink). */
    sha256: string;
    size: number;
    /** Permission bits (0o777 part of st_mode); restored on download. Symlinks: 0. */
    mode: number;
    /** A symlink's target, as written (relative or absolute). */
    target?: string;
}

/** Same content as far as sync is concerned: kind, bytes (or target) and permission bits. */
export function sameVersion(a: FileVersion | undefined, b: FileVersion | undefined): boolean {
    if (!a || !b) {
        return a === b;
    }
    return a.kind === b.kind && a.sha256 === b.sha256 && a.size === b.size && a.mode === b.mode && (a.target ?? '') === (b.target ?? '');
}

export function versionOf(v: FileVersion): FileVersion {
    return v.kind === 'symlink'
        ? { kind: v.kind, sha256: v.sha256, size: v.size, mode: 0, target: v.target }
        : { kind: v.kind, sha256: v.sha256, size: v.size, mode: v.mode };
}
