// The node side of @coditect/session-timeline as other packages see it (`@coditect/session-timeline/node`): nothing. Others use
// this extension only through its common/ protocol; Theia loads its node module by the path in theiaExtensions.
export { };
