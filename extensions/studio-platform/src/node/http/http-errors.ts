import {
    AgentTokenInputError, BusMessageError, CheckpointsUnavailableError, DatabaseUnavailableError, DeadlockError, InvalidHistoryRequestError, InvalidReviewError, LockPermissionError,
    LockRevokedError, LockTimeoutError, MoneyFormatError, PolicyDeniedError, UnknownAgentError, UnknownAgentTokenError, UnknownChangeSetError, UnknownCheckpointError, UnknownLockError, UnknownWorkflowError,
    WorkflowRequestError, WorkspacePathError,
} from '@coditect/workspace-backend';
import { TaskRateLimitError } from '../auth/task-submission-limiter';

/** The request itself is wrong (a missing field, a bad value): 400, with what to send instead. */
export class BadRequestError extends Error { }

/** The request is refused for who sent it, decided by the route itself (acting under another's name): 403. */
export class ForbiddenRequestError extends Error { }

/**
 * The one mapping from the core's errors to HTTP statuses, for every JSON API of the studio: the
 * same error answers the same status whichever route it comes from.
 */
export function statusOfError(error: unknown): number {
    if (error instanceof BadRequestError || error instanceof WorkspacePathError || error instanceof AgentTokenInputError || error instanceof InvalidReviewError
        || error instanceof InvalidHistoryRequestError || error instanceof BusMessageError || error instanceof WorkflowRequestError || error instanceof MoneyFormatError || error instanceof RangeError) {
        return 400;
    }
    if (error instanceof PolicyDeniedError || error instanceof LockPermissionError || error instanceof ForbiddenRequestError) {
        return 403;
    }
    if (error instanceof UnknownLockError || error instanceof UnknownAgentError || error instanceof UnknownAgentTokenError || error instanceof UnknownChangeSetError || error instanceof UnknownCheckpointError
        || error instanceof UnknownWorkflowError) {
        return 404;
    }
    if (error instanceof LockTimeoutError || error instanceof DeadlockError) {
        return 409;
    }
    if (error instanceof LockRevokedError) {
        return 410;
    }
    if (error instanceof TaskRateLimitError) {
        return 429;
    }
    if (error instanceof DatabaseUnavailableError || error instanceof CheckpointsUnavailableError) {
        return 503;
    }
    return 500;
}

/** The JSON body of an error answer: its message, and who holds the locks a timed-out request waited for. */
export function errorBody(error: unknown): { error: string; holders?: unknown } {
    const message = error instanceof Error ? error.message : String(error);
    return error instanceof LockTimeoutError ? { error: message, holders: error.holders } : { error: message };
}
