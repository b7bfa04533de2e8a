import type { ExpectedToolResult, WireProtocol } from './fixture';

/**
 * How each vendor frames its streams, paths its endpoints and sends its key. The framing is
 * what the SDKs parse, so it follows the vendors byte for byte where it matters:
 *  - Anthropic: `event: <type>\ndata: <json>\n\n`, the event name repeating the JSON's `type`.
 *  - OpenAI Responses: `event: <type>\ndata: <json>\n\n` like Anthropic, no terminator: the
 *    stream ends after `response.completed` (or `.incomplete` / `.failed`).
 *  - Chat Completions (Moonshot): `data: <json>\n\n`, ended by `data: [DONE]\n\n`.
 *  - Gemini (`alt=sse`): `data: <json>\r\n\r\n`, no terminator; the stream just ends.
 */
export interface WireFormat {
    readonly contentType: string;
    /** The base URL to give the SDK, from the server's origin. */
    baseUrl(origin: string): string;
    /** Whether a request path is this protocol's streaming endpoint. */
    matchesPath(path: string): boolean;
    frame(event: Record<string, unknown>): string;
    readonly terminator: string;
    /** The key the client sent, from this vendor's auth header. */
    keyFrom(headers: Record<string, string | string[] | undefined>): string | undefined;
    /** The tool results at the end of a request body, in request order. */
    toolResultsIn(body: unknown): ExpectedToolResult[];
}

type Json = Record<string, unknown>;
const asArray = (value: unknown): Json[] => (Array.isArray(value) ? value as Json[] : []);
const header = (headers: Record<string, string | string[] | undefined>, name: string): string | undefined => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
};

const anthropic: WireFormat = {
    contentType: 'text/event-stream; charset=utf-8',
    baseUrl: origin => origin,
    matchesPath: path => path === '/v1/messages',
    frame: event => `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`,
    terminator: '',
    // SDK 1.x sends the key as a bearer token; older clients used x-api-key. Accept both.
    keyFrom: headers => header(headers, 'x-api-key') ?? header(headers, 'authorization')?.replace(/^Bearer\s+/i, ''),
    toolResultsIn: body => {
        const last = asArray((body as Json).messages).at(-1);
        return last?.role !== 'user' ? [] : asArray(last.content)
            .filter(block => block.type === 'tool_result')
            .map(block => ({ callId: String(block.tool_use_id), content: typeof block.content === 'string' ? block.content : JSON.stringify(block.content) }));
    },
};

const openaiResponses: WireFormat = {
    contentType: 'text/event-stream; charset=utf-8',
    baseUrl: origin => `${origin}/v1`,
    matchesPath: path => path === '/v1/responses',
    frame: event => `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`,
    terminator: '',
    keyFrom: headers => header(headers, 'authorization')?.replace(/^Bearer\s+/i, ''),
    // The results answering the last turn are the function_call_output items that end `input`.
    toolResultsIn: body => {
        const input = asArray((body as Json).input);
        const results: ExpectedToolResult[] = [];
        for (let i = input.length - 1; i >= 0 && input[i].type === 'function_call_output'; i--) {
            const output = input[i].output;
            results.unshift({ callId: String(input[i].call_id), content: typeof output === 'string' ? output : JSON.stringify(output) });
        }
        return results;
    },
};

const openaiChat: WireFormat = {
    contentType: 'text/event-stream; charset=utf-8',
    baseUrl: origin => `${origin}/v1`,
    matchesPath: path => path === '/v1/chat/completions',
    frame: event => `data: ${JSON.stringify(event)}\n\n`,
    terminator: 'data: [DONE]\n\n',
    keyFrom: headers => header(headers, 'authorization')?.replace(/^Bearer\s+/i, ''),
    toolResultsIn: body => {
        const messages = asArray((body as Json).messages);
        const results: ExpectedToolResult[] = [];
        for (let i = messages.length - 1; i >= 0 && messages[i].role === 'tool'; i--) {
            results.unshift({ callId: String(messages[i].tool_call_id), content: String(messages[i].content) });
        }
        return results;
    },
};

const gemini: WireFormat = {
    contentType: 'text/event-stream',
    baseUrl: origin => origin,
    matchesPath: path => /^\/v1(beta)?\/models\/[^/:]+:streamGenerateContent\?alt=sse$/.test(path),
    frame: event => `data: ${JSON.stringify(event)}\r\n\r\n`,
    terminator: '',
    keyFrom: headers => header(headers, 'x-goog-api-key'),
    toolResultsIn: body => {
        const last = asArray((body as Json).contents).at(-1);
        return last?.role !== 'user' ? [] : asArray(last.parts)
            .filter(part => part.functionResponse !== undefined)
            .map(part => {
                const response = part.functionResponse as Json;
                const payload = (response.response ?? {}) as Json;
                return { callId: String(response.id ?? response.name), content: String(payload.output ?? payload.error) };
            });
    },
};

export const WireFormats: Readonly<Record<WireProtocol, WireFormat>> = {
    'anthropic-messages': anthropic,
    'openai-responses': openaiResponses,
    'openai-chat': openaiChat,
    'gemini': gemini,
};

/** A 400 body in the vendor's error shape, for requests the fixture did not expect. */
export function badRequestBody(wire: WireProtocol, message: string): unknown {
    switch (wire) {
        case 'anthropic-messages': return { type: 'error', error: { type: 'invalid_request_error', message } };
        case 'openai-responses':
        case 'openai-chat': return { error: { message, type: 'invalid_request_error', param: null, code: null } };
        case 'gemini': return { error: { code: 400, message, status: 'INVALID_ARGUMENT' } };
    }
}
