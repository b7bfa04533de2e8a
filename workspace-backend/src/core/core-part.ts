import type { ComponentHealth } from '../health/workspace-health';

/** A part's id: a key of the map from ids to what each part is while it runs. */
export type PartId<Parts> = keyof Parts & string;

/** What a part sees of the others, at start, at stop and in health. */
export interface StartedParts<Parts> {
    /**
     * A need's running instance. Only a declared need may be asked for, and it is up: a part
     * starts only once all its needs have.
     */
    get<K extends PartId<Parts>>(id: K): Parts[K];
    /**
     * A part used when it runs, without being needed: undefined while it is not started, off or
     * down. Ask when it is used, not at start, to see a part that starts later.
     */
    find<K extends PartId<Parts>>(id: K): Parts[K] | undefined;
}

export interface PartHealthOptions {
    /** Also run SQLite's `quick_check` on every database (off the main thread). */
    readonly quickCheck?: boolean;
}

/**
 * One part of the workspace core, declared as data: what it needs, how it starts, stops and
 * reports its health. The part runner (part-runner.ts) does the rest the same way for every part:
 * order, failure, health of a part that is down or not started, stop problems.
 */
export interface CorePart<Parts, Context, Id extends PartId<Parts> = PartId<Parts>> {
    readonly id: Id;
    /** What a person reads: the label of its health component, and of its failure ("<label> did not start: ..."). */
    readonly label: string;
    /**
     * Parts that must be up for this one to start, declared before it. A need that is down makes
     * this part down (saying which); a need that is off makes it off.
     */
    readonly needs: readonly PartId<Parts>[];
    /**
     * Parts, declared before this one, that stop before it although they started first (parts
     * stop in reverse order otherwise): a listener that must hear their last events.
     */
    readonly stopsAfter?: readonly PartId<Parts>[];
    /** Reported as `starting`, with this detail, from start() until the part is up; by default nothing is. */
    readonly startingDetail?: string;
    /** How stop()'s problems name this part's stop (default "stopping <label>"). */
    readonly stopStep?: string;
    /**
     * The running part, or undefined when it is not enabled (its configuration turns it off). A
     * throw reports the part down; it must leave nothing running behind.
     */
    start(context: Context, parts: StartedParts<Parts>): Parts[Id] | undefined | Promise<Parts[Id] | undefined>;
    /** Awaited once every part has started, before the runner's start() resolves. */
    ready?(instance: Parts[Id]): Promise<void>;
    /** Stops the part; resolves with what it could not do (one line each), if anything. A throw is one such line. */
    stop?(instance: Parts[Id], parts: StartedParts<Parts>): void | readonly string[] | Promise<void | readonly string[]>;
    /** Its health components while it is up (none without this). */
    health?(instance: Parts[Id], parts: StartedParts<Parts>, options: PartHealthOptions): readonly ComponentHealth[] | Promise<readonly ComponentHealth[]>;
}

/** Any one of the parts of a map: the element type of a list of parts. */
export type AnyCorePart<Parts, Context> = { [K in PartId<Parts>]: CorePart<Parts, Context, K> }[PartId<Parts>];

export function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
