// What an input holds, told from its first bytes: a JSON payload, PEM text, DER, bare base64
// text, or binary data that is none of these. One rule for every adapter (files, stdin,
// browser drops), so the same bytes are read the same way everywhere.

import { decodeUtf8, latin1 } from '../encoding/utf8.ts';

/** What an input looks like from its first bytes: JSON, PEM, text, DER or binary. */
export type ContentKind = 'json' | 'pem' | 'der' | 'base64' | 'binary';

/** How many bytes (after a byte order mark) decide whether an input is text. */
export const TEXT_PROBE_BYTES = 4096;

/** 3 when the bytes start with a UTF-8 byte order mark, else 0. */
export function bomLength(bytes: Uint8Array): number {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

/** The offset of the first byte after a BOM and whitespace (space, tab, CR, LF); the length when there is none. */
export function contentStart(bytes: Uint8Array): number {
  let i = bomLength(bytes);
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return i;
}

/** True when the content starts (after a BOM and whitespace) with { or [: a JSON payload. */
export function looksLikeJson(bytes: Uint8Array): boolean {
  const b = bytes[contentStart(bytes)];
  return b === 0x7b /* { */ || b === 0x5b /* [ */;
}

/** True when the first TEXT_PROBE_BYTES after the BOM hold no control character but tab, line breaks and ESC. */
export function looksLikeText(bytes: Uint8Array): boolean {
  const start = bomLength(bytes);
  const end = Math.min(bytes.length, start + TEXT_PROBE_BYTES);
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    if (b < 9 || (b > 13 && b < 32 && b !== 27)) return false;
  }
  return true;
}

/** The offset of '-----BEGIN ' in bytes[from, to), or -1. */
export function findPemBegin(bytes: Uint8Array, from = 0, to: number = bytes.length): number {
  for (let i = bytes.indexOf(0x2d, from); i >= 0 && i + 11 <= to; i = bytes.indexOf(0x2d, i + 1)) {
    if (bytes[i + 1] === 0x2d && bytes[i + 2] === 0x2d && bytes[i + 3] === 0x2d && bytes[i + 4] === 0x2d && bytes[i + 5] === 0x42 && bytes[i + 6] === 0x45 && bytes[i + 7] === 0x47 && bytes[i + 8] === 0x49 && bytes[i + 9] === 0x4e && bytes[i + 10] === 0x20) return i;
  }
  return -1;
}

/**
 * What a whole input holds. DER starts with SEQUENCE (0x30, also the digit '0'), so text that
 * starts with '0' and has no BEGIN line is read as DER too; `openssl s_client -showcerts` dumps
 * that start with '0' are PEM because they have BEGIN lines.
 */
export function sniffContent(bytes: Uint8Array): ContentKind {
  if (looksLikeJson(bytes)) return 'json';
  const text = looksLikeText(bytes);
  const pem = text && findPemBegin(bytes) >= 0;
  if (bytes[0] === 0x30 && !pem) return 'der';
  if (!text) return 'binary';
  return pem ? 'pem' : 'base64';
}

/** Bytes as text: UTF-8 when they are well-formed UTF-8, else Latin-1; a leading BOM is dropped. */
export function decodeText(bytes: Uint8Array, start: number = bomLength(bytes), end: number = bytes.length): string {
  return decodeUtf8(bytes, start, end) ?? latin1(bytes, start, end);
}
