// PEM text (RFC 7468): every BEGIN/END block of a text with its line number, CRLF or LF,
// explanatory text between blocks ignored (§2), base64 bodies decoded strictly with the
// line of the first bad character. A block that fails never hides the blocks after it.
// Private-key blocks are recognised by label and never decoded, so their content cannot
// reach a message or an output.
//
// PemScanner reads the text as bytes, in pieces of any size (a file or a stream read as it
// comes): it keeps at most the block it is in, so a bundle of any length is read in bounded
// memory, and every line number is that of the whole text. parsePem() is the one-piece form.

import { InputError, type InputErrorCode } from '../errors.ts';
import { DECODE, QUAD_0, QUAD_1, QUAD_2, QUAD_3, decodeBase64Into, decodedLength, describeBase64Problem } from './base64.ts';
import { decodeUtf8, latin1, textBytes } from './utf8.ts';

/** One BEGIN/END block of a text: its label, its BEGIN line, and its bytes or the error that kept them from being read. */
export type PemBlock =
  | { readonly label: string; readonly line: number; readonly bytes: Uint8Array; readonly error?: undefined }
  | { readonly label: string; readonly line: number; readonly bytes?: undefined; readonly error: InputError };

/** How parsePem reads: the source to name in errors, the most blocks, the labels to refuse unread. */
export interface PemOptions {
  readonly source?: string;
  /** Most blocks to return; past it, ERR_LIMIT_EXCEEDED is thrown. */
  readonly maxBlocks?: number;
  /** Labels whose bodies are not decoded (private keys): the block gets `error` from `refuse`. */
  readonly refuse?: (label: string, line: number) => InputError | undefined;
}

/** Why a block yielded no bytes, as data: an error object (and its stack) is made only when someone throws it. */
export interface PemProblem {
  readonly code: InputErrorCode;
  readonly reason: string;
}

/** A block as PemScanner gives it: decoded bytes, or the problem that kept it from being decoded. */
export type ScannedBlock =
  | { readonly label: string; readonly line: number; readonly bytes: Uint8Array; readonly problem?: undefined }
  | { readonly label: string; readonly line: number; readonly bytes?: undefined; readonly problem: PemProblem };

/** How PemScanner reads: the labels to refuse unread, and the most bytes a block may span. */
export interface PemScanOptions {
  /** Labels whose bodies are not decoded (private keys), and the problem the block gets instead. */
  readonly refuse?: (label: string, line: number) => PemProblem | undefined;
  /**
   * Most bytes a block may span from BEGIN to END: past it the block is a problem and the rest
   * of it is skipped unread, so an END line that never comes cannot hold the whole input.
   */
  readonly maxBlockBytes?: number;
}

const BEGIN = '-----BEGIN ';
const DASHES = '-----';
// Stryker disable next-line StringLiteral: it names only the shortcut in boundaryLabel; as '' it matches the empty label, which the regular expression reads as '' too
const CERTIFICATE = 'CERTIFICATE';
const LF = 10;
const CR = 13;
const DASH = 45;
/** '-----BEGIN ' and '-----END ' as bytes. */
const BEGIN_BYTES = [45, 45, 45, 45, 45, 66, 69, 71, 73, 78, 32] as const;
const END_BYTES = [45, 45, 45, 45, 45, 69, 78, 68, 32] as const;
const SLAB = 64 * 1024;
const EMPTY = new Uint8Array(0);

/** True when the text contains a PEM BEGIN line. */
export function looksLikePem(text: string): boolean {
  return text.includes(BEGIN);
}

/** Every block of a text, in order; problems are blocks with `error`. */
export function parsePem(text: string, options: PemOptions = {}): PemBlock[] {
  const { source, refuse } = options;
  const maxBlocks = options.maxBlocks ?? Infinity;
  const blocks: PemBlock[] = [];
  // A refusal is the caller's own InputError, which is a PemProblem too: the block carries it.
  const scanner = new PemScanner({ refuse });
  const emit = (block: ScannedBlock): void => {
    if (blocks.length >= maxBlocks) {
      throw new InputError('ERR_LIMIT_EXCEEDED', `PEM: expected at most ${maxBlocks} blocks, received more`, { source, line: block.line });
    }
    if (block.problem === undefined) {
      blocks.push(block);
      return;
    }
    const error = block.problem instanceof InputError ? block.problem : new InputError(block.problem.code, block.problem.reason, { source, line: block.line });
    blocks.push({ label: block.label, line: block.line, error });
  };
  scanner.push(textBytes(text), emit);
  scanner.end(emit);
  return blocks;
}

