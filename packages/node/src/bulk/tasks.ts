// The units of work of a lint run, and what each gives back, as plain data: a task runs the
// same way in-process (--jobs 1) and in a worker thread, so every output format renders from
// the same results whatever the number of jobs.

import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { lint, type InputLocation, type InputReport, type LintReport, type PayloadKind, type TlsClientAuthParameter } from '@graph-mtls/core';
import { systemError } from '../inputs.ts';
import { coreLintOptions, lintBytes, summarizeCertificate, unreadable, type CertificateSummary, type FileReport, type LintFilesOptions } from '../lint-files.ts';

/** The lint options that cross the thread boundary (a worker makes its own signature verifier). */
export interface PortableLintOptions {
  readonly now: Date;
  readonly expiryWarningDays?: number;
  readonly parameter?: TlsClientAuthParameter;
  readonly payloadKind?: PayloadKind | 'auto';
}

/** Files read and linted where the task runs; a file larger than `deferAbove` bytes is left to the caller to stream. */
export interface FilesTask {
  readonly kind: 'files';
  readonly files: readonly { readonly source: string; readonly path: string }[];
  readonly deferAbove: number;
}

/** One whole input already read (stdin, or a large file that cannot be cut into PEM chunks). */
export interface BytesTask {
  readonly kind: 'bytes';
  readonly source: string;
  readonly bytes: Uint8Array;
}

/**
 * Consecutive lines of one large PEM input, cut right after an END line (so no block spans two
 * chunks). `lineOffset`: the lines of the input before the chunk.
 */
export interface ChunkTask {
  readonly kind: 'chunk';
  readonly source: string;
  readonly bytes: Uint8Array;
  readonly lineOffset: number;
  /** The chunk that starts the input (a byte order mark there is skipped, as the core does). */
  readonly first: boolean;
}

export type Task = FilesTask | BytesTask | ChunkTask;

export type FileOutcome =
  | { readonly deferred: false; readonly report: FileReport; readonly bytes: number }
  | { readonly deferred: true; readonly size: number };

/**
 * A chunk's certificates and input problems. Lines are those of the whole input; indices count
 * from the chunk's first block, and `indexCount` is how many indices the chunk used, so the
 * caller adds the indices of the chunks before it.
 */
export interface ChunkResult {
  readonly certificates: readonly CertificateSummary[];
  readonly inputs: readonly InputReport[];
  readonly indexCount: number;
  /** Set when the chunk held no PEM block at all: the core's finding for that, in case no chunk of the input has one. */
  readonly noBlocks?: InputReport;
}

export type ResultOf<T extends Task> = T extends FilesTask ? FileOutcome[] : T extends BytesTask ? FileReport : ChunkResult;

export async function runTask<T extends Task>(task: T, options: LintFilesOptions): Promise<ResultOf<T>> {
  switch (task.kind) {
    case 'files':
      return (await lintFiles(task, options)) as ResultOf<T>;
    case 'bytes':
      return (await lintBytes(task.source, task.bytes, options)) as ResultOf<T>;
    case 'chunk':
      return (await lintChunk(task, options)) as ResultOf<T>;
  }
  throw new Error(`unknown task ${(task as { kind: string }).kind}`);
}

async function lintFiles(task: FilesTask, options: LintFilesOptions): Promise<FileOutcome[]> {
  const out: FileOutcome[] = [];
  for (const file of task.files) {
    let read: { size: number; bytes?: Uint8Array };
    try {
      read = readUpTo(file.path, task.deferAbove);
    } catch (error) {
      out.push({ deferred: false, report: unreadable(systemError(file.source, error)), bytes: 0 });
      continue;
    }
    if (read.bytes === undefined) out.push({ deferred: true, size: read.size });
    else out.push({ deferred: false, report: await lintBytes(file.source, read.bytes, options), bytes: read.bytes.length });
  }
  return out;
}

/**
 * The file's bytes, or only its size when it is larger than `limit`. Synchronous on purpose:
 * a worker thread has nothing else to do meanwhile, and a promise-based read costs a thread
 * pool round trip per call (about 30 times a synchronous read on a small VM).
 */
function readUpTo(path: string, limit: number): { size: number; bytes?: Uint8Array } {
  const fd = openSync(path, 'r');
  try {
    const { size } = fstatSync(fd);
    if (size > limit) return { size };
    const bytes = new Uint8Array(readFileSync(fd));
    return { size: bytes.length, bytes };
  } finally {
    closeSync(fd);
  }
}

const BEGIN = '-----BEGIN ';
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A chunk as text: UTF-8, or Latin-1 when it is not well-formed UTF-8 (the core's rule for a whole input). */
function decodeChunk(bytes: Uint8Array, first: boolean): string {
  const start = first && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(start);
  try {
    return utf8.decode(body);
  } catch {
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('latin1');
  }
}

async function lintChunk(task: ChunkTask, options: LintFilesOptions): Promise<ChunkResult> {
  const text = decodeChunk(task.bytes, task.first);
  // No BEGIN line: the core's PEM reader finds no block here, in the chunk or in the whole input.
  if (!text.includes(BEGIN)) return { certificates: [], inputs: [], indexCount: 0 };
  const lintOptions = coreLintOptions(task.source, options);
  let report: LintReport = await lint(text, lintOptions);
  let lineDelta = task.lineOffset;
  // Locations shift by the lines before the chunk; a few PEM problems also name lines in their
  // message ("a new BEGIN at line 12"): those chunks are read again behind as many empty lines,
  // so every number is the one the whole input gives (rare: only chunks with such a problem).
  if (lineDelta > 0 && report.inputs.some((i) => i.findings.some((f) => /\bline \d/.test(f.message)))) {
    report = await lint('\n'.repeat(lineDelta) + text, lintOptions);
    lineDelta = 0;
  }
  if (report.certificates.length === 0 && report.inputs.length === 1 && report.inputs[0]!.findings[0]?.errorCode === 'ERR_PEM_NO_BLOCKS') {
    return { certificates: [], inputs: [], indexCount: 0, noBlocks: report.inputs[0]! };
  }
  let indexCount = 0;
  for (const c of report.certificates) indexCount = Math.max(indexCount, (c.location.index ?? 0) + 1);
  for (const i of report.inputs) if (i.location.index !== undefined) indexCount = Math.max(indexCount, i.location.index + 1);
  return relocate({ certificates: report.certificates.map(summarizeCertificate), inputs: report.inputs, indexCount }, lineDelta, 0);
}

/** The chunk's results with `lines` added to every line and `indices` to every index. */
export function relocate(result: ChunkResult, lines: number, indices: number): ChunkResult {
  if (lines === 0 && indices === 0) return result;
  const at = <L extends InputLocation | undefined>(location: L): L => {
    if (location === undefined) return location;
    return {
      ...location,
      ...(location.index === undefined ? {} : { index: location.index + indices }),
      ...(location.line === undefined ? {} : { line: location.line + lines }),
    };
  };
  return {
    certificates: result.certificates.map((c) => ({
      ...c,
      index: c.index + indices,
      line: c.line === null ? null : c.line + lines,
      findings: c.findings.map((f) => (f.location === undefined ? f : { ...f, location: at(f.location) })),
    })),
    inputs: result.inputs.map((i) => ({ location: at(i.location), findings: i.findings.map((f) => (f.location === undefined ? f : { ...f, location: at(f.location) })) })),
    indexCount: result.indexCount,
    ...(result.noBlocks === undefined ? {} : { noBlocks: result.noBlocks }),
  };
}
