import type { ListObjectsV2CommandOutput, S3Client } from '@aws-sdk/client-s3';

type S3Sdk = typeof import('@aws-sdk/client-s3');
let sdk: Promise<S3Sdk> | undefined;
/** The AWS SDK, loaded on first use: it takes a third of a second, which no other command of the CLI should pay. */
const loadSdk = (): Promise<S3Sdk> => sdk ??= import('@aws-sdk/client-s3');

/** One object of the v1 store as a listing gives it. */
export interface V1ObjectInfo {
    readonly key: string;
    readonly size: number;
    /** The store's entity tag, quotes removed: changes whenever the object is written again. */
    readonly etag: string;
}

/** The v1 store, read-only: the migration lists and reads it and never writes to it. */
export interface V1Source {
    /** Where it points, for reports; never credentials. */
    readonly description: string;
    /** Every object under `prefix`, in key order. */
    list(prefix: string): AsyncIterable<V1ObjectInfo>;
    /** The names of the "folders" right under `prefix` (`users/` gives `users/<id>/`), in key order. */
    folders(prefix: string): AsyncIterable<string>;
    /** The object's bytes; a `V1SourceError` when it is missing or cannot be read. */
    get(key: string): Promise<Buffer>;
    close(): void;
}

export class V1SourceError extends Error {
    constructor(message: string, readonly missing = false, options?: { cause?: unknown }) {
        super(message, options);
        this.name = 'V1SourceError';
    }
}

export interface S3SourceOptions {
    /** `s3://<bucket>` or `s3://<bucket>/<prefix>` (the prefix the v1 layout starts under). */
    readonly url: string;
    /** The S3 API's endpoint: Cloudflare R2's `https://<account>.r2.cloudflarestorage.com`; default AWS's own. */
    readonly endpoint?: string;
    /** Default `auto` (what R2 wants); AWS needs the bucket's region. */
    readonly region?: string;
    /** Default: the SDK's own chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, profiles, roles). */
    readonly credentials?: { accessKeyId: string; secretAccessKey: string };
    /** Keys a listing asks for at a time; default the store's (1,000). */
    readonly pageSize?: number;
}

export function parseS3Url(url: string): { bucket: string; prefix: string } {
    const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url.trim());
    if (!match) {
        throw new V1SourceError(`"${url}" is not an S3 location; give the v1 bucket as s3://<bucket> or s3://<bucket>/<prefix> (a bucket name is 3 to 63 lower-case letters, digits, dots and hyphens).`);
    }
    const prefix = (match[2] ?? '').replace(/^\/+|\/+$/g, '');
    return { bucket: match[1], prefix: prefix ? `${prefix}/` : '' };
}

/**
 * The v1 store through the AWS SDK's S3 client, which is what Cloudflare R2 speaks. Checksums are
 * asked for only where the API requires them: R2 and other S3-compatible stores refuse or ignore
 * the SDK's newer default ones.
 */
export class S3Source implements V1Source {
    readonly description: string;
    protected readonly bucket: string;
    protected readonly prefix: string;
    protected readonly pageSize?: number;
    protected connection: Promise<{ sdk: S3Sdk; client: S3Client }> | undefined;

    constructor(protected readonly options: S3SourceOptions) {
        this.pageSize = options.pageSize;
        ({ bucket: this.bucket, prefix: this.prefix } = parseS3Url(options.url));
        if (options.endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(options.endpoint)) {
            throw new V1SourceError(`"${options.endpoint}" is not an endpoint URL; give the S3 API's address, such as https://<account>.r2.cloudflarestorage.com.`);
        }
        this.description = `s3://${this.bucket}/${this.prefix}${options.endpoint ? ` at ${new URL(options.endpoint).host}` : ''}`;
    }

    protected s3(): Promise<{ sdk: S3Sdk; client: S3Client }> {
        return this.connection ??= loadSdk().then(loaded => ({
            sdk: loaded,
            client: new loaded.S3Client({
                endpoint: this.options.endpoint, region: this.options.region ?? 'auto', forcePathStyle: this.options.endpoint !== undefined,
                credentials: this.options.credentials, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
                maxAttempts: 5,
            }),
        }));
    }

    async *list(prefix: string): AsyncIterable<V1ObjectInfo> {
        for await (const page of this.pages(prefix)) {
            for (const item of page.Contents ?? []) {
                yield { key: item.Key!.slice(this.prefix.length), size: item.Size ?? 0, etag: (item.ETag ?? '').replace(/"/g, '') };
            }
        }
    }

    async *folders(prefix: string): AsyncIterable<string> {
        for await (const page of this.pages(prefix, '/')) {
            for (const folder of page.CommonPrefixes ?? []) {
                yield folder.Prefix!.slice(this.prefix.length);
            }
        }
    }

    async get(key: string): Promise<Buffer> {
        const { sdk, client } = await this.s3();
        try {
            const answer = await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
            return Buffer.from(await answer.Body!.transformToByteArray());
        } catch (error) {
            throw this.failure(sdk, `read ${key}`, error);
        }
    }

    close(): void {
        void this.connection?.then(({ client }) => client.destroy());
    }

    protected async *pages(prefix: string, delimiter?: string): AsyncIterable<ListObjectsV2CommandOutput> {
        const { sdk, client } = await this.s3();
        let token: string | undefined;
        do {
            let page: ListObjectsV2CommandOutput;
            try {
                page = await client.send(new sdk.ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix + prefix, Delimiter: delimiter, ContinuationToken: token, MaxKeys: this.pageSize }));
            } catch (error) {
                throw this.failure(sdk, `list ${prefix || 'the bucket'}`, error);
            }
            yield page;
            token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
    }

    /** The store's refusal in words an operator acts on; credentials are never part of it. */
    protected failure({ NoSuchKey, S3ServiceException }: S3Sdk, what: string, error: unknown): V1SourceError {
        if (error instanceof NoSuchKey || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404 && error.name !== 'NoSuchBucket')) {
            return new V1SourceError(`${what}: no such object in ${this.description}.`, true, { cause: error });
        }
        if (error instanceof S3ServiceException) {
            const status = error.$metadata.httpStatusCode;
            const hint = error.name === 'NoSuchBucket' ? 'check the bucket name'
                : status === 403 || error.name === 'InvalidAccessKeyId' || error.name === 'SignatureDoesNotMatch' ? 'check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (an R2 API token with read access)'
                    : 'try again; if it persists, check the store';
            return new V1SourceError(`Cannot ${what} in ${this.description}: ${error.name}${status ? ` (HTTP ${status})` : ''}; ${hint}.`, false, { cause: error });
        }
        return new V1SourceError(`Cannot ${what} in ${this.description}: ${(error as Error).message}; check the endpoint and the network.`, false, { cause: error });
    }
}
