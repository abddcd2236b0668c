// A run over many inputs as one stream (lint, or verify devices): files are read and processed
// in batches where they are read (in this thread, or on worker threads when there are many); a
// large file or stdin is read here in pieces by the core's InputReader and its items are
// processed in batches, on workers once the input proves large. Every batch comes back rendered and is placed in the
// report in input order as soon as the ones before it are, so memory stays bounded whatever
// the number of inputs or certificates, and the bytes are the same whatever the number of jobs.

import { createReadStream } from 'node:fs';
import type { ReadItem } from '@graph-mtls/core';
import { fsPath, systemError, type FileError, type InputFile } from '../inputs.ts';
import type { DocumentBody } from '../report/format.ts';
import { packItems, transferList } from './items.ts';
import { inProcess, workerPool, type Executor } from './pool.ts';
import { TaskRunner, type BatchResult, type FileResult, type ItemsTask, type JobOptions, type RunTally } from './tasks.ts';

export interface Progress {
  readonly filesDone: number;
  readonly filesTotal: number;
  /** Certificates linted, or devices verified. */
  readonly certificates: number;
  readonly bytes: number;
  /** True once a large input is being read in batches. */
  readonly streaming: boolean;
}

/**
 * When work goes to worker threads and how inputs are cut; tests make them small. The
 * defaults come from runs on a 2-core VM (fleet certificates, JSON to a file, --jobs 1 and 2
 * interleaved): a worker costs about 90 ms to start and warms up its own compiled code, so
 * in-process linting wins below about 28,000 single-certificate files (20,000: 1.39 s vs
 * 1.52 s; 100,000: 5.15 s vs 4.05 s) and below about 40 MB of streamed PEM (22 MB: 0.89 s vs
 * 1.07 s; 44 MB: 1.37 s vs 1.34 s).
 */
export interface Tuning {
  /** More files than this go to worker threads (when jobs allow more than one). */
  readonly poolAboveFiles: number;
  /** Files larger than this are read here, in pieces, instead of whole on a worker. */
  readonly streamAbove: number;
  /** A streamed input's items go to workers once this many of its bytes have been read. */
  readonly poolAboveBytes: number;
  /** A streamed input's batch ends after the piece that brings it to this many items. */
  readonly batchItems: number;
  /** Bytes read at a time from a streamed file. */
  readonly readBytes: number;
}

export const DEFAULT_TUNING: Tuning = {
  poolAboveFiles: 30_000,
  streamAbove: 4 * 1024 * 1024,
  poolAboveBytes: 40 * 1024 * 1024,
  batchItems: 512,
  readBytes: 1024 * 1024,
};

/** With --jobs given, workers are used whenever there is work to share (the user asked for them). */
export const GIVEN_JOBS_TUNING: Partial<Tuning> = { poolAboveFiles: 64, poolAboveBytes: 4 * 1024 * 1024 };

export interface PipelineOptions {
  readonly job: JobOptions;
  /** Where the run's counts are added up (LintRunTally, VerifyRunTally). */
  readonly tally: RunTally;
  /** Worker threads at most; 1 works in this thread. */
  readonly jobs: number;
  readonly stdin?: NodeJS.ReadableStream;
  readonly onProgress?: (progress: Progress) => void;
  readonly tuning?: Partial<Tuning>;
}

export interface PipelineResult {
  /** Inputs reported: files, stdin and paths that could not be expanded. */
  readonly inputs: number;
  readonly bytes: number;
  /** Threads that worked: 1 when everything ran in this thread. */
  readonly threads: number;
}

/** Tasks out per thread: a worker has the next batch queued while the main thread places its last. */
const PER_THREAD = 3;

