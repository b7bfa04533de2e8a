/**
 * The studio's backend serves each grammar of `StudioGrammars` at `${GRAMMARS_HTTP_PATH}/<name>`
 * (its JSON file from the `tm-grammars` package) to a signed-in browser. The frontend fetches one
 * when a language that needs it is first used, so no grammar weighs on the frontend bundle or on
 * the start.
 */
export const GRAMMARS_HTTP_PATH = '/coditect/grammars';
