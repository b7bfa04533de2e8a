// The browser side of @coditect/sql-console as other packages see it (`@coditect/sql-console/browser`): nothing. Others use
// this extension only through its common/ protocol; Theia loads its browser module by the path in theiaExtensions.
export { };
