// PEM text (RFC 7468): every BEGIN/END block of a text with its line number, CRLF or LF,
// explanatory text between blocks ignored (§2), base64 bodies decoded strictly with the
// line of the first bad character. A block that fails never hides the blocks after it.
// Private-key blocks are recognised by label and never decoded, so their content cannot
// reach a message or an output.

import { GraphMtlsError } from '../errors.ts';
import { DECODE, QUAD_0, QUAD_1, QUAD_2, QUAD_3, decodeBase64Into, decodedLength, describeBase64Problem } from './base64.ts';

export type PemBlock =
  | { readonly label: string; readonly line: number; readonly bytes: Uint8Array; readonly error?: undefined }
  | { readonly label: string; readonly line: number; readonly bytes?: undefined; readonly error: GraphMtlsError };

export interface PemOptions {
  readonly source?: string;
  /** Most blocks to return; past it, ERR_LIMIT_EXCEEDED is thrown. */
  readonly maxBlocks?: number;
  /** Labels whose bodies are not decoded (private keys): the block gets `error` from `refuse`. */
  readonly refuse?: (label: string, line: number) => GraphMtlsError | undefined;
}

const BEGIN = '-----BEGIN ';
const DASHES = '-----';

/** True when the text contains a PEM BEGIN line. */
export function looksLikePem(text: string): boolean {
  return text.includes(BEGIN);
}

export function parsePem(text: string, options: PemOptions = {}): PemBlock[] {
  const { source } = options;
  const maxBlocks = options.maxBlocks ?? Infinity;
  const blocks: PemBlock[] = [];
  let pos = 0;
  let lineNo = 0;
  // The open block: its label, BEGIN line, body line starts and ends.
  let label: string | undefined;
  let beginLine = 0;
  let refused: GraphMtlsError | undefined;
  let body: { start: number; end: number; line: number }[] = [];
  let headerProblem: GraphMtlsError | undefined;

  // Decoded bodies share slabs of up to SLAB bytes, so a bundle costs a few buffers, not one
  // per block; a slab is never larger than what the rest of the text can decode to.
  let slab = new Uint8Array(0);
  let slabUsed = 0;
  let nextEnd = -2;
  const reserve = (n: number, from: number): void => {
    if (slab.length - slabUsed < n) {
      slab = new Uint8Array(Math.ceil(Math.max(n, Math.min(SLAB, decodedLength(text.length - from) + 3))));
      slabUsed = 0;
    }
  };

  const push = (block: PemBlock): void => {
    if (blocks.length >= maxBlocks) {
      throw new GraphMtlsError('ERR_LIMIT_EXCEEDED', `PEM: expected at most ${maxBlocks} blocks, received more`, { source, line: block.line });
    }
    blocks.push(block);
  };

  while (pos <= text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    lineNo++;
    let start = pos;
    let stop = end;
    if (stop > start && text.charCodeAt(stop - 1) === 13) stop--;
    while (start < stop && isSpace(text.charCodeAt(start))) start++;
    while (stop > start && isSpace(text.charCodeAt(stop - 1))) stop--;
    pos = end + 1;

    if (text.startsWith(BEGIN, start)) {
      const newLabel = boundaryLabel(text, start + BEGIN.length, stop);
      if (newLabel === undefined) {
        if (label === undefined) {
          push({ label: '', line: lineNo, error: new GraphMtlsError('ERR_PEM_MALFORMED', `PEM BEGIN line: expected '-----BEGIN LABEL-----', received a malformed line`, { source, line: lineNo }) });
        }
        continue;
      }
      if (label !== undefined) {
        push({ label, line: beginLine, error: refused ?? new GraphMtlsError('ERR_PEM_MALFORMED', `PEM block '${cap(label)}': expected '-----END ${cap(label)}-----', received a new BEGIN at line ${lineNo}`, { source, line: beginLine }) });
      }
      label = newLabel;
      beginLine = lineNo;
      body = [];
      headerProblem = undefined;
      refused = options.refuse?.(label, lineNo);
      if (refused === undefined) {
        // One search per END found, not per BEGIN: a flood of BEGIN lines stays linear.
        if (nextEnd !== -1 && nextEnd < pos) nextEnd = text.indexOf('-----END ', pos);
        const endLine = simpleEndLine(text, pos, nextEnd, label);
        if (endLine >= 0) {
          reserve(decodedLength(endLine - pos) + 3, pos);
          const fast = decodeSimpleBody(text, pos, endLine, slab, slabUsed);
          if (fast !== undefined) {
            push({ label, line: beginLine, bytes: slab.subarray(slabUsed, slabUsed + fast.bytes) });
            slabUsed += fast.bytes;
            lineNo += fast.lines + 1;
            pos = lineEnd(text, endLine) + 1;
            label = undefined;
          }
        }
      }
      continue;
    }
    if (label === undefined) continue;

    if (text.startsWith('-----END ', start)) {
      const endLabel = boundaryLabel(text, start + 9, stop);
      if (refused !== undefined) {
        push({ label, line: beginLine, error: refused });
      } else if (endLabel !== label) {
        push({ label, line: beginLine, error: new GraphMtlsError('ERR_PEM_MALFORMED', `PEM block '${cap(label)}': expected '-----END ${cap(label)}-----', received a different END line at line ${lineNo}`, { source, line: beginLine }) });
      } else if (headerProblem !== undefined) {
        push({ label, line: beginLine, error: headerProblem });
      } else {
        push(decodeBody(text, label, beginLine, body, source));
      }
      label = undefined;
      continue;
    }
    if (refused !== undefined || start === stop) continue;
    if (headerProblem === undefined && body.length === 0 && hasColon(text, start, stop)) {
      // RFC 1421 headers (Proc-Type, DEK-Info) mark legacy encrypted PEM; RFC 7468 has none.
      headerProblem = new GraphMtlsError('ERR_PEM_MALFORMED', `PEM block '${cap(label)}': expected base64 lines, received an RFC 1421 header line at line ${lineNo}`, { source, line: beginLine });
      continue;
    }
    body.push({ start, end: stop, line: lineNo });
  }
  if (label !== undefined) {
    push({ label, line: beginLine, error: refused ?? new GraphMtlsError('ERR_PEM_MALFORMED', `PEM block '${cap(label)}': expected '-----END ${cap(label)}-----', received the end of the text`, { source, line: beginLine }) });
  }
  return blocks;
}

