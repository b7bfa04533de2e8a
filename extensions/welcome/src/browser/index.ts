// The browser side of @coditect/welcome as other packages see it (`@coditect/welcome/browser`): nothing. Theia loads its
// frontend module by the path in theiaExtensions.
export { };
