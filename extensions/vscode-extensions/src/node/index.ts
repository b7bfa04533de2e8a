// The node side of @coditect/vscode-extensions as other packages see it (`@coditect/vscode-extensions/node`): nothing.
// Theia loads its node module by the path in theiaExtensions.
export { };
