// PEM text (RFC 7468): every BEGIN/END block of a text with its line number, CRLF or LF,
// explanatory text between blocks ignored (§2), base64 bodies decoded strictly with the
// line of the first bad character. A block that fails never hides the blocks after it.
// Private-key blocks are recognised by label and never decoded, so their content cannot
// reach a message or an output.

import { GraphMtlsError } from '../errors.ts';
import { decodeBase64Into, decodedLength, describeBase64Problem } from './base64.ts';

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
