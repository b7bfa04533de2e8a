import type OpenAI from 'openai';
import type { ConversationMessage, ModelRequest } from './model-provider';

type ResponseInputItem = OpenAI.Responses.ResponseInputItem;

/**
 * Our request as a Responses API request. Stateless on purpose: the orchestrator keeps the
 * conversation and sends all of it every turn, so `store: false` (nothing kept on OpenAI's
 * side, no `previous_response_id` to lose) and no item ids in `input`.
 */
export function toResponsesParams(request: ModelRequest): OpenAI.Responses.ResponseCreateParamsStreaming {
    return {
        model: request.model,
        ...(request.system ? { instructions: request.system } : {}),
        input: toResponsesInput(request.messages),
        ...(request.tools.length > 0 ? {
            tools: request.tools.map(tool => ({
                type: 'function' as const, name: tool.name, description: tool.description, parameters: tool.parameters,
                // Strict mode demands every property be required and additionalProperties false; our schemas have optional properties.
                strict: false,
            })),
        } : {}),
        ...(request.maxTokens !== undefined ? { max_output_tokens: request.maxTokens } : {}),
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        stream: true,
        store: false,
    };
}

/**
 * The history as Responses input items, in order: a user message; an assistant turn as its text
 * (an assistant message, left out when empty) followed by one `function_call` item per call; tool
 * results as `function_call_output` items matched to their call by `call_id`.
 *
 * The function calls carry no `id` (OpenAI's `fc_...` item id): with `store: false` an item id
 * refers to nothing, and OpenAI refuses a function call given by id without the reasoning item
 * that preceded it. The turn's reasoning is not replayed: OpenAI only accepts reasoning back as
 * the encrypted item it sent, which we do not request.
 */
export function toResponsesInput(messages: readonly ConversationMessage[]): ResponseInputItem[] {
    return messages.flatMap((message): ResponseInputItem[] => {
        switch (message.role) {
            case 'user':
                return [{ role: 'user', content: message.text }];
            case 'assistant':
                return [
                    ...(message.text ? [{ role: 'assistant' as const, content: message.text }] : []),
                    ...message.toolCalls.map(call => ({
                        type: 'function_call' as const, call_id: call.id, name: call.name, arguments: JSON.stringify(call.arguments),
                    })),
                ];
            case 'tool':
                // Function call outputs have no error flag; say it in the output, as for Chat Completions.
                return message.results.map(result => ({
                    type: 'function_call_output' as const, call_id: result.callId,
                    output: result.isError ? `Error: ${result.content}` : result.content,
                }));
        }
    });
}
