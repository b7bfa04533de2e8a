import * as fs from 'node:fs';
import type { Disposable } from '../common/emitter';
import { secretValuesOf } from '../policy/secrets';
import { readSecretsFile, SecretsFileVariable } from './provider-config';
import type { ProviderKeyFile } from './provider-key-file';

/** The key files of the cores running in this process (ProviderKeys registers its own). */
const keyFiles = new Set<ProviderKeyFile>();

/** Masks the keys kept in `file` wherever the workspace's secrets are masked, until disposed. */
export function maskKeysOf(file: ProviderKeyFile): Disposable {
    keyFiles.add(file);
    return { dispose: () => keyFiles.delete(file) };
}

/** The secrets file's entries as last read, reread when the file changes. */
let fileCache: { file: string; mtimeMs: number; entries: Record<string, string> } | undefined;

/**
 * Every secret value the workspace's processes may hold: the environment's (read at each call:
 * it can change), the secrets file's (STUDIO_SECRETS_FILE, which the providers read keys
 * from; reread when its mtime changes) and the keys an admin set in the studio (the key files
 * given to `maskKeysOf`; each read is a stat unless the file changed). What the masker (policy/secrets.ts) hides from logs,
 * the timeline, the chat and the models' tool results. An unreadable secrets file adds nothing
 * here; the providers say what is wrong with it.
 */
export function workspaceSecretValues(env: NodeJS.ProcessEnv = process.env): string[] {
    return secretValuesOf(env, secretsFileEntries(env[SecretsFileVariable]?.trim() || undefined), ...[...keyFiles].map(keyFileEntries));
}

/** A key file's entries by variable; nothing while it cannot be read (it then holds no key anyone uses). */
function keyFileEntries(file: ProviderKeyFile): Record<string, string> {
    try {
        return Object.fromEntries(Object.entries(file.read()).map(([variable, key]) => [variable, key.value]));
    } catch {
        return {};
    }
}

function secretsFileEntries(file: string | undefined): Record<string, string> {
    const mtimeMs = file ? fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs : undefined;
    if (!file || mtimeMs === undefined) {
        return {};
    }
    if (fileCache?.file !== file || fileCache.mtimeMs !== mtimeMs) {
        let entries: Record<string, string>;
        try {
            entries = readSecretsFile(file);
        } catch {
            entries = {};
        }
        fileCache = { file, mtimeMs, entries };
    }
    return fileCache.entries;
}