export async function runPipeline(files: readonly InputFile[], unreadable: readonly FileError[], doc: DocumentBody, options: PipelineOptions): Promise<PipelineResult> {
  const tuning: Tuning = { ...DEFAULT_TUNING, ...options.tuning };
  const runner = new TaskRunner(options.job);
  const local = inProcess(runner);
  let pool: Executor | undefined;
  const poolOf = (threads: number): Executor => (pool ??= workerPool(threads, options.job));
  const tally = options.tally;
  let bytes = 0;
  let filesDone = 0;
  let streaming = false;
  const progress = (): void => options.onProgress?.({ filesDone, filesTotal: files.length, certificates: tally.items, bytes, streaming });
  const place = async (result: BatchResult): Promise<void> => {
    await doc.add(result);
    tally.merge(result.tally);
  };
  const whole = async (source: string, result: BatchResult): Promise<void> => {
    doc.startInput(source);
    await place(result);
    await doc.endInput();
  };

  /** A large file (its size as a worker found it) or stdin: read here, its items processed in batches, in order. */
  const stream = async (file: InputFile, size = 0): Promise<void> => {
    doc.startInput(file.source);
    const reader = runner.reader(file.source);
    const window = new Window();
    let items: ReadItem[] = [];
    let read = 0;
    let batches = 0;
    // A file known to be large goes to workers from its first batch; stdin once it proves large.
    let parallel = options.jobs > 1 && size > tuning.poolAboveBytes;
    const emit = (item: ReadItem): void => {
      items.push(item);
    };
    const flush = async (): Promise<void> => {
      if (items.length === 0) return;
      const batch = items;
      items = [];
      if (++batches > 1) streaming = true;
      parallel ||= options.jobs > 1 && read > tuning.poolAboveBytes;
      const executor = parallel ? poolOf(options.jobs) : local;
      let task: ItemsTask = { kind: 'items', source: file.source, items: batch };
      let transfer: ArrayBuffer[] = [];
      if (executor !== local) {
        const packed = packItems(file.source, batch);
        task = { kind: 'items', source: file.source, items: packed };
        transfer = transferList(packed);
      }
      await window.add(executor.threads * PER_THREAD, executor.run(task, transfer), async (result) => {
        await place(result);
        progress();
      });
    };
    let failure: unknown;
    const source = file.path === undefined ? (options.stdin ?? process.stdin) : createReadStream(fsPath(file.path), { highWaterMark: tuning.readBytes });
    try {
      for await (const chunk of source) {
        const piece = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array);
        read += piece.length;
        bytes += piece.length;
        reader.push(piece, emit);
        if (items.length >= tuning.batchItems) {
          // The batch's buffers become its own, to be transferred.
          reader.cut();
          await flush();
        }
        if (reader.done) break;
      }
    } catch (error) {
      failure = error;
    }
    reader.end(emit);
    await flush();
    await window.drain();
    if (failure !== undefined) {
      // What was read is reported; the failure is one more finding of this input.
      const e = systemError(file.source, failure);
      await place(await runner.unreadable(e.source, read > 0 ? `${e.message} (after ${read} bytes)` : e.message, e.code));
    }
    await doc.endInput();
  };

  try {
    for (const e of unreadable) await whole(e.source, await runner.unreadable(e.source, e.message, e.code));

    let onDisk = 0;
    for (const f of files) if (f.path !== undefined) onDisk++;
    const threads = options.jobs > 1 && onDisk > tuning.poolAboveFiles ? Math.min(options.jobs, Math.ceil(onDisk / 8)) : 1;
    const executor = threads > 1 ? poolOf(threads) : local;
    const batch = Math.max(1, Math.min(32, Math.ceil(onDisk / (executor.threads * 8))));
    const window = new Window();
    for (let i = 0; i < files.length; ) {
      const file = files[i]!;
      if (file.path === undefined) {
        await window.drain();
        await stream(file);
        filesDone++;
        progress();
        i++;
        continue;
      }
      const group: { source: string; path: string | Uint8Array }[] = [];
      for (; i < files.length && files[i]!.path !== undefined && group.length < batch; i++) group.push({ source: files[i]!.source, path: files[i]!.path! });
      await window.add(executor.threads * PER_THREAD, executor.run({ kind: 'files', files: group, deferAbove: tuning.streamAbove }), async (results: FileResult[]) => {
        for (let k = 0; k < results.length; k++) {
          const r = results[k]!;
          if (r.deferred) await stream(group[k]!, r.size);
          else {
            bytes += r.bytes;
            await whole(group[k]!.source, r.result);
          }
          filesDone++;
        }
        progress();
      });
    }
    await window.drain();
    return { inputs: unreadable.length + files.length, bytes, threads: pool?.threads ?? 1 };
  } finally {
    await pool?.close();
  }
}

/**
 * Tasks in flight, placed in the order they were added: add() waits (placing the oldest)
 * while `limit` are out, so at most that many results are held at a time.
 */
class Window {
  readonly #queue: { readonly result: Promise<unknown>; readonly place: (value: never) => Promise<void> }[] = [];

  async add<T>(limit: number, result: Promise<T>, place: (value: T) => Promise<void>): Promise<void> {
    result.catch(() => undefined); // awaited in order below; never an unhandled rejection meanwhile
    this.#queue.push({ result, place: place as (value: never) => Promise<void> });
    while (this.#queue.length > limit) await this.#next();
  }

  async drain(): Promise<void> {
    while (this.#queue.length > 0) await this.#next();
  }

  async #next(): Promise<void> {
    const head = this.#queue.shift()!;
    await head.place((await head.result) as never);
  }
}
