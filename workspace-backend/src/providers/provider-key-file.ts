import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/** The file in the data folder that keeps the provider keys set from the studio (never in the workspace, never in the replica). */
export const ProviderKeyFileName = 'provider-keys.json';

/** When set, the key file is encrypted (AES-256-GCM) with a key derived from this variable's value. */
export const ProviderKeysEncryptionVariable = 'STUDIO_KEYS_ENCRYPTION_KEY';

/** One key as kept: the value, and who set it when. */
export interface StoredProviderKey {
    readonly value: string;
    readonly setAt: number;
    readonly setBy: string;
}

export type StoredProviderKeys = Readonly<Record<string, StoredProviderKey>>;

/** The key file cannot be read (corrupted, encrypted without the right key, unreadable): says what to do. */
export class ProviderKeyFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'ProviderKeyFileError';
    }
}

interface PlainFile {
    readonly version: 1;
    readonly keys: StoredProviderKeys;
}

interface EncryptedFile {
    readonly version: 1;
    readonly encrypted: { readonly cipher: 'aes-256-gcm'; readonly kdf: 'scrypt'; readonly salt: string; readonly iv: string; readonly tag: string; readonly data: string };
}

/** The scrypt derivation is the slow part of a read (tens of ms): one per salt and secret is enough. */
const derivedKeys = new Map<string, Buffer>();

function deriveKey(secret: string, salt: Buffer): Buffer {
    const id = crypto.createHash('sha256').update(salt).update('\0').update(secret).digest('base64');
    let key = derivedKeys.get(id);
    if (!key) {
        key = crypto.scryptSync(secret, salt, 32);
        derivedKeys.set(id, key);
    }
    return key;
}

/**
 * The provider key file: JSON, mode 0600, replaced atomically (written beside, fsynced, renamed),
 * so a crash or a full disk leaves the previous keys whole. With STUDIO_KEYS_ENCRYPTION_KEY set,
 * its content is encrypted; without it, it is plain JSON readable only by the studio's user.
 *
 * Read by the backend (status, the providers' check) and by each agent process when its task
 * starts (the key goes from this file to the vendor's SDK client and nowhere else: not over IPC,
 * not into an environment).
 */
export class ProviderKeyFile {
    protected cache: { mtimeMs: number; size: number; keys: StoredProviderKeys } | undefined;

    constructor(readonly file: string, protected readonly env: NodeJS.ProcessEnv = process.env) { }

    static inDataDir(dataDir: string, env: NodeJS.ProcessEnv = process.env): ProviderKeyFile {
        return new ProviderKeyFile(path.join(dataDir, ProviderKeyFileName), env);
    }

    /** Whether what is written is encrypted (the variable is set). */
    get encrypted(): boolean {
        return Boolean(this.secret());
    }

    /** The keys as kept; none when the file does not exist. Throws ProviderKeyFileError, saying what to do, when it cannot be read. */
    read(): StoredProviderKeys {
        let stat: fs.Stats | undefined;
        try {
            stat = fs.statSync(this.file, { throwIfNoEntry: false });
        } catch (error) {
            throw new ProviderKeyFileError(`cannot read the provider key file ${this.file}: ${(error as Error).message}`);
        }
        if (!stat) {
            return {};
        }
        if (this.cache && this.cache.mtimeMs === stat.mtimeMs && this.cache.size === stat.size) {
            return this.cache.keys;
        }
        let text: string;
        try {
            text = fs.readFileSync(this.file, 'utf8');
        } catch (error) {
            throw new ProviderKeyFileError(`cannot read the provider key file ${this.file}: ${(error as Error).message}`);
        }
        const keys = this.parse(text);
        this.cache = { mtimeMs: stat.mtimeMs, size: stat.size, keys };
        return keys;
    }

