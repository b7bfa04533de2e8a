// The node side of @coditect/agent-chat as other packages see it (`@coditect/agent-chat/node`): nothing. Others use
// this extension only through its common/ protocol; Theia loads its node module by the path in theiaExtensions.
export { };
