// The units of work of a run over many inputs and what each gives back: a task runs the same
// way in this thread (--jobs 1) and on a worker thread, and gives back the reports already
// rendered in the run's format with their counts, so the main thread only places text and adds
// numbers, and the report is the same whatever the number of jobs. What is done to each item
// (lint it, or verify it as a device) is the job's ItemProcessor.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { InputReader, ReadItem } from '@graph-mtls/core';
import { fsPath, systemError } from '../inputs.ts';
import type { Rendered } from '../report/format.ts';
import { unpackItems, type PackedItems } from './items.ts';
import { LintProcessor, type LintJob, type LintTallyData } from './lint-items.ts';
import { VerifyProcessor, type VerifyJob, type VerifyTallyData } from './verify-items.ts';

/** What a run does and renders; plain data, so it crosses to worker threads. */
export type JobOptions = LintJob | VerifyJob;

export type TallyData = LintTallyData | VerifyTallyData;

/** What a job does to each item read, in whichever thread runs the task; made once per thread. */
export interface ItemProcessor<T extends TallyData = TallyData> {
  /** A reader for an input, with the job's limits. */
  reader(source: string): InputReader;
  /** Processes one item of `source` and renders its report. */
  add(item: ReadItem, source: string): void | Promise<void>;
  /** Renders an input that could not be read. */
  unreadable(source: string, message: string, code: string): void;
  /** Bytes rendered since the last take() into main, inputs and payloads. */
  sizes(): readonly [number, number, number];
  /** What was rendered since the last take(), in buffers of its own. */
  take(): Rendered;
  /** The counts since the last takeTally(). */
  takeTally(): T;
}

/** A run's totals on the main thread, to which each task's counts are added in input order. */
export interface RunTally {
  merge(data: TallyData): void;
  /** Certificates (lint) or devices (verify) so far, for the progress line. */
  readonly items: number;
}

function createProcessor(job: JobOptions): ItemProcessor {
  return job.kind === 'lint' ? new LintProcessor(job) : new VerifyProcessor(job);
}

/** Files read and processed where the task runs; one larger than `deferAbove` bytes is left to the main thread to stream. */
export interface FilesTask {
  readonly kind: 'files';
  readonly files: readonly { readonly source: string; readonly path: string | Uint8Array }[];
  readonly deferAbove: number;
}

/** A batch of items the main thread read from a streamed input: packed for a worker, as they are in this thread. */
export interface ItemsTask {
  readonly kind: 'items';
  readonly source: string;
  readonly items: PackedItems | readonly ReadItem[];
}

export type Task = FilesTask | ItemsTask;

/** Rendered reports (UTF-8) and their counts. */
export interface BatchResult extends Rendered {
  readonly tally: TallyData;
}

export type FileResult = { readonly deferred: true; readonly size: number } | { readonly deferred: false; readonly bytes: number; readonly result: BatchResult };

export type ResultOf<T extends Task> = T extends FilesTask ? FileResult[] : BatchResult;

/** Runs tasks of one job; made once per thread. */
export class TaskRunner {
  readonly #processor: ItemProcessor;
  #tail: Promise<void> = Promise.resolve();

  constructor(job: JobOptions) {
    this.#processor = createProcessor(job);
  }

  /** A reader for a streamed input, with the job's limits. */
  reader(source: string): InputReader {
    return this.#processor.reader(source);
  }

  /** Runs a task after the ones before it: they share the thread's renderer. */
  run<T extends Task>(task: T): Promise<ResultOf<T>> {
    return this.#queue(() => this.#run(task));
  }

  /** Renders an input that could not be read, in turn with the tasks. */
  unreadable(source: string, message: string, code: string): Promise<BatchResult> {
    return this.#queue(async () => {
      this.#processor.unreadable(source, message, code);
      return this.#result();
    });
  }

  #queue<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(work);
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  async #run<T extends Task>(task: T): Promise<ResultOf<T>> {
    if (task.kind === 'items') return (await this.#items(task)) as ResultOf<T>;
    return (await this.#files(task as FilesTask)) as ResultOf<T>;
  }

  /** Processes and renders one item at a time, so each report dies young. */
  async #items(task: ItemsTask): Promise<BatchResult> {
    const items = Array.isArray(task.items) ? (task.items as readonly ReadItem[]) : unpackItems(task.items as PackedItems);
    await this.#process(items, task.source);
    return this.#result();
  }

  async #process(items: readonly ReadItem[], source: string): Promise<void> {
    const processor = this.#processor;
    for (let i = 0; i < items.length; i++) {
      const pending = processor.add(items[i]!, source);
      if (pending !== undefined) await pending;
    }
  }

  #result(): BatchResult {
    const processor = this.#processor;
    return { ...processor.take(), tally: processor.takeTally() };
  }

  /**
   * Each file read and processed whole. Their reports are rendered one after the other and taken
   * once: each file's result is a view of the task's three buffers, so a task of 32 files
   * crosses back to the main thread with three buffers, not ninety-six.
   */
  async #files(task: FilesTask): Promise<FileResult[]> {
    const processor = this.#processor;
    // Per file: deferred with its size, or what it rendered (where its bytes end) and its counts.
    const done: ({ readonly size: number } | { readonly bytes: number; readonly tally: TallyData; readonly end: readonly [number, number, number] })[] = [];
    for (const file of task.files) {
      let read: { size: number; bytes?: Uint8Array };
      try {
        read = readUpTo(file.path, task.deferAbove);
      } catch (error) {
        const e = systemError(file.source, error);
        processor.unreadable(e.source, e.message, e.code);
        done.push({ bytes: 0, tally: processor.takeTally(), end: processor.sizes() });
        continue;
      }
      if (read.bytes === undefined) {
        done.push({ size: read.size });
        continue;
      }
      const items: ReadItem[] = [];
      const reader = this.reader(file.source);
      const emit = (item: ReadItem): void => {
        items.push(item);
      };
      reader.push(read.bytes, emit);
      reader.end(emit);
      await this.#process(items, file.source);
      done.push({ bytes: read.size, tally: processor.takeTally(), end: processor.sizes() });
    }
    const all = processor.take();
    let from: readonly [number, number, number] = [0, 0, 0];
    return done.map((d): FileResult => {
      if ('size' in d) return { deferred: true, size: d.size };
      const rendered: Rendered = { main: all.main.subarray(from[0], d.end[0]), inputs: all.inputs.subarray(from[1], d.end[1]), payloads: all.payloads.subarray(from[2], d.end[2]) };
      from = d.end;
      return { deferred: false, bytes: d.bytes, result: { ...rendered, tally: d.tally } };
    });
  }
}

/**
 * The file's size, and its bytes unless it is larger than `limit`. Synchronous on purpose: a
 * worker thread has nothing else to do meanwhile, and a promise-based read costs a thread
 * pool round trip per call (about 30 times a synchronous read on a small VM).
 */
function readUpTo(path: string | Uint8Array, limit: number): { size: number; bytes?: Uint8Array } {
  const fd = openSync(fsPath(path), 'r');
  try {
    const { size } = fstatSync(fd);
    if (size > limit) return { size };
    const bytes = new Uint8Array(size);
    let n = 0;
    while (n < size) {
      const read = readSync(fd, bytes, n, size - n, null);
      if (read === 0) break;
      n += read;
    }
    return n === size ? { size, bytes } : { size: n, bytes: bytes.subarray(0, n) };
  } finally {
    closeSync(fd);
  }
}
