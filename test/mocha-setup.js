// Loaded by every package's mocha before its specs (see each .mocharc.json).
// Theia's code needs decorator metadata, ignores style imports in Node, and its browser code
// uses DOM classes jsdom lacks.
require('reflect-metadata');
require('ignore-styles');
if (typeof globalThis.DragEvent === 'undefined') {
    globalThis.DragEvent = class DragEvent {};
}
