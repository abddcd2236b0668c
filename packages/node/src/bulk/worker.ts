// A lint worker thread: runs the tasks the pool sends it (runTask, as in-process) with its own
// signature verifier, and answers each with plain data.

import { parentPort, workerData } from 'node:worker_threads';
import type { LintFilesOptions } from '../lint-files.ts';
import { runTask, type PortableLintOptions, type Task } from './tasks.ts';
import { createVerifier } from './verifier.ts';

const port = parentPort;
if (port === null) throw new Error('graph-mtls: bulk/worker.js runs as a worker thread');
const options: LintFilesOptions = {
  ...(workerData as { options: PortableLintOptions }).options,
  verifier: createVerifier(),
};

port.on('message', (message: { id: number; task: Task }) => {
  runTask(message.task, options).then(
    (result) => port.postMessage({ id: message.id, result }),
    (error: unknown) => port.postMessage({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
