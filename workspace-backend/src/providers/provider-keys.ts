import { Disposable, Emitter, Event } from '../common/emitter';
import { isSecretName, Policy, Principal } from '../policy';
import { findApiKey, ProviderKeySource, readSecretsFile, SecretsFileVariable } from './provider-config';
import { ProviderKeyFile, ProviderKeyFileError, StoredProviderKeys } from './provider-key-file';
import { maskKeysOf } from './provider-secrets';

/** What anyone may know of a key: whether it is set and where; never its value. */
export interface ProviderKeyStatus {
    readonly variable: string;
    /** Undefined when no source has it: the agents that use it need a key. */
    readonly source?: ProviderKeySource;
    /** The key's last four characters, so an admin can tell keys apart; only for those who may manage keys. */
    readonly hint?: string;
    /** For a key set in the studio: when, and by whom (a principal id). */
    readonly setAt?: number;
    readonly setBy?: string;
    /** Why the keys set in the studio cannot be read now (corrupted file, wrong encryption key); they are passed over. */
    readonly problem?: string;
}

/** A key or variable name that cannot be kept: says what was wrong; HTTP 400. Never contains the value. */
export class ProviderKeyInputError extends Error {
    readonly status = 400;
    constructor(message: string) {
        super(message);
        this.name = 'ProviderKeyInputError';
    }
}

/** The longest key accepted; vendors' keys are under 200 characters. */
const MAX_KEY_LENGTH = 1024;
/** The shortest: shorter values are typing mistakes (and too short to be masked in logs, see policy/secrets.ts). */
const MIN_KEY_LENGTH = 8;
const VARIABLE = /^[A-Z][A-Z0-9_]{1,63}$/;

/**
 * The model providers' API keys an admin sets from the studio (the welcome page, the agent panel,
 * the palette), kept in the data folder's key file (ProviderKeyFile).
 *
 * Invariants:
 * - A key is written and removed, never read back: `status` gives where a key comes from and, to
 *   those who may manage keys, its last four characters.
 * - Setting and removing are `provider-key.manage` (admins), decided and audited by the policy
 *   before anything is written; the audit line names the variable, never the value.
 * - Every key set here is among the secrets the studio masks (provider-secrets.ts) from the moment
 *   it is set, and `onDidChange` fires after the file is durable, so the agents try again at once.
 */
export class ProviderKeys {
    protected readonly changed = new Emitter<{ readonly variable: string }>();
    readonly onDidChange: Event<{ readonly variable: string }> = this.changed.event;
    protected readonly masking: Disposable;

    constructor(
        readonly file: ProviderKeyFile,
        protected readonly policy: Policy,
        protected readonly env: NodeJS.ProcessEnv = process.env,
        protected readonly now: () => number = Date.now,
    ) {
        this.masking = maskKeysOf(file);
    }

    /** Where each of `variables` comes from, for `actor` (the hint only to those who may manage keys). */
    status(actor: Principal, variables: readonly string[]): ProviderKeyStatus[] {
        const mayManage = this.policy.allows(actor, 'provider-key.manage');
        let stored: StoredProviderKeys = {};
        let problem: string | undefined;
        try {
            stored = this.file.read();
        } catch (error) {
            problem = (error as Error).message;
        }
        const secretsFile = this.env[SecretsFileVariable]?.trim() || undefined;
        let fromSecretsFile: Record<string, string> = {};
        try {
            fromSecretsFile = secretsFile ? readSecretsFile(secretsFile) : {};
        } catch {
            // The providers say what is wrong with it when they read it.
        }
        return [...new Set(variables)].sort().map(variable => {
            const studio = stored[variable];
            const found = findApiKey(variable, { studio: stored, env: this.env, secretsFile: () => fromSecretsFile });
            return {
                variable, source: found?.source, problem,
                hint: mayManage && found ? found.value.slice(-4) : undefined,
                setAt: studio?.setAt, setBy: studio?.setBy,
            };
        });
    }

    /** Keeps `value` as the key in `variable` for every agent that uses it; the agents waiting for it try again at once. */
    set(actor: Principal, variable: string, value: string): ProviderKeyStatus {
        checkVariable(variable);
        const key = checkKey(variable, value);
        this.policy.authorize(actor, 'provider-key.manage', { target: variable }, 'set');
        this.file.write({ ...this.readForChange(), [variable]: { value: key, setAt: this.now(), setBy: actor.id } });
        this.changed.fire({ variable });
        return this.status(actor, [variable])[0];
    }

    /** Forgets the key set in the studio for `variable`; the environment's or the secrets file's, if any, is used again. */
    remove(actor: Principal, variable: string): ProviderKeyStatus {
        checkVariable(variable);
        this.policy.authorize(actor, 'provider-key.manage', { target: variable }, 'remove');
        const { [variable]: removed, ...rest } = this.readForChange();
        if (removed) {
            this.file.write(rest);
            this.changed.fire({ variable });
        }
        return this.status(actor, [variable])[0];
    }

    /** Stops masking this file's keys (the core's stop). */
    dispose(): void {
        this.masking.dispose();
    }

    /** The keys as kept, to change them. A file that cannot be read is not overwritten (its keys could still be recovered with the right encryption key). */
    protected readForChange(): StoredProviderKeys {
        try {
            return this.file.read();
        } catch (error) {
            if (error instanceof ProviderKeyFileError) {
                throw new ProviderKeyFileError(`${error.message} Nothing was changed.`);
            }
            throw error;
        }
    }
}

function checkVariable(variable: unknown): asserts variable is string {
    if (typeof variable !== 'string' || !VARIABLE.test(variable) || !isSecretName(variable)) {
        throw new ProviderKeyInputError(`${JSON.stringify(String(variable).slice(0, 80))} is not a key variable: give the variable an agent reads its key from, ` +
            'in capitals, such as ANTHROPIC_API_KEY (the name must say KEY, TOKEN or SECRET, so the studio masks its value).');
    }
}

function checkKey(variable: string, value: unknown): string {
    const key = typeof value === 'string' ? value.trim() : '';
    if (!key) {
        throw new ProviderKeyInputError(`the key for ${variable} is empty; paste the key from the vendor's console.`);
    }
    if (key.length < MIN_KEY_LENGTH || key.length > MAX_KEY_LENGTH) {
        throw new ProviderKeyInputError(`the key for ${variable} is ${key.length} characters long; a provider key has ${MIN_KEY_LENGTH} to ${MAX_KEY_LENGTH}. Paste the whole key, and only the key.`);
    }
    if (!/^[\x21-\x7e]+$/.test(key)) {
        throw new ProviderKeyInputError(`the key for ${variable} contains spaces, line breaks or characters that are not plain ASCII; paste the key alone, without quotes or "${variable}=".`);
    }
    return key;
}
