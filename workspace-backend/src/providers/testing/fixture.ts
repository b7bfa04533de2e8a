/**
 * A recorded exchange with one vendor, replayed by the fixture server: request N gets turn N.
 * Fixtures are TypeScript modules (not JSON files) so that tsc carries them into lib/ and
 * the demo and e2e tests can load them from the compiled package.
 */

/** The wire protocols the fixture server speaks: OpenAI's Responses API for OpenAI, its Chat Completions for Moonshot. */
export type WireProtocol = 'anthropic-messages' | 'openai-responses' | 'openai-chat' | 'gemini';

export interface Fixture {
    readonly wire: WireProtocol;
    /** What the recording shows, for whoever reads a failing test. */
    readonly description: string;
    readonly turns: readonly FixtureTurn[];
}

/** A tool result the request answering a turn must carry (checked against the vendor's request shape). */
export interface ExpectedToolResult {
    readonly callId: string;
    readonly content: string;
}

export interface FixtureTurn {
    /** When set, the request must end with exactly these tool results, else the server answers 400 and records a failure. */
    readonly expectToolResults?: readonly ExpectedToolResult[];
    /** This turn answers every request from here on (for "retried N times" fixtures). */
    readonly repeat?: boolean;
    readonly response: FixtureStream | FixtureError;
}

/** A 200 streaming answer: each event is one SSE message, in the vendor's framing. */
export interface FixtureStream {
    readonly kind: 'stream';
    readonly events: readonly Record<string, unknown>[];
    /**
     * Breaks the stream after this many events: 'destroy' drops the connection (a network cut),
     * 'end' finishes the HTTP response cleanly as if the vendor stopped talking mid-message,
     * 'stall' keeps the connection open and silent (until the server stops).
     */
    readonly cut?: { readonly afterEvents: number; readonly how: 'destroy' | 'end' | 'stall' };
}

/** An HTTP error answer. Strings in `body` may contain `{{apiKey}}`, replaced by the key the client sent (to test masking). */
export interface FixtureError {
    readonly kind: 'error';
    readonly status: number;
    readonly headers?: Readonly<Record<string, string>>;
    readonly body: unknown;
}
