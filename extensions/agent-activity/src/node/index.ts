// The node side of @coditect/agent-activity as other packages see it (`@coditect/agent-activity/node`): nothing. Others use
// this extension only through its common/ protocol; Theia loads its node module by the path in theiaExtensions.
export { };
