import type * as http from 'node:http';

/**
 * Idle keep-alive connections stay open until the client closes them (or `stop()`), as Google's
 * front ends keep them for minutes. With Node's default (the server closes a connection idle for
 * 5 s) a client that reuses its pooled connection just as the server closes it gets ECONNRESET:
 * a race of two 5 s timers that a loaded machine, firing timers late, loses now and then. No
 * spec asks for such a reset; the faults that do are injected on purpose.
 */
export function keepIdleConnections(server: http.Server): void {
    server.keepAliveTimeout = 10 * 60_000;
}
