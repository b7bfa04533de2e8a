/**
 * The lifecycle of an agent, as a validated state machine.
 *
 *   idle -> loading -> executing <-> waiting (lock, rate limit, reply, user)
 *                                 -> idle (task over), error, paused, stopped
 *   needs-key: no API key for its provider, or the vendor refused the key. A setup step, not a
 *   fault: the agent keeps its queue and leaves the state when a key is set.
 *
 * Invariant: every change goes through `AgentStateMachine.transition`, which refuses a move the
 * table below does not list (an `IllegalTransitionError` naming from and to: that is a bug in the
 * orchestrator, never a user error) and timestamps the ones it accepts.
 */
export type AgentState = 'idle' | 'loading' | 'executing' | 'waiting' | 'needs-key' | 'error' | 'paused' | 'stopped';

export const AgentStates: readonly AgentState[] = ['idle', 'loading', 'executing', 'waiting', 'needs-key', 'error', 'paused', 'stopped'];

/** What a waiting agent waits for; `message` is what the UI shows ("waiting for lock on src/a.ts held by Gemini"). */
export type WaitingOn =
    | { readonly kind: 'lock'; readonly path: string; readonly holders: readonly string[]; readonly message: string }
    | { readonly kind: 'rate-limit'; readonly until: number; readonly message: string }
    | { readonly kind: 'reply'; readonly taskId: number; readonly agentId: string; readonly message: string }
    | { readonly kind: 'user'; readonly message: string };

/** The legal moves; anything else throws. */
export const AgentTransitions: Readonly<Record<AgentState, readonly AgentState[]>> = {
    idle: ['loading', 'paused', 'stopped', 'error', 'needs-key'],
    loading: ['executing', 'idle', 'error', 'needs-key', 'paused', 'stopped'],
    executing: ['waiting', 'idle', 'error', 'needs-key', 'paused', 'stopped'],
    waiting: ['executing', 'idle', 'error', 'needs-key', 'paused', 'stopped'],
    // From needs-key: a key was set (idle, or straight to its next task), or another fault.
    'needs-key': ['idle', 'loading', 'error', 'paused', 'stopped'],
    // From error: a retry (loading), a reset (idle).
    error: ['idle', 'loading', 'needs-key', 'paused', 'stopped'],
    paused: ['idle', 'stopped'],
    stopped: ['idle'],
};

export function isLegalTransition(from: AgentState, to: AgentState): boolean {
    return AgentTransitions[from]?.includes(to) ?? false;
}

export class IllegalTransitionError extends Error {
    constructor(readonly agentId: string, readonly from: AgentState, readonly to: AgentState, readonly reason: string) {
        super(`Illegal agent state transition for ${agentId}: ${from} -> ${to} (${reason || 'no reason'}); ` +
            `from ${from} an agent may go to ${AgentTransitions[from]?.join(', ') || 'nowhere'}. This is an orchestrator bug.`);
        this.name = 'IllegalTransitionError';
    }
}

export interface AgentTransition {
    readonly agentId: string;
    readonly from: AgentState;
    readonly to: AgentState;
    readonly reason: string;
    readonly at: number;
    readonly taskId?: number;
    readonly waitingOn?: WaitingOn;
}

/** One agent's current state; `transition` validates, stamps and hands the change to `record` (the database, then the event stream). */
export class AgentStateMachine {
    protected current: AgentState;
    protected since: number;
    protected waiting: WaitingOn | undefined;

    constructor(
        readonly agentId: string,
        initial: AgentState,
        protected readonly record: (transition: AgentTransition) => void,
        protected readonly now: () => number = Date.now,
    ) {
        this.current = initial;
        this.since = now();
    }

    get state(): AgentState {
        return this.current;
    }

    get stateSince(): number {
        return this.since;
    }

    get waitingOn(): WaitingOn | undefined {
        return this.waiting;
    }

    can(to: AgentState): boolean {
        return isLegalTransition(this.current, to);
    }

    transition(to: AgentState, reason = '', extra: { taskId?: number; waitingOn?: WaitingOn } = {}): AgentTransition {
        if (!isLegalTransition(this.current, to)) {
            throw new IllegalTransitionError(this.agentId, this.current, to, reason);
        }
        if (to === 'waiting' && !extra.waitingOn) {
            throw new IllegalTransitionError(this.agentId, this.current, to, 'waiting needs what it waits on');
        }
        const transition: AgentTransition = { agentId: this.agentId, from: this.current, to, reason, at: this.now(), ...extra };
        this.current = to;
        this.since = transition.at;
        this.waiting = extra.waitingOn;
        this.record(transition);
        return transition;
    }

    /** Moves to `to` when legal, else leaves the state alone; for paths where "already there" is fine (stop of a stopped agent). */
    tryTransition(to: AgentState, reason = '', extra: { taskId?: number; waitingOn?: WaitingOn } = {}): boolean {
        if (this.current === to || !this.can(to)) {
            return false;
        }
        this.transition(to, reason, extra);
        return true;
    }
}
