// Reading certificates from whatever a user holds: PEM text (bundles, CRLF, text between
// blocks), DER, a bare base64 string (what Graph's `certificate` property holds) and PKCS#7
// certs-only bundles in PEM or DER. scanCertificates() reports every certificate and every
// problem with its place; readCertificates() is the strict form that throws the first problem.

import { decodeBase64Into, decodedLength, describeBase64Problem, isBase64Alphabet } from '../encoding/base64.ts';
import { cap, looksLikePem, parsePem } from '../encoding/pem.ts';
import { decodeUtf8, latin1 } from '../encoding/utf8.ts';
import { GraphMtlsError, type ErrorCode, type InputLocation } from '../errors.ts';
import { resolveLimits, type Limits } from '../limits.ts';
import { Certificate } from '../x509/certificate.ts';
import { classifyDer } from './classify.ts';
import { isPkcs7, readPkcs7Certificates } from './pkcs7.ts';

export type InputFormat = 'pem' | 'der' | 'base64' | 'pkcs7-pem' | 'pkcs7-der';

export interface ReadOptions {
  /** What to call the input in messages and results: a file name, `stdin`, a JSON path. */
  readonly source?: string;
  readonly limits?: Partial<Limits>;
}

export interface CertificateEntry {
  readonly certificate: Certificate;
  readonly format: InputFormat;
  readonly location: InputLocation;
}

export interface InputProblem {
  readonly error: GraphMtlsError;
  readonly location: InputLocation;
}

export interface ScanResult {
  readonly certificates: readonly CertificateEntry[];
  readonly problems: readonly InputProblem[];
}

const PRIVATE_KEY_LABEL = /PRIVATE KEY/;

/** Every certificate in the input, and every part that is not one, each with its place. */
export function scanCertificates(input: Uint8Array | string, options: ReadOptions = {}): ScanResult {
  const limits = resolveLimits(options.limits);
  const { source } = options;
  const certificates: CertificateEntry[] = [];
  const problems: InputProblem[] = [];
  // Characters for a string, bytes otherwise.
  if (input.length > limits.maxInputBytes) {
    throw new GraphMtlsError('ERR_INPUT_TOO_LARGE', `input: expected at most ${limits.maxInputBytes} bytes, received ${input.length}`, { source });
  }
  const add = (der: Uint8Array, format: InputFormat, location: InputLocation): void => {
    if (certificates.length >= limits.maxCertificates) {
      throw new GraphMtlsError('ERR_LIMIT_EXCEEDED', `input: expected at most ${limits.maxCertificates} certificates, received more`, location);
    }
    try {
      certificates.push({ certificate: new Certificate(der, limits), format, location });
    } catch (error) {
      problems.push({ error: explain(error, der, location), location });
    }
  };

  const text = typeof input === 'string' ? input : asText(input);
  // DER starts with SEQUENCE (0x30, '0'); so does an `openssl s_client -showcerts` dump.
  if (typeof input !== 'string' && input[0] === 0x30 && (text === undefined || !looksLikePem(text))) {
    readDer(input, 'der', { source }, limits, add, problems);
    return { certificates, problems };
  }
  if (text === undefined) {
    problems.push(problem('ERR_NOT_A_CERTIFICATE', 'input: expected PEM, DER or base64, received binary data that is not DER', { source }));
    return { certificates, problems };
  }
  if (looksLikePem(text)) {
    const blocks = parsePem(text, { source, maxBlocks: limits.maxCertificates, refuse: refuseLabel(source) });
    let index = 0;
    for (const block of blocks) {
      const location: InputLocation = { source, index, line: block.line };
      if (block.error !== undefined) {
        problems.push({ error: block.error.at(location), location });
        index++;
        continue;
      }
      const labelProblem = labelError(block.label, location);
      if (labelProblem !== undefined) {
        problems.push({ error: labelProblem, location });
        index++;
        continue;
      }
      index += readDer(block.bytes, 'pem', location, limits, add, problems);
    }
    if (blocks.length === 0) {
      problems.push(problem('ERR_PEM_NO_BLOCKS', "input: expected at least one '-----BEGIN CERTIFICATE-----' block, received none", { source }));
    }
    return { certificates, problems };
  }
  const der = base64Body(text, source);
  if (der instanceof GraphMtlsError) {
    problems.push({ error: der, location: { source } });
    return { certificates, problems };
  }
  readDer(der, 'base64', { source }, limits, add, problems);
  return { certificates, problems };
}

/** The certificates of the input, in order; throws the first problem found. */
export function readCertificates(input: Uint8Array | string, options: ReadOptions = {}): Certificate[] {
  const { certificates, problems } = scanCertificates(input, options);
  const first = problems[0];
  if (first !== undefined) throw first.error;
  if (certificates.length === 0) {
    throw new GraphMtlsError('ERR_NOT_A_CERTIFICATE', 'input: expected at least one certificate, received none', { source: options.source });
  }
  return certificates.map((c) => c.certificate);
}

/** Exactly one certificate; throws when the input holds none or several. */
export function readCertificate(input: Uint8Array | string, options: ReadOptions = {}): Certificate {
  const certificates = readCertificates(input, options);
  if (certificates.length !== 1) {
    throw new GraphMtlsError('ERR_INVALID_ARGUMENT', `input: expected exactly one certificate, received ${certificates.length}`, { source: options.source });
  }
  return certificates[0]!;
}

