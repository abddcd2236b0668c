// The units of work of a lint run and what each gives back: a task runs the same way in this
// thread (--jobs 1) and on a worker thread, and gives back the reports already rendered in the
// run's format with their counts, so the main thread only places text and adds numbers, and
// the report is the same whatever the number of jobs.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { InputReader, LintTally, Linter, unreadableInput, type LintItem, type LintStreamOptions, type PayloadKind, type ReadItem, type TlsClientAuthParameter } from '@graph-mtls/core';
import { createVerifier, nodeSha256 } from '../crypto.ts';
import { fsPath, systemError } from '../inputs.ts';
import { createRenderer, type Rendered, type Renderer, type RenderOptions } from '../report/format.ts';
import { unpackItems, type PackedItems } from './items.ts';

/** What a run is judged and rendered with; plain data, so it crosses to worker threads. */
export interface JobOptions {
  /** Milliseconds since the epoch. */
  readonly now: number;
  readonly expiryWarningDays?: number;
  /** Device certificates (not cA) must carry this field; without it every certificate is checked as a CA. */
  readonly parameter?: TlsClientAuthParameter;
  readonly payloadKind: PayloadKind | 'auto';
  readonly render: RenderOptions;
}

/** Files read and linted where the task runs; one larger than `deferAbove` bytes is left to the main thread to stream. */
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

export interface TallyData {
  readonly certificates: number;
  readonly errors: number;
  readonly warnings: number;
  readonly notices: number;
  readonly readable: boolean;
}

/** Rendered reports (UTF-8) and their counts. */
export interface BatchResult extends Rendered {
  readonly tally: TallyData;
}

export type FileResult = { readonly deferred: true; readonly size: number } | { readonly deferred: false; readonly bytes: number; readonly result: BatchResult };

export type ResultOf<T extends Task> = T extends FilesTask ? FileResult[] : BatchResult;

/** The lint options of a job in this thread, with this thread's verifier and node:crypto's SHA-256. */
function lintOptions(job: JobOptions): LintStreamOptions {
  return {
    now: new Date(job.now),
    role: job.parameter === undefined ? 'ca' : 'auto',
    verifier: createVerifier(),
    sha256: nodeSha256,
    payloadKind: job.payloadKind,
    ...(job.parameter === undefined ? {} : { parameter: job.parameter }),
    ...(job.expiryWarningDays === undefined ? {} : { expiryWarningDays: job.expiryWarningDays }),
  };
}

/** Runs tasks of one job; made once per thread. */
export class TaskRunner {
  readonly #options: LintStreamOptions;
  readonly #linter: Linter;
  readonly #renderer: Renderer;
  #tail: Promise<void> = Promise.resolve();

  constructor(job: JobOptions) {
    this.#options = lintOptions(job);
    this.#linter = new Linter(this.#options);
    this.#renderer = createRenderer(job.render);
  }

  /** A reader for a streamed input, with the job's limits. */
  reader(source: string): InputReader {
    return this.#linter.reader({ source });
  }

  /** Runs a task after the ones before it: they share the thread's renderer. */
  run<T extends Task>(task: T): Promise<ResultOf<T>> {
    return this.#queue(() => this.#run(task));
  }

  /** Renders reports made elsewhere (an input that could not be read), in turn with the tasks. */
  render(reports: readonly LintItem[], source: string): Promise<BatchResult> {
    return this.#queue(async () => this.#finish(reports, source));
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

  /** Renders reports of `source` and counts them. */
  #finish(reports: Iterable<LintItem>, source: string): BatchResult {
    const tally = new LintTally();
    for (const report of reports) {
      tally.add(report);
      this.#renderer.add(report, source);
    }
    return result(this.#renderer, tally);
  }

  /** Lints and renders one item at a time, so each report dies young. */
  async #items(task: ItemsTask): Promise<BatchResult> {
    const items = Array.isArray(task.items) ? (task.items as readonly ReadItem[]) : unpackItems(task.items as PackedItems);
    return result(this.#renderer, await this.#lintItems(items, task.source));
  }

  async #lintItems(items: readonly ReadItem[], source: string): Promise<LintTally> {
    const renderer = this.#renderer;
    const tally = new LintTally();
    for (let i = 0; i < items.length; i++) {
      const pending = this.#linter.lintItem(items[i]!);
      const report = pending instanceof Promise ? await pending : pending;
      tally.add(report);
      renderer.add(report, source);
    }
    return tally;
  }

  /**
   * Each file read and linted whole. Their reports are rendered one after the other and taken
   * once: each file's result is a view of the task's three buffers, so a task of 32 files
   * crosses back to the main thread with three buffers, not ninety-six.
   */
  async #files(task: FilesTask): Promise<FileResult[]> {
    const renderer = this.#renderer;
    // Per file: deferred with its size, or what it rendered (where its bytes end) and its counts.
    const done: ({ readonly size: number } | { readonly bytes: number; readonly tally: LintTally; readonly end: readonly [number, number, number] })[] = [];
    for (const file of task.files) {
      let read: { size: number; bytes?: Uint8Array };
      try {
        read = readUpTo(file.path, task.deferAbove);
      } catch (error) {
        const e = systemError(file.source, error);
        const report = unreadableInput(e.source, e.message, e.code);
        const tally = new LintTally();
        tally.add(report);
        renderer.add(report, file.source);
        done.push({ bytes: 0, tally, end: renderer.sizes() });
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
      done.push({ bytes: read.size, tally: await this.#lintItems(items, file.source), end: renderer.sizes() });
    }
    const all = renderer.take();
    let from: readonly [number, number, number] = [0, 0, 0];
    return done.map((d): FileResult => {
      if ('size' in d) return { deferred: true, size: d.size };
      const rendered: Rendered = { main: all.main.subarray(from[0], d.end[0]), inputs: all.inputs.subarray(from[1], d.end[1]), payloads: all.payloads.subarray(from[2], d.end[2]) };
      from = d.end;
      return { deferred: false, bytes: d.bytes, result: { ...rendered, tally: tallyData(d.tally) } };
    });
  }
}

function result(renderer: Renderer, tally: LintTally): BatchResult {
  const rendered = renderer.take();
  return { main: rendered.main, inputs: rendered.inputs, payloads: rendered.payloads, tally: tallyData(tally) };
}

function tallyData(tally: LintTally): TallyData {
  return { certificates: tally.certificates, errors: tally.errors, warnings: tally.warnings, notices: tally.notices, readable: tally.readable };
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
