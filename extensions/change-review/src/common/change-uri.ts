import type URI from '@theia/core/lib/common/uri';
import { PathUri } from '@coditect/studio-platform/common';

export type ChangeSide = 'before' | 'after';

/** `coditect-change:/src/a.ts?task=<id>&side=before|after`: a file before a task first changed it, or after its last change; read-only. */
export namespace ChangeUri {
    export const scheme = 'coditect-change';

    export function create(taskId: number, path: string, side: ChangeSide): URI {
        return PathUri.create(scheme, path, { task: String(taskId), side });
    }

    export function is(uri: URI): boolean {
        return uri.scheme === scheme;
    }

    /** The task, file and side a change URI names; throws for anything else. */
    export function parse(uri: URI): { taskId: number; path: string; side: ChangeSide } {
        const shape = `a file of a task's change set (${scheme}:/<path>?task=<id>&side=before|after)`;
        const { path, params } = PathUri.parse(uri, scheme, ['task', 'side'], shape);
        const taskId = Number(params.task);
        if (!Number.isSafeInteger(taskId) || (params.side !== 'before' && params.side !== 'after')) {
            throw new Error(`${uri.toString()} is not ${shape}.`);
        }
        return { taskId, path, side: params.side };
    }
}
