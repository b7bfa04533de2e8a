import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { AuthConfig } from './auth-config';
import { AuthConfigValue } from './credential-verifier';

/**
 * Failed logins per client address: after `loginAttempts` failures within `loginWindowS`
 * seconds, that address is refused (429) until the window has passed, even with a good token,
 * so guessing cannot be sped up by interleaving a known-good credential.
 */
@injectable()
export class LoginThrottle {

    @inject(AuthConfigValue)
    protected readonly config: AuthConfig;

    protected limiter: RateLimiterMemory;

    @postConstruct()
    protected init(): void {
        this.limiter = new RateLimiterMemory({ keyPrefix: 'login', points: this.config.loginAttempts, duration: this.config.loginWindowS });
    }

    /** Seconds until `client` may try again, or 0 when it may try now. */
    async blockedFor(client: string): Promise<number> {
        const state = await this.limiter.get(client);
        return state && state.consumedPoints >= this.config.loginAttempts ? Math.ceil(state.msBeforeNext / 1000) : 0;
    }

    async recordFailure(client: string): Promise<void> {
        await this.limiter.penalty(client, 1);
    }
}
