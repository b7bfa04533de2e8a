// The node side of @coditect/change-review as other packages see it (`@coditect/change-review/node`): nothing. Others use
// this extension only through its common/ protocol; Theia loads its node module by the path in theiaExtensions.
export { };
