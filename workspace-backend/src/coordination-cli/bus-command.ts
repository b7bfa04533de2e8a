import { CliError, CliValues, ExitCode, integerOption } from '../cli/cli-command';
import { formatBusMessage } from './bus-message-text';
import { followTopic } from './bus-subscription';
import { noMoreArguments, refuseOptions, wordsText } from './command-arguments';
import { CoordinationCommand } from './coordination-command';
import { SendArgs, sendMessage, topicName } from './send-command';

export type BusArgs =
    | { readonly subcommand: 'publish'; readonly send: SendArgs }
    | { readonly subcommand: 'subscribe'; readonly topic: string; readonly fromNow: boolean; readonly count?: number; readonly json: boolean };

const subcommands = ['publish', 'subscribe'] as const;

function parseSubscribe(values: CliValues, topic: string | undefined, rest: string[]): BusArgs {
    const example = 'coditect bus subscribe reviews';
    if (topic === undefined || topic.trim() === '') {
        throw new CliError(`Name the topic to follow: ${example} ('*' for every topic, 'build/*' for every topic under build/).`);
    }
    noMoreArguments(rest, `bus subscribe ${topic}`);
    return { subcommand: 'subscribe', topic: topic.trim(), fromNow: values['from-now'] === true, count: integerOption(values, 'count'), json: values.json === true };
}

export const busCommand: CoordinationCommand<BusArgs> = {
    name: 'bus',
    summary: 'Publish on a topic of the message bus, or follow one.',
    positionals: true,
    subcommands,
    help: `Usage:
  coditect bus publish <topic> <text...> [--json]
  coditect bus subscribe <topic> [--from-now] [--count <n>] [--json]

publish sends a message on a topic to every agent that subscribes to it (as coditect send --topic).

subscribe prints the topic's messages as they arrive (#id time sender -> topic: text), the last
20 first, until Ctrl+C. The topic may be '*' (every topic and direct message) or a prefix ending
in '/*' ('build/*'); quote it, or the shell expands it. With --json, one JSON object per line.

Options:
  --from-now    Print only messages that arrive from now on (subscribe)
  --count <n>   Exit after this many messages (subscribe; for scripts)
`,
    options: { 'from-now': { type: 'boolean' }, 'count': { type: 'string' } },
    parse(values, positionals) {
        const [subcommand, topic, ...rest] = positionals;
        if (subcommand === 'publish') {
            refuseOptions(values, ['from-now', 'count'], 'bus publish');
            const example = 'coditect bus publish reviews Please look at src/a.ts';
            return { subcommand, send: { topic: topicName(topic, example), text: wordsText(rest, 'what to publish', example), json: values.json === true } };
        }
        if (subcommand === 'subscribe') {
            return parseSubscribe(values, topic, rest);
        }
        throw new CliError(subcommand === undefined
            ? `Say what to do: coditect bus ${subcommands.join('|')} (see coditect bus --help).`
            : `Unknown bus command "${subcommand}"; use ${subcommands.join(' or ')}.`);
    },
    async run(args, studio, print) {
        if (args.subcommand === 'publish') {
            return sendMessage(args.send, studio, print);
        }
        const stop = new AbortController();
        const interrupt = () => stop.abort();
        // Ctrl+C is how a person ends a subscription: it is a clean end (exit 0), not a failure.
        process.once('SIGINT', interrupt);
        try {
            await followTopic(studio, { topic: args.topic, fromNow: args.fromNow, count: args.count, signal: stop.signal },
                message => print(args.json ? JSON.stringify(message) : formatBusMessage(message)));
        } catch (error) {
            if (!stop.signal.aborted) {
                throw error;
            }
        } finally {
            process.removeListener('SIGINT', interrupt);
        }
        return ExitCode.ok;
    },
};
