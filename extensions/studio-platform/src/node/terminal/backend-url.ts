import type * as http from 'node:http';
import type * as https from 'node:https';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { injectable } from '@theia/core/shared/inversify';

/**
 * Where this backend listens, as a process on the same machine reaches it (the terminals' shells,
 * through `coditect`): a wildcard address is reached on loopback.
 */
@injectable()
export class BackendUrl implements BackendApplicationContribution {
    protected url: string | undefined;

    onStart(server: http.Server | https.Server): void {
        const read = () => {
            const address = server.address();
            if (address && typeof address === 'object') {
                const wildcard = address.address === '0.0.0.0' || address.address === '::';
                const host = wildcard ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
                this.url = `${'cert' in server ? 'https' : 'http'}://${host}:${address.port}`;
            }
        };
        if (server.listening) {
            read();
        } else {
            server.once('listening', read);
        }
    }

    /** The base URL, once the server listens. */
    get value(): string | undefined {
        return this.url;
    }
}
