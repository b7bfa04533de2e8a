// The browser side of @coditect/agent-activity as other packages see it (`@coditect/agent-activity/browser`): nothing. Others use
// this extension only through its common/ protocol; Theia loads its browser module by the path in theiaExtensions.
export { };
