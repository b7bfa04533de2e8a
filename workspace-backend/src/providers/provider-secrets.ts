import * as fs from 'node:fs';
import { secretValuesOf } from '../policy/secrets';
import { readSecretsFile, SecretsFileVariable } from './provider-config';

/** The secrets file's entries as last read, reread when the file changes. */
let fileCache: { file: string; mtimeMs: number; entries: Record<string, string> } | undefined;

/**
 * Every secret value the workspace's processes may hold: the environment's (read at each call:
 * it can change) and the secrets file's (STUDIO_SECRETS_FILE, which the providers read keys
 * from; reread when its mtime changes). What the masker (policy/secrets.ts) hides from logs,
 * the timeline, the chat and the models' tool results. An unreadable secrets file adds nothing
 * here; the providers say what is wrong with it.
 */
export function workspaceSecretValues(env: NodeJS.ProcessEnv = process.env): string[] {
    return secretValuesOf(env, secretsFileEntries(env[SecretsFileVariable]?.trim() || undefined));
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
