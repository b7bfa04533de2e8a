import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { StudioUser } from '../../common/studio-user';
import { AuthConfig } from './auth-config';
import { AuthConfigValue } from './credential-verifier';

/** Thrown when one person submits tasks faster than `STUDIO_TASKS_PER_MINUTE`; says when to try again. */
export class TaskRateLimitError extends Error { }

/**
 * Tasks (and chat messages, which become tasks) per person per minute, shared by every way of
 * submitting them, so a runaway script or a stuck key cannot flood the agents' queues (and bill).
 */
@injectable()
export class TaskSubmissionLimiter {

    @inject(AuthConfigValue)
    protected readonly config: AuthConfig;

    protected limiter: RateLimiterMemory;

    @postConstruct()
    protected init(): void {
        this.limiter = new RateLimiterMemory({ keyPrefix: 'tasks', points: this.config.tasksPerMinute, duration: 60 });
    }

    async consume(user: Pick<StudioUser, 'id' | 'displayName'>): Promise<void> {
        try {
            await this.limiter.consume(user.id, 1);
        } catch (error) {
            if (error instanceof RateLimiterRes) {
                const wait = Math.ceil(error.msBeforeNext / 1000);
                throw new TaskRateLimitError(`${user.displayName} has submitted ${this.config.tasksPerMinute} tasks in the last minute, the most allowed (STUDIO_TASKS_PER_MINUTE); try again in ${wait} s.`);
            }
            throw error;
        }
    }
}
