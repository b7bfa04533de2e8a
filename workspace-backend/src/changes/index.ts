export * from './change-set-types';
export { ChangeSets, InvalidReviewError, UnknownChangeSetError, type Reviewer, type ReviewWriter, type TaskWrite } from './change-sets';
export { Checkpoints, CheckpointsUnavailableError, InvalidHistoryRequestError, UnknownCheckpointError } from './checkpoints';
