/**
 * The entry of the SQL console's worker process (console-worker.ts): one connection to one
 * database, read-only or (admin writes) read-write, running the console's scripts one at a time
 * and keeping the open result of the last one between page requests. It exits when its parent
 * goes away; a runaway script is stopped by the parent killing this process, and a write script
 * also by this process itself at its deadline (database/self-deadline.ts).
 */
import { openWorkerConnection, queryWorkerArgs, serveQueryWorker, workerFailure } from '../database/query-worker-child';
import type { SessionAnswer, SessionRequest } from '../database/query-worker-protocol';
import { SelfDeadline } from '../database/self-deadline';
import type { ConsoleWorkerMessage } from './console-worker';
import { ScriptRunner } from './script-runner';

const args = queryWorkerArgs();
const runner = new ScriptRunner(() => openWorkerConnection(args), args.mode);
const deadline = new SelfDeadline();

function answer(request: SessionRequest<ConsoleWorkerMessage>): SessionAnswer {
    try {
        switch (request.kind) {
            case 'script':
                if (request.selfDeadlineMs !== undefined) {
                    deadline.arm(request.selfDeadlineMs);
                }
                try {
                    return { id: request.id, ok: true, value: runner.run(request) };
                } finally {
                    deadline.disarm();
                }
            case 'fetch':
                return { id: request.id, ok: true, value: runner.fetch(request.pageSize, request.truncate) };
            case 'cell':
                return { id: request.id, ok: true, value: runner.cell(request.ref) };
            case 'close-cursor':
                runner.closeCursor();
                return { id: request.id, ok: true, value: null };
        }
    } catch (error) {
        return workerFailure(request.id, error);
    }
}

serveQueryWorker(answer, () => runner.close());
