// The node side of @coditect/file-locks as other packages see it (`@coditect/file-locks/node`): nothing. Others use
// this extension only through its common/ protocol; Theia loads its node module by the path in theiaExtensions.
export { };
