import { BusMessage } from '@coditect/workspace-backend';
import { BadRequestError, JsonApi, JsonApiEndpoint, JsonRequest, optionalString, positiveQueryNumber } from '@coditect/studio-platform/node';
import { injectable } from '@theia/core/shared/inversify';
import { BUS_HTTP_PATH } from '../common/bus-protocol';

/** How many messages a read gives by default, and at most. */
const DefaultLimit = 50;
const MaxLimit = 500;

/**
 * The message bus over HTTP, for people's scripts and agents outside the studio (a CLI agent in the
 * terminal, with an agent token), so they talk to the workspace's agents by the same rules:
 *
 *   GET  /coditect/api/bus/messages?limit=50                      -> { messages } (the latest, newest last)
 *   GET  /coditect/api/bus/messages?topic=reviews&after=41        -> { messages } (those after #41 on `reviews`, oldest first:
 *                                                                    how `coditect bus subscribe` follows a topic; `*` and `build/*` too)
 *   POST /coditect/api/bus/messages  { to: "gemini", text }       -> 201 message (a direct message)
 *   POST /coditect/api/bus/messages  { topic: "reviews", text }   -> 201 message (to the topic's subscribers)
 *
 * Invariant: a message is sent as the request's principal (a person as `user:<name>`, an agent token
 * as its agent id); nothing in the body chooses the sender.
 */
@injectable()
export class BusHttpEndpoint extends JsonApiEndpoint {

    protected api(): JsonApi {
        return {
            basePath: BUS_HTTP_PATH, bodyLimit: '64kb', bodyExample: '{"to":"gemini","text":"please review src/a.ts"}',
            routes: [
                {
                    method: 'GET', path: '/messages', action: 'workspace.read',
                    handle: ({ core, request }) => ({
                        status: 200, body: {
                            messages: core.orchestrator.bus.recent(Math.min(MaxLimit, positiveQueryNumber(request.query, 'limit') ?? DefaultLimit), {
                                topic: optionalString(request.query.topic, 'topic'), afterId: positiveQueryNumber(request.query, 'after', 0),
                            }),
                        },
                    }),
                },
                { method: 'POST', path: '/messages', action: 'bus.send', handle: input => this.send(input) },
            ],
        };
    }

    protected send({ request, core, principal }: JsonRequest): { status: number; body: BusMessage } {
        const body = request.body ?? {};
        if (typeof body.text !== 'string') {
            throw new BadRequestError('"text" must be the message, a string.');
        }
        return { status: 201, body: core.orchestrator.publishMessage(principal, { to: optionalString(body.to, 'to'), topic: optionalString(body.topic, 'topic') }, body.text) };
    }
}
