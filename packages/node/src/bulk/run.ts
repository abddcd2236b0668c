// A lint run over many inputs: files are linted in batches where they are read (in-process,
// or on worker threads when there are many), each large PEM input is streamed in chunks
// linted in parallel, and every result lands in its input's place, so the reports come out
// in the same order, byte for byte, whatever the number of jobs.

import { createReadStream } from 'node:fs';
import type { InputFile } from '../inputs.ts';
import { systemError } from '../inputs.ts';
import { unreadable, type CertificateSummary, type FileReport, type LintFilesOptions } from '../lint-files.ts';
import type { InputReport } from '@graph-mtls/core';
import { splitInput, type SplitOptions } from './chunks.ts';
import { inProcess, workerPool, type Executor } from './pool.ts';
import { relocate, type ChunkResult, type FilesTask, type PortableLintOptions } from './tasks.ts';

/** More files than this go to worker threads (when --jobs allows more than one). */
export const POOL_ABOVE_FILES = 64;

export const DEFAULT_SPLIT: SplitOptions = { streamAbove: 4 * 1024 * 1024, chunkBytes: 1024 * 1024, chunkBlocks: 1000 };

export interface Progress {
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly certificates: number;
  readonly bytes: number;
  /** True once a large input is being read in chunks. */
  readonly streaming: boolean;
}

export interface BulkOptions {
  /** Worker threads at most; 1 lints in this thread. */
  readonly jobs: number;
  readonly stdin?: NodeJS.ReadableStream;
  readonly onProgress?: (progress: Progress) => void;
  /** When inputs are streamed and how they are cut (tests make it small). */
  readonly split?: SplitOptions;
}

export interface BulkResult {
  /** One report per input, in the order of the inputs. */
  readonly reports: readonly FileReport[];
  readonly bytes: number;
  /** Threads that linted: 1 when everything ran in this thread. */
  readonly threads: number;
}

/** How much of a large input is read at a time. */
const READ_BYTES = 1024 * 1024;

/** Tasks in flight per thread: a thread awaiting a signature check lints another file meanwhile. */
const PER_THREAD = 3;

export async function lintInputs(files: readonly InputFile[], options: LintFilesOptions, bulk: BulkOptions): Promise<BulkResult> {
  const split = bulk.split ?? DEFAULT_SPLIT;
  const portable: PortableLintOptions = {
    now: options.now,
    ...(options.expiryWarningDays === undefined ? {} : { expiryWarningDays: options.expiryWarningDays }),
    ...(options.parameter === undefined ? {} : { parameter: options.parameter }),
    ...(options.payloadKind === undefined ? {} : { payloadKind: options.payloadKind }),
  };
  const local = inProcess(options);
  let pool: Executor | undefined;
  const parallel = (size: number): Executor => (bulk.jobs > 1 ? (pool ??= workerPool(Math.max(1, Math.min(bulk.jobs, size)), portable)) : local);

  const reports: (FileReport | undefined)[] = new Array<FileReport | undefined>(files.length);
  const later: number[] = [];
  let filesDone = 0;
  let certificates = 0;
  let bytes = 0;
  let streaming = false;
  const progress = (): void => bulk.onProgress?.({ filesDone, filesTotal: files.length, certificates, bytes, streaming });
  const settle = (i: number, report: FileReport, size: number): void => {
    reports[i] = report;
    filesDone++;
    if (report.type === 'certificates') certificates += report.report.certificates.length;
    bytes += size;
  };

  try {
    // Files: in batches where they are read; large ones come back to be streamed.
    const onDisk: number[] = [];
    files.forEach((f, i) => (f.path === undefined ? later.push(i) : onDisk.push(i)));
    if (onDisk.length > 0) {
      const threads = bulk.jobs > 1 && onDisk.length > POOL_ABOVE_FILES ? Math.min(bulk.jobs, Math.ceil(onDisk.length / 8)) : 1;
      const executor = threads > 1 ? parallel(threads) : local;
      const batch = Math.max(1, Math.min(32, Math.ceil(onDisk.length / (executor.threads * 8))));
      const limit = new Limit(executor.threads * PER_THREAD);
      const running: Promise<void>[] = [];
      for (let at = 0; at < onDisk.length; at += batch) {
        const indices = onDisk.slice(at, at + batch);
        const task: FilesTask = { kind: 'files', files: indices.map((i) => ({ source: files[i]!.source, path: files[i]!.path! })), deferAbove: split.streamAbove };
        await limit.acquire();
        running.push(
          quiet(
            executor
              .run(task)
              .then((outcomes) => {
                outcomes.forEach((o, k) => {
                  if (o.deferred) later.push(indices[k]!);
                  else settle(indices[k]!, o.report, o.bytes);
                });
                progress();
              })
              .finally(() => limit.release()),
          ),
        );
      }
      await Promise.all(running);
    }

    // Large files and stdin, one after the other, each in parallel chunks.
    later.sort((a, b) => a - b);
    for (const i of later) {
      const file = files[i]!;
      const stream = file.path === undefined ? (bulk.stdin ?? process.stdin) : createReadStream(file.path, { highWaterMark: READ_BYTES });
      // Counted as chunks finish, for the progress line; settled once the input is done.
      let countedCertificates = 0;
      let read = 0;
      let report: FileReport;
      try {
        report = await lintStream(file.source, readErrors(stream), split, local, bulk.jobs > 1 ? () => parallel(bulk.jobs) : () => local, () => pool ?? local, (size, n, chunked) => {
          streaming ||= chunked;
          read += size;
          bytes += size;
          countedCertificates += n;
          certificates += n;
          progress();
        });
      } catch (error) {
        if (!(error instanceof ReadError)) throw error;
        report = unreadable(systemError(file.source, error.error));
      }
      certificates -= countedCertificates;
      bytes -= read;
      settle(i, report, read);
      progress();
    }
    return { reports: reports.map((r) => r!), bytes, threads: pool?.threads ?? 1 };
  } finally {
    await pool?.close();
  }
}

