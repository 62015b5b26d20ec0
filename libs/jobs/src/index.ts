export { createQueue, JobQueue, type JobConnection, type PerJobOptions } from './job-queue';
export { createWorker, JobWorker, parseJobPayload, type JobHandler, type JobWorkerOptions } from './job-worker';
export { JobHandlers } from './job-handlers';
export { jobSettings } from './job-settings';
