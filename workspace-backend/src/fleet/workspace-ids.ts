import { randomBytes } from 'node:crypto';

/** `ws-` and ten base-32 characters: a DNS label (a StatefulSet's, a Service's and a URL's path segment), 50 random bits. */
const IdPattern = /^ws-[a-z2-7]{10}$/;
const Alphabet = 'abcdefghijklmnopqrstuvwxyz234567';

export function newWorkspaceId(): string {
    const bytes = randomBytes(10);
    return `ws-${[...bytes].map(b => Alphabet[b % 32]).join('')}`;
}

export function isWorkspaceId(value: unknown): value is string {
    return typeof value === 'string' && IdPattern.test(value);
}