/** A read failure of the input itself (it becomes the input's INPUT_FILE_UNREADABLE finding). */
class ReadError {
  constructor(readonly error: unknown) {}
}

async function* readErrors(stream: AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array | string> {
  try {
    for await (const chunk of stream) yield chunk as Uint8Array | string;
  } catch (error) {
    throw new ReadError(error);
  }
}

async function lintStream(
  source: string,
  stream: AsyncIterable<Uint8Array | string>,
  split: SplitOptions,
  local: Executor,
  chunkExecutor: () => Executor,
  wholeExecutor: () => Executor,
  onPiece: (bytes: number, certificates: number, chunked: boolean) => void,
): Promise<FileReport> {
  let executor: Executor | undefined;
  let limit: Limit | undefined;
  const chunks: Promise<ChunkResult>[] = [];
  try {
    for await (const piece of splitInput(stream, split)) {
      if (piece.kind === 'whole') {
        // Small ones (stdin) here; a large one that is not PEM text on a worker, if there is one.
        const runner = piece.bytes.length > split.streamAbove ? wholeExecutor() : local;
        const report = await runner.run({ kind: 'bytes', source, bytes: piece.bytes }, runner.threads === 1 ? [] : [piece.bytes.buffer as ArrayBuffer]);
        onPiece(piece.bytes.length, report.type === 'certificates' ? report.report.certificates.length : 0, false);
        return report;
      }
      executor ??= chunkExecutor();
      const l = (limit ??= new Limit(executor.threads * PER_THREAD));
      await l.acquire();
      const size = piece.bytes.length;
      const task = { kind: 'chunk', source, bytes: piece.bytes, lineOffset: piece.lineOffset, first: piece.first } as const;
      const result = executor.run(task, executor.threads === 1 ? [] : [piece.bytes.buffer as ArrayBuffer]).finally(() => l.release());
      chunks.push(quiet(result));
      quiet(result.then((r) => onPiece(size, r.certificates.length, true)));
    }
  } catch (error) {
    await Promise.allSettled(chunks);
    throw error;
  }
  // In input order: indices continue from the chunks before.
  const certificates: CertificateSummary[] = [];
  const inputs: InputReport[] = [];
  let base = 0;
  let noBlocks: InputReport | undefined;
  for (const r of await Promise.all(chunks)) {
    const placed = relocate(r, 0, base);
    base += r.indexCount;
    for (const c of placed.certificates) certificates.push(c);
    for (const x of placed.inputs) inputs.push(x);
    noBlocks ??= r.noBlocks;
  }
  if (base === 0 && noBlocks !== undefined) inputs.push(noBlocks);
  return { type: 'certificates', source, report: { certificates, inputs } };
}

/** A promise whose rejection is handled by whoever awaits it later, never reported as unhandled. */
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/** At most `size` at once. */
class Limit {
  #free: number;
  readonly #waiting: (() => void)[] = [];
  constructor(size: number) {
    this.#free = size;
  }
  async acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }
  release(): void {
    const next = this.#waiting.shift();
    if (next !== undefined) next();
    else this.#free++;
  }
}
