// The browser side of @coditect/languages as other packages see it (`@coditect/languages/browser`): nothing. Others use
// this extension only through its common/ definitions; Theia loads its browser module by the path in theiaExtensions.
export { };
