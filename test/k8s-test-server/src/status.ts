/**
 * Kubernetes `Status` objects, the body of every error the API server sends. Clients branch on
 * `code` and `reason` (client-node's informer restarts on `code: 410`; kubectl prints `message`),
 * so each failure is raised as an {@link ApiError} carrying exactly those fields.
 */
export interface StatusCause {
    reason: string;
    message: string;
    field?: string;
}

export interface StatusDetails {
    name?: string;
    group?: string;
    kind?: string;
    causes?: StatusCause[];
    retryAfterSeconds?: number;
}

export interface Status {
    kind: 'Status';
    apiVersion: 'v1';
    metadata: Record<string, never>;
    status: 'Failure' | 'Success';
    message: string;
    reason: string;
    details?: StatusDetails;
    code: number;
}

export class ApiError extends Error {
    constructor(readonly code: number, readonly reason: string, message: string, readonly details?: StatusDetails) {
        super(message);
    }

    get status(): Status {
        const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
        if (this.details) {
            status.details = this.details;
        }
        return status;
    }
}

/** What an error message names: `statefulsets.apps "ws-1"` (the group is left out for the core group). */
export interface Subject {
    plural: string;
    group: string;
    kind: string;
    name: string;
}

function qualified(subject: Subject): string {
    return subject.group ? `${subject.plural}.${subject.group}` : subject.plural;
}

function details(subject: Subject, causes?: StatusCause[]): StatusDetails {
    const d: StatusDetails = { name: subject.name, kind: subject.plural };
    if (subject.group) {
        d.group = subject.group;
    }
    if (causes) {
        d.causes = causes;
    }
    return d;
}

export function notFound(subject: Subject): ApiError {
    return new ApiError(404, 'NotFound', `${qualified(subject)} "${subject.name}" not found`, details(subject));
}

export function alreadyExists(subject: Subject): ApiError {
    return new ApiError(409, 'AlreadyExists', `${qualified(subject)} "${subject.name}" already exists`, details(subject));
}

export function conflict(subject: Subject, why = 'the object has been modified; please apply your changes to the latest version and try again'): ApiError {
    return new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(subject)} "${subject.name}": ${why}`, details(subject));
}

/** 422, as the API server answers a failed validation: the kind (not the plural) leads the message. */
export function invalid(subject: Subject, causes: StatusCause[]): ApiError {
    const group = subject.group ? `.${subject.group}` : '';
    const list = causes.map(c => `${c.field}: ${c.message}`);
    const joined = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
    const d: StatusDetails = { name: subject.name, kind: subject.kind, causes };
    if (subject.group) {
        d.group = subject.group;
    }
    return new ApiError(422, 'Invalid', `${subject.kind}${group} "${subject.name}" is invalid: ${joined}`, d);
}

export function badRequest(message: string): ApiError {
    return new ApiError(400, 'BadRequest', message);
}

export function gone(message: string): ApiError {
    return new ApiError(410, 'Gone', message);
}

export function expired(message: string): ApiError {
    return new ApiError(410, 'Expired', message);
}

export function methodNotAllowed(method: string): ApiError {
    return new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${method})`);
}

export function unsupportedMediaType(contentType: string, accepted: string[]): ApiError {
    return new ApiError(415, 'UnsupportedMediaType',
        `the body of the request was in an unknown format (${contentType || 'none'}) - accepted media types include: ${accepted.join(', ')}`);
}

export function unauthorized(): ApiError {
    return new ApiError(401, 'Unauthorized', 'Unauthorized');
}

export function routeNotFound(): ApiError {
    return new ApiError(404, 'NotFound', 'the server could not find the requested resource');
}
