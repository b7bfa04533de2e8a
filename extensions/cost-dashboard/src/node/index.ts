// The node side of @coditect/cost-dashboard as other packages see it (`@coditect/cost-dashboard/node`): nothing. Others use
// this extension only through its common/ protocol; Theia loads its node module by the path in theiaExtensions.
export { };