/**
 * The PEM blocks of a text given in pieces. Each block is handed to `emit` as soon as its END
 * line has been read; the scanner keeps only the bytes of the block it is in (bounded by
 * maxBlockBytes) and of the line it is on. Decoded bodies share slabs of up to 64 KiB, so a
 * bundle costs a few buffers, not one per block, and never a view of the caller's pieces.
 */
export class PemScanner {
  readonly #refuse: PemScanOptions['refuse'];
  readonly #maxBlock: number;

  // The unread bytes: #buf (of length #len) holds the input from offset #base on (offsets
  // below are offsets in the whole input): a caller's piece, or a view of #store, ours to write.
  #buf: Uint8Array = EMPTY;
  #len = 0;
  #base = 0;
  #store: Uint8Array | undefined;
  /** Start of the next line to read, and how many lines came before it. */
  #pos = 0;
  #lines = 0;
  /** A line longer than any block may be is skipped to its end unread. */
  #skippingLine = false;

  // The open block.
  #label: string | undefined;
  #beginLine = 0;
  #bodyStart = 0;
  #refused: PemProblem | undefined;
  // Stryker disable BooleanLiteral,ArrayDeclaration: #open sets these before a block is read
  /** Its body is read line by line (the one-pass decoder did not apply). */
  #slow = false;
  /** It grew past maxBlockBytes: its lines are skipped until it ends. */
  #tooLong = false;
  /** Body lines read one by one: start, end and line number of each. */
  #body: number[] = [];
  // Stryker restore BooleanLiteral,ArrayDeclaration
  #headerProblem: PemProblem | undefined;

  /** The '-----END ' the last search found (or -1); none is between a later body and #endScanned. */
  // Stryker disable next-line UnaryOperator: +1 is before every body too (a BEGIN line comes first), so it is never returned
  #nextEnd = -1;
  #endScanned = 0;

  #slab: Uint8Array = EMPTY;
  #slabUsed = 0;

  constructor(options: PemScanOptions = {}) {
    this.#refuse = options.refuse;
    this.#maxBlock = options.maxBlockBytes ?? Infinity;
  }

  /**
   * Blocks decoded from now on go to new buffers: the bytes of blocks handed out so far share
   * no buffer with later ones (a caller may then transfer those buffers to another thread).
   */
  cut(): void {
    this.#slab = EMPTY;
    this.#slabUsed = 0;
  }

  /** Reads the next piece of the text; calls `emit` for each block it completes. */
  push(piece: Uint8Array, emit: (block: ScannedBlock) => void): void {
    if (piece.length === 0) return;
    this.#append(piece);
    this.#scan(false, emit);
  }

