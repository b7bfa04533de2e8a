// The browser side of @coditect/session-timeline as other packages see it (`@coditect/session-timeline/browser`): nothing. Others use
// this extension only through its common/ protocol; Theia loads its browser module by the path in theiaExtensions.
export { };
