// The browser side of @coditect/cost-dashboard as other packages see it (`@coditect/cost-dashboard/browser`): nothing. Others use
// this extension only through its common/ protocol; Theia loads its browser module by the path in theiaExtensions.
export { };
