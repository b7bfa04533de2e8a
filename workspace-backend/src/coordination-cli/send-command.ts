import { CliError, ExitCode } from '../cli/cli-command';
import { ApiPath, BusMessage } from './api-types';
import { agentId, wordsText } from './command-arguments';
import { CoordinationCommand, jsonText, Print } from './coordination-command';
import { StudioClient } from './studio-client';
import { formatSent } from './bus-message-text';

/** What the API takes: a direct message `{ to, text }` or a published one `{ topic, text }`. */
export type SendRequest = { readonly to: string; readonly text: string } | { readonly topic: string; readonly text: string };

export type SendArgs = SendRequest & { readonly json: boolean };

/** Sends (or publishes) as the terminal's person and prints what the studio made of it. */
export async function sendMessage({ json, ...request }: SendArgs, studio: StudioClient, print: Print): Promise<number> {
    const message = await studio.post<BusMessage>(ApiPath.busMessages, request);
    print(json ? jsonText(message) : formatSent(message));
    return ExitCode.ok;
}

/** A topic as the API takes it: a name; a message is published to one topic, never to a pattern. */
export function topicName(text: string | undefined, example: string): string {
    const topic = (text ?? '').trim();
    if (topic === '') {
        throw new CliError(`Name the topic: ${example}.`);
    }
    if (topic.includes('*')) {
        throw new CliError(`Publish on one topic, not "${topic}": patterns with * are for coditect bus subscribe.`);
    }
    return topic;
}

export const sendCommand: CoordinationCommand<SendArgs> = {
    name: 'send',
    summary: 'Send an agent a message, or publish one on a topic.',
    positionals: true,
    help: `Usage:
  coditect send @<agent> <text...> [--json]
  coditect send --topic <topic> <text...> [--json]

Sends a message on the studio's message bus in your name: straight to one agent (the @ is
optional), or published on a topic to every agent that subscribes to it. The agent reads it on its
next turn.

Options:
  --topic <topic>   Publish on this topic instead of sending to one agent
`,
    options: { topic: { type: 'string' } },
    parse(values, positionals) {
        const json = values.json === true;
        if (values.topic !== undefined) {
            const example = 'coditect send --topic reviews Please look at src/a.ts';
            return { topic: topicName(values.topic as string, example), text: wordsText(positionals, 'what to publish', example), json };
        }
        const example = 'coditect send @gemini Please review src/a.ts';
        const [agent, ...words] = positionals;
        return { to: agentId(agent, example), text: wordsText(words, 'what to send', example), json };
    },
    run: sendMessage,
};
