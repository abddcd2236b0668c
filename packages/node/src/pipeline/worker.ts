// A worker thread of a run (lint or verify): runs the tasks the pool sends it (the same TaskRunner as in-process)
// and answers each with its rendered reports, their UTF-8 buffers transferred, not copied.

import { parentPort, workerData } from 'node:worker_threads';
import { TaskRunner, type BatchResult, type FileResult, type JobOptions, type Task } from './tasks.ts';

const port = parentPort;
if (port === null) throw new Error('graph-mtls: pipeline/worker.js runs as a worker thread');
const runner = new TaskRunner((workerData as { job: JobOptions }).job);
/** The result's buffers, to be transferred once each (a task's files share their buffers). */
function buffers(result: BatchResult, transfer: Set<ArrayBuffer>): BatchResult {
  for (const bytes of [result.main, result.inputs, result.payloads]) if (bytes.length > 0) transfer.add(bytes.buffer as ArrayBuffer);
  return result;
}

port.on('message', (message: { id: number; task: Task }) => {
  runner.run(message.task).then(
    (result) => {
      const transfer = new Set<ArrayBuffer>();
      const sent = Array.isArray(result) ? (result as FileResult[]).map((r) => (r.deferred ? r : { ...r, result: buffers(r.result, transfer) })) : buffers(result as BatchResult, transfer);
      port.postMessage({ id: message.id, result: sent }, [...transfer]);
    },
    (error: unknown) => port.postMessage({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
