// Reading CRLs (RFC 5280 §5) from what a user holds: DER, PEM text with 'X509 CRL' blocks
// (RFC 7468 §6, any number per text) or bare base64 of DER. Every CRL and every part that is
// not one is reported with its place, so one bad block never hides the others. InputReader
// refuses 'X509 CRL' blocks by label, so this reader is built from the same parts: the content
// sniffing of content.ts, PemScanner (private-key blocks refused unread) and strict base64.

import { decodeBase64Into, decodedLength, describeBase64Problem, isBase64Alphabet } from '../encoding/base64.ts';
import { PemScanner, cap, type PemProblem, type ScannedBlock } from '../encoding/pem.ts';
import { textBytes } from '../encoding/utf8.ts';
import { InputError, type InputLocation } from '../errors.ts';
import { resolveLimits, type Limits } from '../limits.ts';
import { Certificate } from '../x509/certificate.ts';
import { CertificateList, type CrlParseOptions } from '../x509/crl.ts';
import { classifyDer } from './classify.ts';
import { bomLength, decodeText, findPemBegin, sniffContent } from './content.ts';
import { isPkcs7 } from './pkcs7.ts';
import { parseBlock, type InputProblem } from './read-certificates.ts';

/** How readCrls reads: what to call the input, the limits, and the most entries per CRL. */
export interface ReadCrlsOptions extends CrlParseOptions {
  /** What to call the input in messages and results: a file name, `stdin`. */
  readonly source?: string;
}

/** A CRL of an input, with the form it was in and its place. */
export interface LocatedCrl {
  readonly crl: CertificateList;
  readonly format: 'pem' | 'der' | 'base64';
  readonly location: InputLocation;
}

/** Every CRL and every problem of an input. */
export interface CrlScanResult {
  readonly crls: readonly LocatedCrl[];
  readonly problems: readonly InputProblem[];
}

/** PEM labels that are not CRLs but are often given for one, and what they are. */
const NOT_CRL_LABELS: Readonly<Record<string, string | undefined>> = {
  CERTIFICATE: 'a certificate',
  'X509 CERTIFICATE': 'a certificate',
  'TRUSTED CERTIFICATE': 'an OpenSSL trusted certificate',
  'CERTIFICATE REQUEST': 'a certificate signing request (PKCS#10 CSR)',
  'NEW CERTIFICATE REQUEST': 'a certificate signing request (PKCS#10 CSR)',
  'PUBLIC KEY': 'a bare public key',
};

const PKCS7 = 'a PKCS#7 bundle; CRLs are read from DER, base64 or PEM X509 CRL blocks, not from PKCS#7';

/**
 * Every CRL in the input (DER, PEM 'X509 CRL' blocks, or base64 of DER), and every part that
 * is not one, each with its place. A certificate, a CSR or a public key is ERR_NOT_A_CRL; a
 * private key is ERR_PRIVATE_KEY and its content is never decoded or shown. Throws only for the
 * input as a whole: ERR_INPUT_TOO_LARGE past limits.maxInputBytes, ERR_LIMIT_EXCEEDED past
 * limits.maxCertificates PEM blocks.
 * @example
 * const { crls, problems } = readCrls(crlPemText, { source: 'issuing.crl' });
 * const issuers = crls.map(({ crl }) => crl.issuerDn);
 * const unreadable = problems.map(({ error, location }) => `${location.line}: ${error.code}`);
 */
export function readCrls(input: Uint8Array | string, options: ReadCrlsOptions = {}): CrlScanResult {
  const limits = resolveLimits(options.limits);
  const source = options.source;
  // Characters for a string, bytes otherwise (as readCertificates counts).
  if (input.length > limits.maxInputBytes) {
    throw new InputError('ERR_INPUT_TOO_LARGE', `input: expected at most ${limits.maxInputBytes} bytes, received ${input.length}`, { source });
  }
  const crls: LocatedCrl[] = [];
  const problems: InputProblem[] = [];
  const problem = (p: PemProblem, location: InputLocation): void => {
    problems.push({ error: new InputError(p.code, p.reason, location), location });
  };
  const add = (der: Uint8Array, format: LocatedCrl['format'], location: InputLocation): void => {
    const read = readCrl(der, location, limits, options.maxRevokedEntries);
    if (read instanceof CertificateList) crls.push({ crl: read, format, location });
    else problems.push({ error: read, location });
  };

  const bytes = typeof input === 'string' ? textBytes(input) : input;
  // A string is text: never DER, even when it starts with '0' (0x30).
  const kind = typeof input === 'string' ? (findPemBegin(bytes) >= 0 ? 'pem' : 'base64') : sniffContent(bytes);
  if (kind === 'der') add(bytes, 'der', { source });
  else if (kind === 'binary') problem({ code: 'ERR_NOT_A_CRL', reason: 'input: expected PEM, DER or base64, received binary data that is not DER' }, { source });
  else if (kind === 'pem') readPem(bytes, source, limits, add, problem);
  else {
    const der = base64Body(decodeText(bytes));
    if (der instanceof Uint8Array) add(der, 'base64', { source });
    else problem(der, { source });
  }
  return { crls, problems };
}

