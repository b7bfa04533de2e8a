// node-diff3 declares its types only under `exports`, which `moduleResolution: node` does not read.
declare module 'node-diff3' {
    export * from 'node-diff3/src/diff3';
}
