// @graph-mtls/core/encoding: the text encodings the core reads and writes, for callers that
// need them alone: base64 and base64url (RFC 4648), PEM (RFC 7468), hex, ISO 8601 times, and
// text made safe to show (escapeForDisplay).

export { decodeBase64, decodeBase64Url, encodeBase64 } from './base64.ts';
export { PemScanner, parsePem, type PemBlock, type PemOptions, type PemProblem, type PemScanOptions, type ScannedBlock } from './pem.ts';
export { toHex, toUpperHex } from './hex.ts';
export { isoTime } from './time.ts';
export { escapeForDisplay } from './display.ts';