/** Reads one DER object (a certificate or a PKCS#7 bundle); returns how many entries it held. */
function readDer(
  der: Uint8Array,
  format: 'der' | 'base64' | 'pem',
  location: InputLocation,
  limits: Limits,
  add: (der: Uint8Array, format: InputFormat, location: InputLocation) => void,
  problems: InputProblem[],
): number {
  const index = location.index ?? 0;
  const at: InputLocation = { ...location, index };
  if (!isPkcs7(der)) {
    add(der, format, at);
    return 1;
  }
  let certs: Uint8Array[];
  try {
    certs = readPkcs7Certificates(der, limits);
  } catch (error) {
    problems.push({ error: explain(error, der, at), location: at });
    return 1;
  }
  if (certs.length === 0) {
    problems.push(problem('ERR_NOT_A_CERTIFICATE', 'PKCS#7: expected at least one certificate in the bundle, received none', at));
    return 1;
  }
  const kind: InputFormat = format === 'pem' ? 'pkcs7-pem' : 'pkcs7-der';
  certs.forEach((c, i) => add(c, kind, { ...at, index: index + i }));
  return certs.length;
}

/** A parse failure, restated as what the input is when that can be told from its shape. */
function explain(error: unknown, der: Uint8Array, location: InputLocation): GraphMtlsError {
  const kind = classifyDer(der);
  if (kind !== undefined) return new GraphMtlsError(kind.code, `input is ${kind.what}`, location);
  if (error instanceof GraphMtlsError) return error.at(location);
  throw error;
}

function refuseLabel(source: string | undefined): (label: string, line: number) => GraphMtlsError | undefined {
  return (label, line) =>
    PRIVATE_KEY_LABEL.test(label)
      ? new GraphMtlsError('ERR_PRIVATE_KEY', `PEM block '${cap(label)}' is a private key; refused: only public CA certificates belong here, and the key's content is neither read nor shown`, { source, line })
      : undefined;
}

const LABELS: Record<string, [ErrorCode, string] | undefined> = {
  'TRUSTED CERTIFICATE': ['ERR_TRUSTED_CERTIFICATE', "an OpenSSL 'TRUSTED CERTIFICATE' (a certificate with trust settings appended); export the plain certificate with 'openssl x509 -in FILE -out plain.pem'"],
  'CERTIFICATE REQUEST': ['ERR_CSR', 'a certificate signing request (PKCS#10 CSR), not a certificate'],
  'NEW CERTIFICATE REQUEST': ['ERR_CSR', 'a certificate signing request (PKCS#10 CSR), not a certificate'],
  'X509 CRL': ['ERR_CRL', 'a certificate revocation list (CRL), not a certificate'],
  'PUBLIC KEY': ['ERR_PUBLIC_KEY', 'a bare public key, not a certificate'],
  'RSA PUBLIC KEY': ['ERR_PUBLIC_KEY', 'a bare RSA public key, not a certificate'],
};

function labelError(label: string, location: InputLocation): GraphMtlsError | undefined {
  if (label === 'CERTIFICATE' || label === 'X509 CERTIFICATE' || label === 'PKCS7' || label === 'CMS') return undefined;
  const known = LABELS[label];
  if (known !== undefined) return new GraphMtlsError(known[0], `PEM block '${label}' is ${known[1]}`, location);
  return new GraphMtlsError('ERR_PEM_UNSUPPORTED_LABEL', `PEM block: expected the label 'CERTIFICATE' or 'PKCS7', received '${cap(label)}'`, location);
}

/** Bytes that are not DER, read as UTF-8 (or Latin-1) text; undefined when they are binary. */
function asText(bytes: Uint8Array): string | undefined {
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  for (let i = start; i < Math.min(bytes.length, 4096); i++) {
    const b = bytes[i]!;
    if (b < 9 || (b > 13 && b < 32 && b !== 27)) return undefined;
  }
  return decodeUtf8(bytes, start) ?? latin1(bytes, start);
}

/** A bare base64 text: whitespace and line breaks allowed between characters, nothing else. */
function base64Body(text: string, source: string | undefined): Uint8Array | GraphMtlsError {
  let compact = '';
  let firstBad = -1;
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) {
      compact += text.slice(runStart, i);
      runStart = i + 1;
    } else if (!isBase64Alphabet(c) && firstBad < 0) firstBad = i;
  }
  compact += text.slice(runStart);
  if (compact.length === 0) return new GraphMtlsError('ERR_INPUT_EMPTY', 'input: expected a certificate, received empty input', { source });
  if (firstBad >= 0) {
    // Say where, never what: the text may be a key or a secret in some other format.
    const before = text.slice(0, firstBad);
    const line = before.split('\n').length;
    const column = firstBad - before.lastIndexOf('\n');
    return new GraphMtlsError('ERR_NOT_A_CERTIFICATE', `input: expected PEM, DER or base64, received text that is none of these (first character outside base64 at line ${line}, column ${column})`, { source, line });
  }
  const out = new Uint8Array(decodedLength(compact.length - (compact.length % 4)) + 3);
  const n = decodeBase64Into(compact, 0, compact.length, out, 0);
  if (typeof n !== 'number') {
    return new GraphMtlsError('ERR_BASE64_INVALID', `input: expected standard padded base64 (RFC 4648 §4), ${describeBase64Problem(compact, n)}`, { source });
  }
  return out.subarray(0, n);
}

function problem(code: ErrorCode, reason: string, location: InputLocation): InputProblem {
  return { error: new GraphMtlsError(code, reason, location), location };
}
