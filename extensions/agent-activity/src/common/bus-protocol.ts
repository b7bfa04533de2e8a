/** The message bus's HTTP API (node/bus-http-endpoint.ts): `GET|POST <path>/messages`. */
export const BUS_HTTP_PATH = '/coditect/api/bus';