/** The blocks of a PEM text: 'X509 CRL' blocks are read, every other block is a problem at its place. */
function readPem(
  bytes: Uint8Array,
  source: string | undefined,
  limits: Limits,
  add: (der: Uint8Array, format: 'pem', location: InputLocation) => void,
  problem: (p: PemProblem, location: InputLocation) => void,
): void {
  const scanner = new PemScanner({
    refuse: (label) =>
      /PRIVATE KEY/.test(label)
        ? { code: 'ERR_PRIVATE_KEY', reason: `PEM block '${cap(label)}' is a private key, not a CRL; refused: the key's content is neither read nor shown` }
        : undefined,
  });
  let index = 0;
  const onBlock = (block: ScannedBlock): void => {
    if (index >= limits.maxCertificates) {
      throw new InputError('ERR_LIMIT_EXCEEDED', `PEM: expected at most ${limits.maxCertificates} blocks, received more`, { source, line: block.line });
    }
    const location: InputLocation = { source, index: index++, line: block.line };
    if (block.problem !== undefined) problem(block.problem, location);
    else if (block.label === 'X509 CRL') add(block.bytes, 'pem', location);
    else problem(labelProblem(block.label), location);
  };
  scanner.push(bytes.subarray(bomLength(bytes)), onBlock);
  scanner.end(onBlock);
  if (index === 0) problem({ code: 'ERR_PEM_NO_BLOCKS', reason: "input: expected at least one '-----BEGIN X509 CRL-----' block, received none" }, { source });
}

function labelProblem(label: string): PemProblem {
  const what = NOT_CRL_LABELS[label];
  if (what !== undefined) return { code: 'ERR_NOT_A_CRL', reason: `PEM block '${label}' is ${what}, not a CRL` };
  if (label === 'PKCS7' || label === 'CMS') return { code: 'ERR_PKCS7_UNSUPPORTED', reason: `PEM block '${label}' is ${PKCS7}` };
  return { code: 'ERR_PEM_UNSUPPORTED_LABEL', reason: `PEM block: expected the label 'X509 CRL', received '${cap(label)}'` };
}

/**
 * A CRL parsed, or the error that kept it from parsing, restated as what the bytes are when
 * their shape tells (a certificate, a key, a CSR, PKCS#7). A key's message holds nothing of it.
 */
function readCrl(der: Uint8Array, location: InputLocation, limits: Limits, maxRevokedEntries: number | undefined): CertificateList | InputError {
  try {
    return new CertificateList(der, limits, maxRevokedEntries);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    if (isPkcs7(der)) return new InputError('ERR_PKCS7_UNSUPPORTED', `input is ${PKCS7}`, location);
    const kind = classifyDer(der);
    // A malformed CRL: its own error says where.
    if (kind?.code === 'ERR_CRL') return error.at(location);
    if (kind?.code === 'ERR_PRIVATE_KEY') {
      return new InputError('ERR_PRIVATE_KEY', `input is ${kind.what.split('; ')[0]}, not a CRL; refused: the key's content is neither read nor shown`, location);
    }
    if (kind !== undefined) return new InputError('ERR_NOT_A_CRL', `input is ${kind.what.split(', not a ')[0]}, not a CRL`, location);
    if (parseBlock(der, location, limits) instanceof Certificate) return new InputError('ERR_NOT_A_CRL', 'input is a certificate, not a CRL', location);
    return error.at(location);
  }
}

/** A bare base64 text: whitespace and line breaks allowed between characters, nothing else. */
function base64Body(text: string): Uint8Array | PemProblem {
  const compact = text.replace(/[ \t\r\n\ufeff]/g, '');
  if (compact.length === 0) return { code: 'ERR_INPUT_EMPTY', reason: 'input: expected a CRL, received empty input' };
  for (let i = 0; i < compact.length; i++) {
    if (isBase64Alphabet(compact.charCodeAt(i))) continue;
    // Say where, never what: the text may be a key or a secret in some other format.
    const at = text.indexOf(compact[i]!);
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    return { code: 'ERR_NOT_A_CRL', reason: `input: expected PEM, DER or base64, received text that is none of these (first character outside base64 at line ${line}, column ${at - before.lastIndexOf('\n')})` };
  }
  const out = new Uint8Array(decodedLength(compact.length - (compact.length % 4)) + 3);
  const n = decodeBase64Into(compact, 0, compact.length, out, 0);
  if (typeof n !== 'number') return { code: 'ERR_BASE64_INVALID', reason: `input: expected standard padded base64 (RFC 4648 §4), ${describeBase64Problem(compact, n)}` };
  return out.subarray(0, n);
}
