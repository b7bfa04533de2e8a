import type OpenAI from 'openai';
import type { ToolCall } from './model-provider';
import { ErrorContext, parseToolArguments, providerError } from './sdk-error-mapping';

interface PendingCall {
    callId: string;
    name: string;
    /** The argument deltas so far; replaced by the full text when the call is done. */
    json: string;
    done: boolean;
}

/**
 * Assembles the function calls of one Responses stream. Each call is an output item, keyed by
 * its `output_index`: `response.output_item.added` brings `call_id` and `name`,
 * `response.function_call_arguments.delta` pieces of the arguments, and
 * `response.function_call_arguments.done` / `response.output_item.done` the whole arguments,
 * which win over the pieces (they are what OpenAI stored as the call).
 */
export class ResponsesFunctionCalls {
    private readonly calls = new Map<number, PendingCall>();

    constructor(private readonly context: ErrorContext) { }

    get size(): number {
        return this.calls.size;
    }

    /** `response.output_item.added` and `.done`: the call's identity, and when done its arguments. */
    item(outputIndex: number, item: OpenAI.Responses.ResponseFunctionToolCall, done: boolean): void {
        const call = this.pending(outputIndex);
        call.callId ||= item.call_id ?? '';
        call.name ||= item.name ?? '';
        if (done) {
            this.finish(outputIndex, item.arguments ?? call.json);
        }
    }

    /** `response.function_call_arguments.delta`. */
    argumentsDelta(outputIndex: number, delta: string): void {
        const call = this.pending(outputIndex);
        if (!call.done) {
            call.json += delta;
        }
    }

    /** `response.function_call_arguments.done`. */
    finish(outputIndex: number, json: string): void {
        const call = this.pending(outputIndex);
        call.json = json;
        call.done = true;
    }

    /**
     * The calls in output order. `onlyDone` leaves out calls cut short (a response that stopped
     * at max_output_tokens may end inside one: its arguments are not a whole JSON object).
     */
    complete(onlyDone: boolean): ToolCall[] {
        return [...this.calls.entries()]
            .sort(([a], [b]) => a - b)
            .filter(([, call]) => call.done || !onlyDone)
            .map(([index, call]) => {
                if (!call.callId || !call.name) {
                    throw providerError('malformed-stream', this.context, `sent function call #${index} without a call_id or a name`);
                }
                return { id: call.callId, name: call.name, arguments: parseToolArguments(call.json, this.context, call.name) };
            });
    }

    private pending(outputIndex: number): PendingCall {
        let call = this.calls.get(outputIndex);
        if (!call) {
            call = { callId: '', name: '', json: '', done: false };
            this.calls.set(outputIndex, call);
        }
        return call;
    }
}
