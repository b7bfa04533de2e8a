import { CliError, ExitCode } from '../cli/cli-command';
import { StudioClient } from './studio-client';

export const missingEnvironmentMessage = 'coditect talks to the studio it runs in: CODITECT_API_URL and CODITECT_TOKEN are set in every terminal the studio opens. '
    + 'Open a terminal in the studio (Terminal > New Terminal), or set both (an admin issues a token with coditect-workspace token create).';

/** The environment does not say which studio to talk to, or as whom: the message stands on its own (no command prefix). */
export class StudioEnvironmentError extends CliError {
    constructor(message: string) {
        super(message, ExitCode.usage);
        this.name = 'StudioEnvironmentError';
    }
}

/** The client of the studio this terminal belongs to, from the two variables the studio sets in it. */
export function studioFromEnvironment(env: NodeJS.ProcessEnv): StudioClient {
    const url = env.CODITECT_API_URL?.trim();
    const token = env.CODITECT_TOKEN?.trim();
    if (!url || !token) {
        throw new StudioEnvironmentError(missingEnvironmentMessage);
    }
    let parsed: URL | undefined;
    try {
        parsed = new URL(url);
    } catch {
        parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
        throw new StudioEnvironmentError(`CODITECT_API_URL is "${url}", not the studio's address such as http://127.0.0.1:3000; `
            + 'open a new terminal in the studio, or set it to the address the studio is served at.');
    }
    // A header carries only visible ASCII: say so here (never echoing the token) rather than let fetch fail obscurely.
    if (!/^[\x21-\x7e]+$/.test(token)) {
        throw new StudioEnvironmentError('CODITECT_TOKEN is not a token the studio issues (it has spaces or characters a token never has); '
            + 'open a new terminal in the studio, or set it to the token an admin issued.');
    }
    return new StudioClient(url.replace(/\/+$/, ''), token);
}
