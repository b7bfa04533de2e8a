import type { Application, Request, Response } from '@theia/core/shared/express';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { injectable } from '@theia/core/shared/inversify';
import { mountHttpRoute } from '@coditect/studio-platform/node';
import { GRAMMARS_HTTP_PATH } from '../common/grammar-route';
import { StudioGrammars } from '../common/language-definitions';
import { isStudioGrammarName, readGrammar } from './grammar-files';

/**
 * `GET /coditect/grammars/<name>`: one grammar of `StudioGrammars` as JSON, to anyone signed in
 * (a grammar is public data; the route sits behind the studio's sign-in like every other). Nothing
 * else is reachable through it: the name must be one of the studio's grammars, so no path is
 * built from the request. A grammar is serialised once and kept; the browser may keep it an hour
 * and revalidates it by its ETag after that (a new studio version may ship a newer grammar).
 */
@injectable()
export class GrammarEndpoint implements BackendApplicationContribution {

    protected readonly serialised = new Map<string, string>();

    configure(app: Application): void {
        mountHttpRoute(app, { method: 'GET', path: `${GRAMMARS_HTTP_PATH}/:name`, access: 'signed-in' }, (request, response) => this.handle(request, response));
    }

    protected handle(request: Request, response: Response): void {
        const name = String(request.params.name);
        if (!isStudioGrammarName(name)) {
            response.status(404).type('text/plain')
                .send(`The studio has no grammar "${name}"; it serves ${StudioGrammars.map(g => g.name).join(', ')}.`);
            return;
        }
        let json = this.serialised.get(name);
        if (json === undefined) {
            json = JSON.stringify(readGrammar(name));
            this.serialised.set(name, json);
        }
        response.setHeader('Cache-Control', 'private, max-age=3600');
        response.type('application/json').send(json);
    }
}