const SLAB = 64 * 1024;

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end < 0 ? text.length : end;
}

/**
 * `at` (the next '-----END ' after `from`) when it starts an exact `-----END LABEL-----`
 * line (optionally CRLF) that closes the body beginning at `from`; -1 otherwise.
 */
function simpleEndLine(text: string, from: number, at: number, label: string): number {
  if (at < 0 || (at > from && text.charCodeAt(at - 1) !== 10)) return -1;
  let stop = lineEnd(text, at);
  if (text.charCodeAt(stop - 1) === 13) stop--;
  const labelAt = at + 9;
  if (stop - labelAt !== label.length + DASHES.length || !text.startsWith(label, labelAt) || !text.startsWith(DASHES, labelAt + label.length)) return -1;
  return at;
}

/**
 * The fast path for the common body: base64 lines ended by LF or CRLF and nothing else,
 * decoded straight from the text into `out`. Returns undefined on anything unusual (spaces,
 * headers, bad characters or padding, an empty body); parsePem then reads the block line by
 * line, which accepts the same bodies and explains the others.
 */
function decodeSimpleBody(text: string, from: number, to: number, out: Uint8Array, at: number): { bytes: number; lines: number } | undefined {
  let o = at;
  let lines = 0;
  let acc = 0;
  let k = 0;
  let i = from;
  for (; i < to; i++) {
    // Four characters at a time while they are all base64 (the bulk of every line).
    while (k === 0 && i + 4 <= to) {
      const c0 = text.charCodeAt(i);
      const c1 = text.charCodeAt(i + 1);
      const c2 = text.charCodeAt(i + 2);
      const c3 = text.charCodeAt(i + 3);
      if ((c0 | c1 | c2 | c3) > 255) break;
      const x = QUAD_0[c0]! | QUAD_1[c1]! | QUAD_2[c2]! | QUAD_3[c3]!;
      if (x < 0) break;
      out[o] = x >>> 16;
      out[o + 1] = (x >>> 8) & 0xff;
      out[o + 2] = x & 0xff;
      o += 3;
      i += 4;
    }
    if (i >= to) break;
    const c = text.charCodeAt(i);
    const v = c < 128 ? DECODE[c]! : -1;
    if (v >= 0) {
      acc = (acc << 6) | v;
      if (++k === 4) {
        out[o++] = acc >>> 16;
        out[o++] = (acc >>> 8) & 0xff;
        out[o++] = acc & 0xff;
        acc = 0;
        k = 0;
      }
    } else if (c === 10) lines++;
    else if (c !== 13 || text.charCodeAt(i + 1) !== 10) break;
  }
  if (i < to) {
    // Only padding may end the body early: '=' after 2 or 3 characters, then '=' or line ends.
    if (k < 2) return undefined;
    let pad = 0;
    for (; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c === 61) pad++;
      else if (c === 10) lines++;
      else if (c !== 13 || text.charCodeAt(i + 1) !== 10) return undefined;
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

function decodeBody(
  text: string,
  label: string,
  line: number,
  body: readonly { start: number; end: number; line: number }[],
  source: string | undefined,
): PemBlock {
  // Base64 lines need not be multiples of 4 (RFC 7468 §3 lax parsing), so join them first
  // and map a bad character back to its line.
  let joined = '';
  for (const l of body) joined += text.slice(l.start, l.end);
  if (joined.length === 0) {
    return { label, line, error: new GraphMtlsError('ERR_PEM_MALFORMED', `PEM block '${cap(label)}': expected a base64 body, received none`, { source, line }) };
  }
  const out = new Uint8Array(decodedLength(joined.length - (joined.length % 4)) + 3);
  const n = decodeBase64Into(joined, 0, joined.length, out, 0);
  if (typeof n === 'number') return { label, line, bytes: out.subarray(0, n) };
  let badLine = line;
  if (n.at >= 0) {
    let offset = 0;
    for (const l of body) {
      if (n.at < offset + (l.end - l.start)) {
        badLine = l.line;
        break;
      }
      offset += l.end - l.start;
    }
  } else badLine = body[body.length - 1]!.line;
  return {
    label,
    line,
    error: new GraphMtlsError('ERR_BASE64_INVALID', `PEM block '${cap(label)}' (BEGIN at line ${line}): expected standard base64 (RFC 4648 §4), ${describeBase64Problem(joined, n)} of the body, on line ${badLine}`, { source, line }),
  };
}

function boundaryLabel(text: string, from: number, to: number): string | undefined {
  if (to - from < DASHES.length || !text.startsWith(DASHES, to - DASHES.length)) return undefined;
  const label = text.slice(from, to - DASHES.length);
  return /^[\x21-\x2c\x2e-\x7e]([ -]?[\x21-\x2c\x2e-\x7e])*$|^$/.test(label) ? label : undefined;
}

/** A label as quoted in messages: at most 40 characters. */
export function cap(label: string): string {
  return label.length > 40 ? `${label.slice(0, 40)}…` : label;
}

function hasColon(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 58) return true;
  return false;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 0xfeff;
}
