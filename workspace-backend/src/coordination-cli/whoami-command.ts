import { ExitCode } from '../cli/cli-command';
import { ApiPath, WhoAmI } from './api-types';
import { CoordinationCommand, jsonText } from './coordination-command';

const viaText: Record<WhoAmI['via'], string> = {
    'terminal': 'signed in through this terminal',
    'agent-token': 'signed in with an agent token',
    'sign-in': 'signed in as a person (a session, the local token or a JWT)',
};

/** `Ada (user:ada), admin, signed in through this terminal`. */
export function formatWhoAmI(me: WhoAmI): string {
    const role = me.role ?? (me.kind === 'agent' ? 'agent' : undefined);
    return [`${me.displayName} (${me.id})`, role, viaText[me.via] ?? `signed in by ${me.via}`].filter(Boolean).join(', ');
}

export const whoamiCommand: CoordinationCommand<{ json: boolean }> = {
    name: 'whoami',
    summary: 'Who this terminal acts as in the studio.',
    help: `Usage: coditect whoami [--json]

Prints who the terminal's token stands for (the person who opened the terminal), their role, and
how they are signed in. Locks, tasks and messages you make from this terminal are in this name.
`,
    options: {},
    parse(values) {
        return { json: values.json === true };
    },
    async run({ json }, studio, print) {
        const me = await studio.get<WhoAmI>(ApiPath.whoami);
        print(json ? jsonText(me) : formatWhoAmI(me));
        return ExitCode.ok;
    },
};
