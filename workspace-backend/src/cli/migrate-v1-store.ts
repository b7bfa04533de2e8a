import { V1Reader } from '../migration/v1-reader';
import { S3Source, V1SourceError } from '../migration/v1-source';
import { CliError, CliValues, ExitCode } from './cli-command';

/** The v1 store's options, and the users a command is about. */
export const v1StoreOptions = {
    v1: { type: 'string' },
    'v1-endpoint': { type: 'string' },
    'v1-region': { type: 'string' },
    user: { type: 'string', multiple: true },
    all: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
} as const;

export const v1StoreHelp = `The v1 store (read only; never changed):
  --v1 <s3://bucket[/prefix]>  The v1 bucket (env STUDIO_V1_URL)
  --v1-endpoint <url>          Its S3 API, for R2 https://<account>.r2.cloudflarestorage.com
                               (env STUDIO_V1_ENDPOINT; default AWS S3)
  --v1-region <name>           Default auto (R2); AWS needs the bucket's region (env STUDIO_V1_REGION)
  Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (an R2 API token with read access),
  or the AWS SDK's other sources. They are never printed.

Users:
  --user <id>                  A v1 user (repeat for several)
  --all                        Every user in the store
  --json                       Print the report as JSON
`;

/** One workspace holds one user: the --user of run, verify and rollback. */
export function oneUser(values: CliValues): string {
    const users = (values.user as string[] | undefined) ?? [];
    if (values.all || users.length !== 1) {
        throw new CliError('One v2 workspace holds one user: give exactly one --user <id> (the runbook moves a wave user by user).');
    }
    return users[0];
}

export async function usersOf(values: CliValues, reader: V1Reader): Promise<string[]> {
    const named = (values.user as string[] | undefined) ?? [];
    if (values.all && named.length) {
        throw new CliError('Give either --all or --user, not both.');
    }
    if (values.all) {
        const users: string[] = [];
        for await (const user of reader.users()) {
            users.push(user);
        }
        if (!users.length) {
            throw new CliError(`No users in ${reader.source.description}: is it the v1 bucket (and prefix)? v1 kept every user under users/<id>/.`, ExitCode.failed);
        }
        return users;
    }
    if (!named.length) {
        throw new CliError('Name the users: --user <id> (repeat for several), or --all.');
    }
    return [...new Set(named)];
}

/** Opens the v1 store from the options or the environment; a store that refuses becomes an operator's error. */
export async function withV1Source<T>(values: CliValues, work: (source: S3Source) => Promise<T>): Promise<T> {
    const url = (values.v1 as string | undefined) ?? process.env.STUDIO_V1_URL;
    if (!url) {
        throw new CliError('Give the v1 store: --v1 s3://<bucket> (or STUDIO_V1_URL), with --v1-endpoint for R2.');
    }
    let source: S3Source;
    try {
        source = new S3Source({
            url, endpoint: (values['v1-endpoint'] as string | undefined) ?? process.env.STUDIO_V1_ENDPOINT,
            region: (values['v1-region'] as string | undefined) ?? process.env.STUDIO_V1_REGION,
        });
    } catch (error) {
        throw error instanceof V1SourceError ? new CliError(error.message) : error;
    }
    try {
        return await work(source);
    } catch (error) {
        throw error instanceof V1SourceError ? new CliError(error.message, ExitCode.failed) : error;
    } finally {
        source.close();
    }
}
