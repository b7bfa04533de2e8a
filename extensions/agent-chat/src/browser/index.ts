// The browser side of @coditect/agent-chat as other packages see it (`@coditect/agent-chat/browser`): nothing. Others use
// this extension only through its common/ protocol; Theia loads its browser module by the path in theiaExtensions.
export { };
