// The browser side of @coditect/file-locks as other packages see it (`@coditect/file-locks/browser`): nothing. Others use
// this extension only through its common/ protocol; Theia loads its browser module by the path in theiaExtensions.
export { };
