// The browser side of @coditect/vscode-extensions as other packages see it (`@coditect/vscode-extensions/browser`): nothing.
// Theia loads its frontend module by the path in theiaExtensions.
export { };
