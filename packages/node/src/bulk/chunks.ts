// Reads one input as a stream and decides how it is linted: whole when it is small or not a
// PEM text, else as chunks of consecutive lines cut right after END lines, so no PEM block
// spans two chunks and at most a few chunks are in memory at a time.
//
// Why a cut after an END line is exact: the core's PEM reader (parsePem) closes or ignores a
// block at any line whose trimmed text starts with '-----END ', so after such a line it is in
// the same state as at the start of a text; each chunk knows how many lines came before it.

import { looksLikeJson } from '../lint-files.ts';

export interface SplitOptions {
  /** Inputs up to this many bytes are linted whole, as before. */
  readonly streamAbove: number;
  /** A chunk is cut at the first END line after it holds this many bytes... */
  readonly chunkBytes: number;
  /** ...or this many END lines. */
  readonly chunkBlocks: number;
}

export type Piece =
  | { readonly kind: 'whole'; readonly bytes: Uint8Array }
  | { readonly kind: 'chunk'; readonly bytes: Uint8Array; readonly lineOffset: number; readonly first: boolean };

const BEGIN = Buffer.from('-----BEGIN ');
const END = Buffer.from('-----END ');

export async function* splitInput(stream: AsyncIterable<Uint8Array | string>, options: SplitOptions): AsyncGenerator<Piece> {
  const iterator = stream[Symbol.asyncIterator]();
  const next = async (): Promise<Buffer | undefined> => {
    const r = await iterator.next();
    if (r.done === true) return undefined;
    return typeof r.value === 'string' ? Buffer.from(r.value) : Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
  };

  const head: Buffer[] = [];
  let size = 0;
  let ended = false;
  while (size <= options.streamAbove) {
    const b = await next();
    if (b === undefined) {
      ended = true;
      break;
    }
    head.push(b);
    size += b.length;
  }
  let pending: Buffer = Buffer.concat(head);
  if (ended || !chunkable(pending)) {
    const rest: Buffer[] = [pending];
    for (let b = await next(); b !== undefined; b = await next()) rest.push(b);
    yield { kind: 'whole', bytes: new Uint8Array(Buffer.concat(rest)) };
    return;
  }

  let lineOffset = 0;
  let first = true;
  // Scan state within `pending`: where the next unscanned line starts, the lines and END lines
  // scanned since the chunk began, and the last place a chunk may end.
  let scan = 0;
  let lines = 0;
  let blocks = 0;
  let cut = 0;
  let cutLines = 0;
  for (;;) {
    for (let nl = pending.indexOf(0x0a, scan); nl >= 0; nl = pending.indexOf(0x0a, scan)) {
      const isEnd = isEndLine(pending, scan, nl);
      scan = nl + 1;
      lines++;
      if (!isEnd) continue;
      blocks++;
      cut = scan;
      cutLines = lines;
      if (cut >= options.chunkBytes || blocks >= options.chunkBlocks) {
        yield { kind: 'chunk', bytes: new Uint8Array(pending.subarray(0, cut)), lineOffset, first };
        first = false;
        lineOffset += cutLines;
        pending = pending.subarray(cut);
        scan -= cut;
        lines -= cutLines;
        blocks = 0;
        cut = 0;
        cutLines = 0;
      }
    }
    const b = await next();
    if (b === undefined) break;
    pending = pending.length === 0 ? b : Buffer.concat([pending, b]);
  }
  if (pending.length > 0) yield { kind: 'chunk', bytes: new Uint8Array(pending), lineOffset, first };
}

/**
 * True when the start of an input shows what the core would read as PEM text: not a JSON
 * payload, no binary byte in the first 4096 (the core's test for text), and a BEGIN line.
 */
function chunkable(head: Buffer): boolean {
  if (looksLikeJson(head)) return false;
  const start = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  for (let i = start; i < Math.min(head.length, 4096); i++) {
    const b = head[i]!;
    if (b < 9 || (b > 13 && b < 32 && b !== 27)) return false;
  }
  return head.includes(BEGIN);
}

/** The line [from, to) starts with '-----END ' after spaces, tabs and CRs (a subset of what parsePem trims). */
function isEndLine(buf: Buffer, from: number, to: number): boolean {
  let i = from;
  while (i < to && (buf[i] === 0x20 || buf[i] === 0x09 || buf[i] === 0x0d)) i++;
  if (to - i < END.length) return false;
  for (let k = 0; k < END.length; k++) if (buf[i + k] !== END[k]) return false;
  return true;
}
