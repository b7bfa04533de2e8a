import { CliError, ExitCode } from './cli-command';

/** A workspace as the fleet's API answers it (docs/fleet.md); the fields the migration uses. */
export interface FleetWorkspace {
    readonly id: string;
    readonly owner: string;
    readonly state: string;
    readonly url: string;
    /** The workspace's folder in the fleet's bucket: its replica and files. */
    readonly bucketPrefix: string;
    readonly v1User?: string;
    readonly route?: 'v1' | 'frozen' | 'v2';
}

export type V1Route = NonNullable<FleetWorkspace['route']>;

/**
 * The fleet service's REST API, as an admin: the identity provider's token in FLEET_TOKEN (never
 * printed). A refusal becomes a CliError with the fleet's own words.
 */
export class FleetApi {
    constructor(readonly url: string, protected readonly token: string) {
        if (!/^https?:\/\/[^\s/]+/.test(url)) {
            throw new CliError(`"${url}" is not the fleet's URL; give it as https://fleet.example.com (--fleet or FLEET_URL).`);
        }
    }

    /** The user's v2 workspace, made stopped with route v1 the first time (the fleet answers the same one after). */
    provisionForV1User(userId: string, size: string): Promise<FleetWorkspace> {
        return this.call('POST', '/workspaces/provision', { owner: `user:${userId}`, v1User: userId, size });
    }

    async workspaceOfV1User(userId: string): Promise<FleetWorkspace | undefined> {
        const { workspaces } = await this.call<{ workspaces: FleetWorkspace[] }>('GET', `/workspaces?owner=${encodeURIComponent(`user:${userId}`)}`);
        return workspaces.find(w => w.v1User === userId);
    }

    setRoute(id: string, route: V1Route): Promise<FleetWorkspace> {
        return this.call('PUT', `/workspaces/${encodeURIComponent(id)}/route`, { route });
    }

    stop(id: string): Promise<FleetWorkspace> {
        return this.call('POST', `/workspaces/${encodeURIComponent(id)}/stop`);
    }

    protected async call<T>(method: string, route: string, body?: unknown): Promise<T> {
        let response: Response;
        try {
            response = await fetch(`${this.url.replace(/\/+$/, '')}${route}`, {
                method, headers: { Authorization: `Bearer ${this.token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
                body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(120_000),
            });
        } catch (error) {
            throw new CliError(`The fleet at ${this.url} did not answer ${method} ${route}: ${(error as Error).message}; check --fleet and the network.`, ExitCode.failed);
        }
        const text = await response.text();
        let answer: unknown;
        try {
            answer = text ? JSON.parse(text) : undefined;
        } catch {
            answer = undefined;
        }
        if (!response.ok) {
            const said = (answer as { error?: string } | undefined)?.error ?? `HTTP ${response.status}`;
            const hint = response.status === 401 || response.status === 403 ? ' (FLEET_TOKEN must be an admin\'s token from the identity provider)' : '';
            throw new CliError(`The fleet refused ${method} ${route}: ${said}${hint}.`, ExitCode.failed);
        }
        return answer as T;
    }
}
