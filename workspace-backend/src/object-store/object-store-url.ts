import { fileURLToPath } from 'node:url';
import { DirectoryObjectStore } from './directory-object-store';
import { GcsObjectStore, GcsObjectStoreOptions } from './gcs-object-store';
import { ObjectStore, ObjectStoreError } from './object-store';

/**
 * Opens a store from a replica URL: `file:///abs/path` (or a plain absolute path) for a
 * directory, `gs://bucket/prefix` for GCS. `apiEndpoint` points GCS at an emulator.
 */
export function openObjectStore(url: string, gcs: Partial<GcsObjectStoreOptions> = {}): ObjectStore {
    if (url.startsWith('gs://')) {
        const rest = url.slice('gs://'.length);
        const slash = rest.indexOf('/');
        const bucket = slash < 0 ? rest : rest.slice(0, slash);
        if (!bucket) {
            throw new ObjectStoreError(`Replica URL "${url}" names no bucket; use gs://<bucket>/<prefix>.`);
        }
        return new GcsObjectStore({ ...gcs, bucket, prefix: slash < 0 ? '' : rest.slice(slash + 1) });
    }
    if (url.startsWith('file://')) {
        return new DirectoryObjectStore(fileURLToPath(url));
    }
    if (url.startsWith('/')) {
        return new DirectoryObjectStore(url);
    }
    throw new ObjectStoreError(`Replica URL "${url}" is not understood; use file:///absolute/path or gs://bucket/prefix.`);
}
