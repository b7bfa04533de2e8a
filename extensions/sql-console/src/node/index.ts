// The node side of @coditect/sql-console as other packages see it (`@coditect/sql-console/node`): nothing. Others use
// this extension only through its common/ protocol; Theia loads its node module by the path in theiaExtensions.
export { };
