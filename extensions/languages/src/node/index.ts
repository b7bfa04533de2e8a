// The node side of @coditect/languages as other packages see it (`@coditect/languages/node`): nothing. Others use
// this extension only through its common/ definitions; Theia loads its node module by the path in theiaExtensions.
export { };
