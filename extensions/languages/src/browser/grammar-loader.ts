import { injectable } from '@theia/core/shared/inversify';
import { Endpoint } from '@theia/core/lib/browser/endpoint';
import { GRAMMARS_HTTP_PATH } from '../common/grammar-route';

export const GrammarLoader = Symbol('GrammarLoader');

/** Gets the studio's grammars from its own backend: never from the network beyond it. */
export interface GrammarLoader {
    /** The URL a grammar is served at (where the registry says it comes from). */
    urlOf(name: string): string;
    /** The grammar's JSON; fetched once, when first asked for. Rejects with what went wrong and what to do. */
    load(name: string): Promise<object>;
}

@injectable()
export class GrammarLoaderImpl implements GrammarLoader {

    /** One request per grammar, however many languages include it; a failed one is forgotten, so the next use tries again. */
    protected readonly loading = new Map<string, Promise<object>>();

    urlOf(name: string): string {
        return new Endpoint({ path: `${GRAMMARS_HTTP_PATH}/${encodeURIComponent(name)}` }).getRestUrl().toString();
    }

    load(name: string): Promise<object> {
        let grammar = this.loading.get(name);
        if (!grammar) {
            grammar = this.fetch(name);
            grammar.catch(() => this.loading.delete(name));
            this.loading.set(name, grammar);
        }
        return grammar;
    }

    protected async fetch(name: string): Promise<object> {
        const url = this.urlOf(name);
        let response: Response;
        try {
            response = await fetch(url, { credentials: 'same-origin' });
        } catch (error) {
            throw new Error(`Could not reach the studio for the ${name} grammar (${(error as Error).message}); syntax colouring returns once it is reachable again (reopen the file).`, { cause: error });
        }
        if (!response.ok) {
            throw new Error(`The studio refused the ${name} grammar (HTTP ${response.status} at ${url}): ${(await response.text()).slice(0, 300)}`);
        }
        return response.json();
    }
}
