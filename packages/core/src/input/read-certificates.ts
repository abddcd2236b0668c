// Reading certificates from whatever a user holds, as one piece: scanCertificates() reports
// every certificate and every problem with its place; readCertificates() is the strict form
// that throws the first problem. Both read through InputReader (reader.ts) with the whole-input
// limits, so a file, a stream and a string are read by the same rules.

import { textBytes } from '../encoding/utf8.ts';
import { ArgumentError, InputError, type InputLocation } from '../errors.ts';
import { resolveLimits, type Limits } from '../limits.ts';
import { Certificate, type Sha256 } from '../x509/certificate.ts';
import { classifyDer } from './classify.ts';
import { InputReader, type InputFormat, type ReadItem, type ReadOptions } from './reader.ts';

export type { InputFormat, ReadOptions } from './reader.ts';

/** A certificate of an input, with the form it was in and its place. */
export interface CertificateEntry {
  readonly certificate: Certificate;
  readonly format: InputFormat;
  readonly location: InputLocation;
}

/** A part of an input that is not a certificate: the error, and its place. */
export interface InputProblem {
  readonly error: InputError;
  readonly location: InputLocation;
}

/** Every certificate and every problem of an input. */
export interface ScanResult {
  readonly certificates: readonly CertificateEntry[];
  readonly problems: readonly InputProblem[];
}

/** Every certificate in the input, and every part that is not one, each with its place. */
export function scanCertificates(input: Uint8Array | string, options: ReadOptions = {}): ScanResult {
  const limits = resolveLimits(options.limits);
  const certificates: CertificateEntry[] = [];
  const problems: InputProblem[] = [];
  readWhole(input, options, (item) => {
    if (item.kind === 'problem') {
      problems.push({ error: new InputError(item.code, item.reason, item.at ?? item.location), location: item.location });
      return;
    }
    // Stryker disable next-line ConditionalExpression: a whole-input read asks for no payloads, so every other item is a block
    if (item.kind !== 'block') return; // Payloads are handed out only when asked for (maxPayloadBytes).
    const parsed = parseBlock(item.der, item.location, limits);
    if (parsed instanceof Certificate) certificates.push({ certificate: parsed, format: item.format, location: item.location });
    else problems.push({ error: parsed, location: item.location });
  });
  return { certificates, problems };
}

/**
 * Reads one whole input within the whole-input limits, handing each certificate block and
 * problem to `emit`; throws ERR_INPUT_TOO_LARGE or ERR_LIMIT_EXCEEDED for the input as a whole.
 */
export function readWhole(input: Uint8Array | string, options: ReadOptions, emit: (item: ReadItem) => void): void {
  const limits = resolveLimits(options.limits);
  // Characters for a string, bytes otherwise.
  if (input.length > limits.maxInputBytes) {
    throw new InputError('ERR_INPUT_TOO_LARGE', `input: expected at most ${limits.maxInputBytes} bytes, received ${input.length}`, { source: options.source });
  }
  const text = typeof input === 'string';
  // A string was measured in characters above; its UTF-8 form may be longer.
  const reader = new InputReader({ source: options.source, limits: text ? { ...limits, maxInputBytes: Infinity } : limits, whole: true, text });
  reader.push(typeof input === 'string' ? textBytes(input) : input, emit);
  reader.end(emit);
}

/**
 * The certificates of the input, in order; throws the first problem found.
 * @example
 * const [root, issuing] = readCertificates(pemText, { source: 'cas.pem' });
 * // root.subjectDn, issuing.issuerDn, root.notAfterTime, ...
 */
export function readCertificates(input: Uint8Array | string, options: ReadOptions = {}): Certificate[] {
  const { certificates, problems } = scanCertificates(input, options);
  const first = problems[0];
  if (first !== undefined) throw first.error;
  // Stryker disable next-line all: a guard; the reader reports every input that yields no certificate as a problem
  if (certificates.length === 0) {
    throw new InputError('ERR_NOT_A_CERTIFICATE', 'input: expected at least one certificate, received none', { source: options.source });
  }
  return certificates.map((c) => c.certificate);
}

/** Exactly one certificate; throws when the input holds none or several. */
export function readCertificate(input: Uint8Array | string, options: ReadOptions = {}): Certificate {
  const certificates = readCertificates(input, options);
  if (certificates.length !== 1) {
    throw new ArgumentError('ERR_INVALID_ARGUMENT', `input: expected exactly one certificate, received ${certificates.length}`, { source: options.source });
  }
  return certificates[0]!;
}

/**
 * A certificate block parsed, or the error that kept it from parsing, restated as what the
 * bytes are when that can be told from their shape (a private key, a CSR, a CRL).
 */
export function parseBlock(der: Uint8Array, location: InputLocation, limits: Limits, sha256?: Sha256): Certificate | InputError {
  try {
    return new Certificate(der, limits, sha256);
  } catch (error) {
    // Stryker disable next-line ConditionalExpression: Certificate throws nothing but InputErrors
    if (!(error instanceof InputError)) throw error;
    const kind = classifyDer(der);
    if (kind !== undefined) return new InputError(kind.code, `input is ${kind.what}`, location);
    return error.at(location);
  }
}
