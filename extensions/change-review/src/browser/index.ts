// The browser side of @coditect/change-review as other packages see it (`@coditect/change-review/browser`): nothing. Others use
// this extension only through its common/ protocol; Theia loads its browser module by the path in theiaExtensions.
export { };
