// The node side of @coditect/welcome as other packages see it (`@coditect/welcome/node`): nothing. Theia loads its
// backend module by the path in theiaExtensions.
export { };