  /** The end of the text: reads its last line and closes the block left open, if any. */
  end(emit: (block: ScannedBlock) => void): void {
    this.#scan(true, emit);
    if (this.#label !== undefined) {
      const label = this.#label;
      const problem = this.#openProblem() ?? { code: 'ERR_PEM_MALFORMED', reason: `PEM block '${cap(label)}': expected '-----END ${cap(label)}-----', received the end of the text` };
      this.#close();
      emit({ label, line: this.#beginLine, problem });
    }
    this.#buf = EMPTY;
    this.#store = undefined;
    this.#len = 0;
  }

  /** Where the bytes still needed start: the open block's body, or the current line. */
  #keepFrom(): number {
    return this.#label !== undefined && this.#refused === undefined && !this.#tooLong ? this.#bodyStart : this.#pos;
  }

  #append(piece: Uint8Array): void {
    const keep = Math.min(this.#keepFrom(), this.#base + this.#len);
    const kept = this.#base + this.#len - keep;
    if (kept === 0) {
      // Nothing pending: read the piece where it is.
      this.#buf = piece;
      this.#len = piece.length;
      this.#base = keep;
      this.#store = undefined;
      return;
    }
    const from = keep - this.#base;
    const need = kept + piece.length;
    // Stryker disable next-line EqualityOperator: a store exactly full is replaced by a larger one holding the same bytes (it is never handed out)
    if (this.#store !== undefined && need <= this.#store.length) {
      // #buf is the start of #store.
      // Stryker disable next-line ConditionalExpression,EqualityOperator: copyWithin(0, 0, …) moves nothing (the guard spares the copy)
      if (from > 0) this.#store.copyWithin(0, from, this.#len);
    } else {
      // With room to spare (the next piece is likely as large), and doubling, so a block that
      // arrives in many small pieces is copied a bounded number of times.
      const grown = new Uint8Array(Math.max(need + (need >> 2), 2 * (this.#store?.length ?? 0), 4096));
      grown.set(this.#buf.subarray(from, this.#len));
      this.#store = grown;
    }
    this.#store.set(piece, kept);
    // A view of exactly the unread bytes, so no search runs past them.
    this.#buf = this.#store.subarray(0, need);
    this.#len = need;
    this.#base = keep;
  }

  #scan(final: boolean, emit: (block: ScannedBlock) => void): void {
    const buf = this.#buf;
    const base = this.#base;
    const len = this.#len;
    for (;;) {
      if (this.#label !== undefined && !this.#slow && !this.#tooLong && this.#refused === undefined) {
        // Tried once per block (#open resets the flag): a block it does not close is read line by line.
        this.#slow = true;
        this.#fast(emit);
      }
      const at = this.#pos - base;
      // #buf is exactly the unread bytes, so at `len` (nothing left) indexOf finds none.
      let nl = buf.indexOf(LF, at);
      if (nl < 0) {
        if (!final) {
          this.#checkLength(len - at);
          return;
        }
        // Stryker disable next-line EqualityOperator: an empty last line at `len` reads as nothing
        if (at >= len) return;
        nl = len;
      }
      this.#lines++;
      this.#pos = base + nl + 1;
      if (this.#skippingLine) {
        this.#skippingLine = false;
        continue;
      }
      this.#line(buf, at, nl, emit);
    }
  }

  /** A partial line of `pending` bytes: past maxBlockBytes the open block is too long, and the line is skipped. */
  #checkLength(pending: number): void {
    // Harmless when no block is open (#open resets the flag) or it is refused (the refusal wins).
    if (this.#base + this.#len - this.#bodyStart > this.#maxBlock) this.#tooLong = true;
    if (pending > this.#maxBlock) this.#skippingLine = true;
    // Drop what was read of it; the line still counts once its end comes.
    if (this.#skippingLine) this.#pos = this.#base + this.#len;
  }

  /** One complete line, buf[from, to) without its LF. */
  #line(buf: Uint8Array, from: number, to: number, emit: (block: ScannedBlock) => void): void {
    let start = from;
    let stop = to;
    // Trim spaces, tabs, CRs (a CRLF's too) and U+FEFF (EF BB BF) on both sides. The left needs
    // no bound: buf[to] is the LF or past the end of buf, neither of them trimmed.
    for (;;) {
      const b = buf[start];
      if (b === 32 || b === 9 || b === CR) start++;
      else if (b === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3;
      else break;
    }
    for (;;) {
      const b = buf[stop - 1];
      if (stop > start && (b === 32 || b === 9 || b === CR)) {
        stop--;
        continue;
      }
      // Stryker disable next-line EqualityOperator: a line that is one U+FEFF was emptied by the left trim, so `>` is the same test
      if (stop - 3 >= start && buf[stop - 3] === 0xef && buf[stop - 2] === 0xbb && b === 0xbf) stop -= 3;
      else break;
    }
    const lineNo = this.#lines;

    if (startsWith(buf, start, stop, BEGIN_BYTES)) {
      const label = boundaryLabel(buf, start + BEGIN_BYTES.length, stop);
      if (label === undefined) {
        if (this.#label === undefined) emit({ label: '', line: lineNo, problem: { code: 'ERR_PEM_MALFORMED', reason: `PEM BEGIN line: expected '-----BEGIN LABEL-----', received a malformed line` } });
        return;
      }
      if (this.#label !== undefined) {
        const open = this.#label;
        const problem = this.#openProblem() ?? { code: 'ERR_PEM_MALFORMED', reason: `PEM block '${cap(open)}': expected '-----END ${cap(open)}-----', received a new BEGIN at line ${lineNo}` };
        emit({ label: open, line: this.#beginLine, problem });
      }
      this.#open(label, lineNo);
      return;
    }
    if (this.#label === undefined) return;

    if (startsWith(buf, start, stop, END_BYTES)) {
      const endLabel = boundaryLabel(buf, start + END_BYTES.length, stop);
      const label = this.#label;
      const line = this.#beginLine;
      const open = this.#openProblem();
      const body = this.#body;
      const header = this.#headerProblem;
      this.#close();
      if (open !== undefined) emit({ label, line, problem: open });
      else if (endLabel !== label) emit({ label, line, problem: { code: 'ERR_PEM_MALFORMED', reason: `PEM block '${cap(label)}': expected '-----END ${cap(label)}-----', received a different END line at line ${lineNo}` } });
      else if (header !== undefined) emit({ label, line, problem: header });
      else emit(decodeLines(buf, this.#base, body, label, line));
      return;
    }
    // A refused or too-long block's lines are not even kept: its problem is what its END gives.
    // Stryker disable next-line ConditionalExpression,LogicalOperator: reading them would change nothing seen, as that problem wins
    if (this.#refused !== undefined || this.#tooLong || start === stop) return;
    if (this.#base + to - this.#bodyStart > this.#maxBlock) {
      this.#tooLong = true;
      return;
    }
    if (this.#headerProblem === undefined && this.#body.length === 0 && buf.subarray(start, stop).includes(58 /* : */)) {
      // RFC 1421 headers (Proc-Type, DEK-Info) mark legacy encrypted PEM; RFC 7468 has none.
      this.#headerProblem = { code: 'ERR_PEM_MALFORMED', reason: `PEM block '${cap(this.#label)}': expected base64 lines, received an RFC 1421 header line at line ${lineNo}` };
      return;
    }
    this.#body.push(this.#base + start, this.#base + stop, lineNo);
  }

  #open(label: string, line: number): void {
    this.#label = label;
    this.#beginLine = line;
    this.#bodyStart = this.#pos;
    this.#refused = this.#refuse?.(label, line);
    this.#slow = false;
    this.#tooLong = false;
    this.#body = [];
    this.#headerProblem = undefined;
  }

  /** No block is open; the rest of the block state is read only while one is, and #open sets it. */
  #close(): void {
    this.#label = undefined;
  }

  /** The problem the open block has whatever its END line says: refused, or too long. */
  #openProblem(): PemProblem | undefined {
    if (this.#refused !== undefined) return this.#refused;
    if (this.#tooLong) {
      const label = cap(this.#label!);
      return { code: 'ERR_LIMIT_EXCEEDED', reason: `PEM block '${label}': expected '-----END ${label}-----' within ${this.#maxBlock} bytes of its BEGIN line, received more; the rest of the block was skipped` };
    }
    return undefined;
  }

  /**
   * The one-pass path for the common block: a plain base64 body (LF or CRLF) followed by its
   * exact END line, both already read, decoded straight into a slab. A block it leaves open goes
   * to the line-by-line reader, which accepts the same bodies and explains the others.
   */
  #fast(emit: (block: ScannedBlock) => void): void {
    const buf = this.#buf;
    const base = this.#base;
    const len = this.#len;
    const from = this.#bodyStart - base;
    const at = this.#findEnd() - base;
    // An END marker (at or after the body) that starts a line; none found (-1) has no LF before it.
    if (buf[at - 1] !== LF) return;
    // An END line without its LF yet (lineEnd -1) may go on in the next piece: the length test
    // below fails it. (Only end() reads a last line without one, and never a block's END here:
    // each block is tried by the scan that reads its BEGIN line, and a BEGIN line end() reads is
    // the last line, with no END after it.)
    const lineEnd = buf.indexOf(LF, at);
    let stop = lineEnd;
    if (buf[stop - 1] === CR) stop--;
    const label = this.#label!;
    const labelAt = at + END_BYTES.length;
    if (stop - labelAt !== label.length + DASHES.length || !sameAscii(buf, labelAt, label) || !sameAscii(buf, labelAt + label.length, DASHES)) return;
    if (at - from > this.#maxBlock) return;
    this.#reserve(decodedLength(at - from) + 3, len - from);
    const decoded = decodeSimpleBody(buf, from, at, this.#slab, this.#slabUsed);
    if (decoded === undefined) return;
    const bytes = this.#slab.subarray(this.#slabUsed, this.#slabUsed + decoded.bytes);
    this.#slabUsed += decoded.bytes;
    const line = this.#beginLine;
    this.#lines += decoded.lines + 1;
    this.#pos = base + lineEnd + 1;
    this.#close();
    emit({ label, line, bytes });
  }

  /**
   * The offset of the first '-----END ' at or after the open block's body, or -1. What was
   * searched is remembered, so a flood of BEGIN lines without END lines stays linear: bodies
   * start in order, so an END found for an earlier block is the first one for this block too
   * when it is not before this body, and where none was found up to #endScanned none is.
   * #fast, the only caller, runs once per block, in the scan that read its BEGIN line: the bytes
   * searched are those of one piece, and a later block's body starts after them (so a marker
   * cut by the end of the piece needs no second look).
   */
  #findEnd(): number {
    const from = this.#bodyStart;
    // Stryker disable next-line EqualityOperator: an END at the body's very start is found again at once
    if (this.#nextEnd >= from) return this.#nextEnd;
    const base = this.#base;
    const buf = this.#buf;
    const len = this.#len;
    for (let i = buf.indexOf(DASH, Math.max(from, this.#endScanned) - base); i !== -1; i = buf.indexOf(DASH, i + 1)) {
      if (startsWith(buf, i, len, END_BYTES)) {
        this.#nextEnd = base + i;
        return this.#nextEnd;
      }
    }
    // (#nextEnd, now before this body, is before every later one too.)
    this.#endScanned = base + len;
    // Stryker disable next-line UnaryOperator: +1 is before every body as well (a BEGIN line comes first), which #fast turns down as it does -1
    return -1;
  }

  /** Room for `n` more bytes in the slab; a new slab is never larger than what `rest` bytes of text can decode to. */
  #reserve(n: number, rest: number): void {
    if (this.#slab.length - this.#slabUsed < n) {
      this.#slab = new Uint8Array(Math.ceil(Math.max(n, Math.min(SLAB, decodedLength(rest) + 3))));
      this.#slabUsed = 0;
    }
  }
}

function startsWith(buf: Uint8Array, at: number, stop: number, prefix: readonly number[]): boolean {
  // Stryker disable next-line EqualityOperator: a trimmed line never ends in the markers' space, and a marker ending a piece has no line yet
  if (stop - at < prefix.length) return false;
  for (let k = 0; k < prefix.length; k++) if (buf[at + k] !== prefix[k]) return false;
  return true;
}

function sameAscii(buf: Uint8Array, at: number, text: string): boolean {
  for (let k = 0; k < text.length; k++) if (buf[at + k] !== text.charCodeAt(k)) return false;
  return true;
}

/**
 * The label of a boundary line `-----BEGIN LABEL-----` from its label's first byte; undefined
 * when malformed. The byte before the label is the marker's space, so a line too short to end
 * in five dashes of its own fails the test for them.
 */
function boundaryLabel(buf: Uint8Array, from: number, to: number): string | undefined {
  if (!sameAscii(buf, to - DASHES.length, DASHES)) return undefined;
  // The label of nearly every block, without a string or a regular expression per block.
  // Stryker disable next-line ConditionalExpression,ArithmeticOperator: a shortcut: skipped, the regular expression below gives the same label
  if (to - DASHES.length - from === CERTIFICATE.length && sameAscii(buf, from, CERTIFICATE)) return CERTIFICATE;
  const label = latin1(buf, from, to - DASHES.length);
  return /^[\x21-\x2c\x2e-\x7e]([ -]?[\x21-\x2c\x2e-\x7e])*$|^$/.test(label) ? label : undefined;
}

/**
 * Decodes a plain body buf[from, to) into `out` at `at`: base64 lines ended by LF or CRLF and
 * nothing else, four characters per step. Undefined on anything unusual (spaces, headers, bad
 * characters or padding, an empty body). buf[to] is the '-' of the END line, which stops every
 * loop as any other byte that is not base64 would, so none needs to stop at `to` itself.
 */
function decodeSimpleBody(buf: Uint8Array, from: number, to: number, out: Uint8Array, at: number): { bytes: number; lines: number } | undefined {
  let o = at;
  let lines = 0;
  let acc = 0;
  let k = 0;
  let i = from;
  // Stryker disable next-line EqualityOperator: at `to` the END line's '-' ends the loop (see above)
  for (; i < to; i++) {
    // A speed-up of the byte loop below, which reads the same bytes the same way.
    // Stryker disable next-line ConditionalExpression: skipped (false), the byte loop reads the body alone
    while (k === 0) {
      const x = QUAD_0[buf[i]!]! | QUAD_1[buf[i + 1]!]! | QUAD_2[buf[i + 2]!]! | QUAD_3[buf[i + 3]!]!;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: x is 0 for 'AAAA', and any quad may be left to the byte loop
      if (x < 0) break;
      out[o] = x >>> 16;
      out[o + 1] = (x >>> 8) & 0xff;
      out[o + 2] = x & 0xff;
      o += 3;
      i += 4;
    }
    const c = buf[i]!;
    const v = DECODE[c] ?? -1;
    if (v >= 0) {
      acc = (acc << 6) | v;
      if (++k === 4) {
        out[o++] = acc >>> 16;
        out[o++] = (acc >>> 8) & 0xff;
        out[o++] = acc & 0xff;
        acc = 0;
        k = 0;
      }
    } else if (c === LF) lines++;
    else if (c !== CR || buf[i + 1] !== LF) break;
  }
  if (i < to) {
    // Only padding may end the body early: '=' after 2 or 3 characters, then '=' or line ends.
    if (k < 2) return undefined;
    let pad = 0;
    for (; i < to; i++) {
      const c = buf[i]!;
      if (c === 61) pad++;
      else if (c === LF) lines++;
      else if (c !== CR || buf[i + 1] !== LF) return undefined;
    }
    if (pad !== 4 - k) return undefined;
    if (k === 2) {
      if ((acc & 0xf) !== 0) return undefined;
      out[o++] = acc >>> 4;
    } else {
      if ((acc & 0x3) !== 0) return undefined;
      out[o++] = acc >>> 10;
      out[o++] = (acc >>> 2) & 0xff;
    }
  } else if (k !== 0) return undefined;
  if (o === at) return undefined;
  return { bytes: o - at, lines };
}

/**
 * A body read line by line. Base64 lines need not be multiples of 4 (RFC 7468 §3 lax
 * parsing), so they are joined first and a bad character is mapped back to its line. Each
 * line is read as UTF-8 (Latin-1 when it is not UTF-8), so positions count characters.
 */
function decodeLines(buf: Uint8Array, base: number, body: readonly number[], label: string, line: number): ScannedBlock {
  let joined = '';
  const ends: number[] = [];
  // Stryker disable next-line EqualityOperator: one more turn reads body[length] (undefined): an empty range, adding nothing
  for (let k = 0; k < body.length; k += 3) {
    const from = body[k]! - base;
    const to = body[k + 1]! - base;
    joined += decodeUtf8(buf, from, to) ?? latin1(buf, from, to);
    ends.push(joined.length);
  }
  if (joined.length === 0) return { label, line, problem: { code: 'ERR_PEM_MALFORMED', reason: `PEM block '${cap(label)}': expected a base64 body, received none` } };
  // What whole quads decode to: a length that is not a multiple of 4 decodes nothing.
  const out = new Uint8Array((joined.length >> 2) * 3);
  const n = decodeBase64Into(joined, 0, joined.length, out, 0);
  if (typeof n === 'number') return { label, line, bytes: out.subarray(0, n) };
  // The line of the bad character; the last line when the length is wrong (at -1).
  const k = n.at < 0 ? -1 : ends.findIndex((end) => n.at < end);
  const badLine = body[k < 0 ? body.length - 1 : 3 * k + 2];
  return {
    label,
    line,
    problem: { code: 'ERR_BASE64_INVALID', reason: `PEM block '${cap(label)}' (BEGIN at line ${line}): expected standard base64 (RFC 4648 §4), ${describeBase64Problem(joined, n)} of the body, on line ${badLine}` },
  };
}

/** A label as quoted in messages: at most 40 characters. */
export function cap(label: string): string {
  return label.length > 40 ? `${label.slice(0, 40)}…` : label;
}