    /** Replaces the keys, atomically and durably; the file is created with mode 0600. */
    write(keys: StoredProviderKeys): void {
        const secret = this.secret();
        const content: PlainFile | EncryptedFile = secret ? { version: 1, encrypted: this.encrypt(secret, keys) } : { version: 1, keys };
        try {
            fs.mkdirSync(path.dirname(this.file), { recursive: true });
            writeFileAtomic.sync(this.file, `${JSON.stringify(content, undefined, 1)}\n`, { mode: 0o600, fsync: true });
        } catch (error) {
            throw new ProviderKeyFileError(`could not save the provider keys to ${this.file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); ` +
                'the keys kept before are unchanged. Free space in the data folder or fix its permissions, then try again.');
        }
        // A file made by hand (or by an older studio) may have been more open: the keys are never readable by others.
        fs.chmodSync(this.file, 0o600);
        this.cache = undefined;
    }

    protected secret(): string | undefined {
        return this.env[ProviderKeysEncryptionVariable]?.trim() || undefined;
    }

    protected parse(text: string): StoredProviderKeys {
        let content: Partial<PlainFile & EncryptedFile>;
        try {
            content = JSON.parse(text) as Partial<PlainFile & EncryptedFile>;
        } catch {
            throw this.corrupted('it is not JSON');
        }
        if (content?.version !== 1) {
            throw this.corrupted(`its version is ${JSON.stringify(content?.version)}, not 1`);
        }
        if (content.encrypted) {
            return this.decrypt(content.encrypted);
        }
        return this.checked(content.keys);
    }

    protected encrypt(secret: string, keys: StoredProviderKeys): EncryptedFile['encrypted'] {
        const salt = crypto.randomBytes(16);
        const iv = crypto.randomBytes(12);
        const cipher = crypto.createCipheriv('aes-256-gcm', deriveKey(secret, salt), iv);
        const data = Buffer.concat([cipher.update(JSON.stringify(keys), 'utf8'), cipher.final()]);
        return {
            cipher: 'aes-256-gcm', kdf: 'scrypt', salt: salt.toString('base64'), iv: iv.toString('base64'),
            tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64'),
        };
    }

    protected decrypt(encrypted: EncryptedFile['encrypted']): StoredProviderKeys {
        const secret = this.secret();
        if (!secret) {
            throw new ProviderKeyFileError(`the provider keys in ${this.file} are encrypted and ${ProviderKeysEncryptionVariable} is not set; ` +
                'start the studio with the key they were saved with (or delete the file and add the keys again).');
        }
        if (encrypted.cipher !== 'aes-256-gcm' || encrypted.kdf !== 'scrypt') {
            throw this.corrupted(`its cipher ${JSON.stringify(encrypted.cipher)} or key derivation ${JSON.stringify(encrypted.kdf)} is not one this studio knows`);
        }
        let plain: string;
        try {
            const decipher = crypto.createDecipheriv('aes-256-gcm', deriveKey(secret, Buffer.from(encrypted.salt, 'base64')), Buffer.from(encrypted.iv, 'base64'));
            decipher.setAuthTag(Buffer.from(encrypted.tag, 'base64'));
            plain = Buffer.concat([decipher.update(Buffer.from(encrypted.data, 'base64')), decipher.final()]).toString('utf8');
        } catch {
            throw new ProviderKeyFileError(`the provider keys in ${this.file} cannot be decrypted: ${ProviderKeysEncryptionVariable} is not the key they were saved with, ` +
                'or the file was changed; start the studio with the right key (or delete the file and add the keys again).');
        }
        try {
            return this.checked(JSON.parse(plain));
        } catch (error) {
            throw error instanceof ProviderKeyFileError ? error : this.corrupted('its decrypted content is not JSON');
        }
    }

    protected checked(keys: unknown): StoredProviderKeys {
        if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) {
            throw this.corrupted('it has no "keys" object');
        }
        for (const [variable, key] of Object.entries(keys as Record<string, Partial<StoredProviderKey>>)) {
            if (typeof key?.value !== 'string' || typeof key.setAt !== 'number' || typeof key.setBy !== 'string') {
                throw this.corrupted(`its entry for ${variable} is not { value, setAt, setBy }`);
            }
        }
        return keys as StoredProviderKeys;
    }

    protected corrupted(why: string): ProviderKeyFileError {
        return new ProviderKeyFileError(`the provider key file ${this.file} is corrupted (${why}); delete it and add the keys again from the studio.`);
    }
}
