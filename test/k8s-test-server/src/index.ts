export * from './k8s-test-server';
export * from './pod-runner';
export { ApiError } from './status';
export type { Status, StatusCause, StatusDetails } from './status';
export type { KubeObject, ObjectMeta, OwnerReference } from './objects';
export { parseLabelSelector, matchesLabels, parseFieldSelector } from './selectors';
export { mergePatch, strategicMergePatch, jsonPatch } from './patch';
export { podNameLabel } from './statefulset-controller';
