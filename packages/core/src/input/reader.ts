// Reading an input as it comes, in pieces of any size: PEM text (bundles of any length, read
// block by block in bounded memory), DER, a bare base64 string (what Graph's `certificate`
// property holds) and PKCS#7 certs-only bundles in PEM or DER. Each certificate block and each
// part that is not one is handed out at once with its place (index, BEGIN line), so nothing is
// retained and one bad block never hides the others.
//
// Two budgets. `whole` (readCertificates, lint): the input is at most maxInputBytes and holds
// at most maxCertificates, or it is refused as a whole, as before. Streamed (the default): PEM
// text may be as long as it likes, since many valid certificates are the point of bulk work;
// what is held at once (one PEM block, or a DER or base64 input) is at most maxInputBytes; and
// at most maxProblems unreadable parts are reported one by one, the rest in one summary.

import { decodeBase64Into, decodedLength, describeBase64Problem, isBase64Alphabet } from '../encoding/base64.ts';
import { PemScanner, cap, type PemProblem, type ScannedBlock } from '../encoding/pem.ts';
import { InputError, type InputErrorCode, type InputLocation } from '../errors.ts';
import { resolveLimits, type Limits } from '../limits.ts';
import { TEXT_PROBE_BYTES, bomLength, contentStart, decodeText, findPemBegin, looksLikeJson, looksLikeText } from './content.ts';
import { isPkcs7, readPkcs7Certificates } from './pkcs7.ts';

/** The form a certificate was read from. */
export type InputFormat = 'pem' | 'der' | 'base64' | 'pkcs7-pem' | 'pkcs7-der';

/** How an input is read: what to call it, and the limits. */
export interface ReadOptions {
  /** What to call the input in messages and results: a file name, `stdin`, a JSON path. */
  readonly source?: string;
  readonly limits?: Partial<Limits>;
}

/** The DER of one certificate (not parsed yet) and where it came from. */
export interface CertificateBlock {
  readonly kind: 'block';
  readonly der: Uint8Array;
  readonly format: InputFormat;
  readonly location: InputLocation;
}

/** A part of the input that yields no certificate, as data (no error object, no stack). */
export interface InputProblemData {
  readonly kind: 'problem';
  readonly code: InputErrorCode;
  /** "subject: expected …, received …", without the location. */
  readonly reason: string;
  readonly location: InputLocation;
  /** The problem's own place when it is finer than `location` (the line of a bad character). */
  readonly at?: InputLocation;
}

/** A JSON payload (a create or update body): the input's first byte after whitespace is { or [. */
export interface PayloadData {
  readonly kind: 'payload';
  readonly bytes: Uint8Array;
  readonly location: InputLocation;
}

/** What InputReader hands out: a certificate block, a problem, or a payload. */
export type ReadItem = CertificateBlock | InputProblemData | PayloadData;

/** How InputReader reads: as a whole or as it comes, text or bytes, whether payloads are handed out. */
export interface ReaderOptions extends ReadOptions {
  /** Read as one input within maxInputBytes and maxCertificates (thrown ERR_* past them); default streamed. */
  readonly whole?: boolean;
  /** The input is text (a JavaScript string): never DER or binary. */
  readonly text?: boolean;
  /**
   * Most bytes of a JSON payload; when set, an input whose first byte after whitespace is {
   * or [ is handed out whole as a payload item instead of being read as certificates.
   */
  readonly maxPayloadBytes?: number;
}

const PRIVATE_KEY_LABEL = /PRIVATE KEY/;

type State = 'head' | 'pem' | 'whole-der' | 'json' | 'done';

/**
 * An input read piece by piece. push() and end() hand each certificate block and each problem
 * to `emit` in input order. With `whole`, the limits are thrown as InputError instead.
 */
export class InputReader {
  readonly #limits: Limits;
  readonly #source: string | undefined;
  readonly #whole: boolean;
  readonly #text: boolean;
  readonly #maxPayload: number | undefined;
  #state: State = 'head';
  #head: Uint8Array = new Uint8Array(0);
  #headLength = 0;
  /** Where the search for a BEGIN line in the head resumes. */
  #searched = 0;
  #scanner: PemScanner | undefined;
  #index = 0;
  #blocks = 0;
  #certificates = 0;
  #problems = 0;
  #skipped = 0;
  #firstSkipped: InputLocation | undefined;
  #bytes = 0;

  constructor(options: ReaderOptions = {}) {
    this.#limits = resolveLimits(options.limits);
    this.#source = options.source;
    this.#whole = options.whole === true;
    this.#text = options.text === true;
    this.#maxPayload = options.maxPayloadBytes;
  }

  /** True once the input is refused as a whole (binary, too large): the rest need not be read. */
  get done(): boolean {
    return this.#state === 'done';
  }

  /**
   * Certificates read from now on share no buffer with those handed out so far, so a caller
   * that batches them may transfer each batch's buffers to another thread.
   */
  cut(): void {
    this.#scanner?.cut();
  }

  push(piece: Uint8Array, emit: (item: ReadItem) => void): void {
    if (piece.length === 0 || this.#state === 'done') return;
    this.#bytes += piece.length;
    if (this.#whole && this.#bytes > this.#limits.maxInputBytes) {
      throw new InputError('ERR_INPUT_TOO_LARGE', `input: expected at most ${this.#limits.maxInputBytes} bytes, received ${this.#bytes}`, { source: this.#source });
    }
    this.#route(piece, emit);
  }

  #route(piece: Uint8Array, emit: (item: ReadItem) => void): void {
    if (this.#state === 'done') return;
    if (this.#state === 'pem') {
      this.#scanner!.push(piece, (block) => this.#block(block, emit));
      return;
    }
    // Not told apart yet: the part that fits in the head is looked at first, so a first piece
    // larger than the head may hold is still read as it comes (PEM), not refused unseen.
    const room = this.#limits.maxInputBytes - this.#headLength;
    if (this.#state === 'head' && !this.#whole && piece.length > room && room > 0) {
      this.#collect(piece.subarray(0, room), emit);
      this.#decide(false, emit);
      this.#route(piece.subarray(room), emit);
      return;
    }
    this.#collect(piece, emit);
    if (this.#state === 'head') this.#decide(false, emit);
  }

  end(emit: (item: ReadItem) => void): void {
    if (this.#state === 'head') this.#decide(true, emit);
    if (this.#state === 'json') {
      emit({ kind: 'payload', bytes: this.#head.subarray(0, this.#headLength), location: { source: this.#source } });
    } else if (this.#state === 'pem') {
      this.#scanner!.end((block) => this.#block(block, emit));
      if (this.#blocks === 0) this.#problem('ERR_PEM_NO_BLOCKS', "input: expected at least one '-----BEGIN CERTIFICATE-----' block, received none", { source: this.#source }, emit);
    } else if (this.#state === 'whole-der' || this.#state === 'head') this.#finishWhole(emit);
    if (this.#skipped > 0) {
      const shown = this.#limits.maxProblems;
      emit({
        kind: 'problem',
        code: 'ERR_LIMIT_EXCEEDED',
        reason: `input: expected at most ${shown} unreadable parts reported one by one, received ${shown + this.#skipped}; the other ${this.#skipped} were skipped without a finding each (the first of them is this place)`,
        location: this.#firstSkipped ?? { source: this.#source },
      });
    }
    this.#state = 'done';
    this.#head = new Uint8Array(0);
  }

  #collect(piece: Uint8Array, emit: (item: ReadItem) => void): void {
    const need = this.#headLength + piece.length;
    if (this.#state === 'json' && need > this.#maxPayload!) {
      this.#refuse('ERR_INPUT_TOO_LARGE', `payload: expected at most ${this.#maxPayload} bytes, received more`, emit);
      return;
    }
    if (this.#state !== 'json' && need > this.#limits.maxInputBytes) {
      this.#refuse('ERR_INPUT_TOO_LARGE', `input: expected at most ${this.#limits.maxInputBytes} bytes, received ${this.#whole ? need : 'more'}`, emit);
      return;
    }
    // Stryker disable next-line EqualityOperator: growing at an exact fit only makes a buffer that is not needed
    if (need > this.#head.length) {
      const grown = new Uint8Array(Math.max(need, Math.min(2 * this.#head.length, this.#limits.maxInputBytes)));
      grown.set(this.#head.subarray(0, this.#headLength));
      this.#head = grown;
    }
    this.#head.set(piece, this.#headLength);
    this.#headLength = need;
  }

  /** From the head: PEM (read on as it comes), or DER / base64 / binary (known only whole). */
  #decide(final: boolean, emit: (item: ReadItem) => void): void {
    const head = this.#head.subarray(0, this.#headLength);
    const bom = this.#text ? 0 : bomLength(head);
    if (this.#maxPayload !== undefined) {
      // A payload is told by its first byte after whitespace; wait for one.
      if (contentStart(head) === head.length && !final) return;
      if (looksLikeJson(head)) {
        this.#state = 'json';
        if (head.length > this.#maxPayload) this.#refuse('ERR_INPUT_TOO_LARGE', `payload: expected at most ${this.#maxPayload} bytes, received more`, emit);
        return;
      }
    }
    if (!final && head.length < bom + TEXT_PROBE_BYTES) return;
    if (!this.#text && !looksLikeText(head)) {
      if (head[0] !== 0x30) {
        this.#refuse('ERR_NOT_A_CERTIFICATE', 'input: expected PEM, DER or base64, received binary data that is not DER', emit);
        return;
      }
      this.#state = 'whole-der';
      const declared = derLength(head);
      // Stryker disable next-line ConditionalExpression: undefined > n is false as well
      if (declared !== undefined && declared > this.#limits.maxInputBytes) {
        this.#refuse('ERR_INPUT_TOO_LARGE', `input: expected at most ${this.#limits.maxInputBytes} bytes, received a DER value of ${declared}`, emit);
      }
      return;
    }
    const begin = findPemBegin(head, Math.max(bom, this.#searched - 10));
    this.#searched = head.length;
    if (begin < 0) return;
    this.#state = 'pem';
    this.#scanner = new PemScanner({
      refuse: (label) =>
        PRIVATE_KEY_LABEL.test(label)
          ? { code: 'ERR_PRIVATE_KEY', reason: `PEM block '${cap(label)}' is a private key; refused: only public CA certificates belong here, and the key's content is neither read nor shown` }
          : undefined,
      ...(this.#whole ? {} : { maxBlockBytes: this.#limits.maxInputBytes }),
    });
    this.#head = new Uint8Array(0);
    this.#headLength = 0;
    this.#scanner.push(head.subarray(bom), (block) => this.#block(block, emit));
  }

  /** A DER or base64 input, now that all of it is here. */
  #finishWhole(emit: (item: ReadItem) => void): void {
    const bytes = this.#head.subarray(0, this.#headLength);
    const location: InputLocation = { source: this.#source };
    if (!this.#text && bytes[0] === 0x30) {
      this.#der(bytes, 'der', location, emit);
      return;
    }
    const der = base64Body(decodeText(bytes, this.#text ? 0 : bomLength(bytes)));
    if (!('code' in der)) this.#der(der, 'base64', location, emit);
    else if (der.line === undefined) this.#problem(der.code, der.reason, location, emit);
    else emit({ kind: 'problem', code: der.code, reason: der.reason, location, at: { source: this.#source, line: der.line } });
  }

  #block(block: ScannedBlock, emit: (item: ReadItem) => void): void {
    if (++this.#blocks > this.#limits.maxCertificates && this.#whole) {
      throw new InputError('ERR_LIMIT_EXCEEDED', `PEM: expected at most ${this.#limits.maxCertificates} blocks, received more`, { source: this.#source, line: block.line });
    }
    const location: InputLocation = { source: this.#source, index: this.#index, line: block.line };
    if (block.problem !== undefined) {
      this.#index++;
      this.#problem(block.problem.code, block.problem.reason, location, emit);
      return;
    }
    const label = labelProblem(block.label);
    if (label !== undefined) {
      this.#index++;
      this.#problem(label.code, label.reason, location, emit);
      return;
    }
    this.#der(block.bytes, 'pem', location, emit);
  }

  /** One DER object: a certificate, or a PKCS#7 bundle whose certificates each take an index. */
  #der(der: Uint8Array, format: 'der' | 'base64' | 'pem', location: InputLocation, emit: (item: ReadItem) => void): void {
    const at: InputLocation = location.index === undefined ? { ...location, index: 0 } : location;
    const index = at.index!;
    if (!isPkcs7(der)) {
      this.#index = index + 1;
      this.#certificate(der, format, at, emit);
      return;
    }
    let certs: Uint8Array[];
    try {
      certs = readPkcs7Certificates(der, this.#limits);
    } catch (error) {
      // Stryker disable next-line ConditionalExpression: readPkcs7Certificates throws nothing else
      if (!(error instanceof InputError)) throw error;
      this.#index = index + 1;
      this.#problem(error.code, error.reason, at, emit);
      return;
    }
    if (certs.length === 0) {
      this.#index = index + 1;
      this.#problem('ERR_NOT_A_CERTIFICATE', 'PKCS#7: expected at least one certificate in the bundle, received none', at, emit);
      return;
    }
    this.#index = index + certs.length;
    const kind = format === 'pem' ? 'pkcs7-pem' : 'pkcs7-der';
    // Stryker disable next-line ConditionalExpression: for i = 0 the new object equals `at`
    for (let i = 0; i < certs.length; i++) this.#certificate(certs[i]!, kind, i === 0 ? at : { ...at, index: index + i }, emit);
  }

  #certificate(der: Uint8Array, format: InputFormat, location: InputLocation, emit: (item: ReadItem) => void): void {
    if (this.#whole && this.#certificates >= this.#limits.maxCertificates) {
      throw new InputError('ERR_LIMIT_EXCEEDED', `input: expected at most ${this.#limits.maxCertificates} certificates, received more`, location);
    }
    this.#certificates++;
    emit({ kind: 'block', der, format, location });
  }

  #problem(code: InputErrorCode, reason: string, location: InputLocation, emit: (item: ReadItem) => void): void {
    if (!this.#whole && this.#problems >= this.#limits.maxProblems) {
      if (this.#skipped++ === 0) this.#firstSkipped = location;
      return;
    }
    this.#problems++;
    emit({ kind: 'problem', code, reason, location });
  }

  /** The whole input is refused: one problem, and nothing more is read. */
  #refuse(code: InputErrorCode, reason: string, emit: (item: ReadItem) => void): void {
    this.#state = 'done';
    this.#head = new Uint8Array(0);
    this.#headLength = 0;
    emit({ kind: 'problem', code, reason, location: { source: this.#source } });
  }
}

const LABELS: Record<string, [InputErrorCode, string] | undefined> = {
  'TRUSTED CERTIFICATE': ['ERR_TRUSTED_CERTIFICATE', "an OpenSSL 'TRUSTED CERTIFICATE' (a certificate with trust settings appended); export the plain certificate with 'openssl x509 -in FILE -out plain.pem'"],
  'CERTIFICATE REQUEST': ['ERR_CSR', 'a certificate signing request (PKCS#10 CSR), not a certificate'],
  'NEW CERTIFICATE REQUEST': ['ERR_CSR', 'a certificate signing request (PKCS#10 CSR), not a certificate'],
  'X509 CRL': ['ERR_CRL', 'a certificate revocation list (CRL), not a certificate'],
  'PUBLIC KEY': ['ERR_PUBLIC_KEY', 'a bare public key, not a certificate'],
  'RSA PUBLIC KEY': ['ERR_PUBLIC_KEY', 'a bare RSA public key, not a certificate'],
};

function labelProblem(label: string): PemProblem | undefined {
  if (label === 'CERTIFICATE' || label === 'X509 CERTIFICATE' || label === 'PKCS7' || label === 'CMS') return undefined;
  const known = LABELS[label];
  if (known !== undefined) return { code: known[0], reason: `PEM block '${label}' is ${known[1]}` };
  return { code: 'ERR_PEM_UNSUPPORTED_LABEL', reason: `PEM block: expected the label 'CERTIFICATE' or 'PKCS7', received '${cap(label)}'` };
}

/** The length of the DER value a SEQUENCE header announces (definite lengths only). */
function derLength(bytes: Uint8Array): number | undefined {
  const l = bytes[1];
  // Stryker disable next-line ConditionalExpression,LogicalOperator: with no second byte, or 0x80, the lines below give 2: no length over any limit either
  if (l === undefined || l === 0x80) return undefined;
  // Stryker disable next-line EqualityOperator: 0x80 returned above
  if (l < 0x80) return 2 + l;
  const n = l & 0x7f;
  if (n > 6) return undefined;
  // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: length bytes not all here read as NaN, which is over no limit either
  if (bytes.length < 2 + n) return undefined;
  let value = 0;
  for (let i = 0; i < n; i++) value = value * 256 + bytes[2 + i]!;
  return 2 + n + value;
}

/** A bare base64 text: whitespace and line breaks allowed between characters, nothing else. */
function base64Body(text: string): Uint8Array | (PemProblem & { readonly line?: number }) {
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
  if (compact.length === 0) return { code: 'ERR_INPUT_EMPTY', reason: 'input: expected a certificate, received empty input' };
  if (firstBad >= 0) {
    // Say where, never what: the text may be a key or a secret in some other format.
    const before = text.slice(0, firstBad);
    const line = before.split('\n').length;
    const column = firstBad - before.lastIndexOf('\n');
    return { code: 'ERR_NOT_A_CERTIFICATE', reason: `input: expected PEM, DER or base64, received text that is none of these (first character outside base64 at line ${line}, column ${column})`, line };
  }
  // Stryker disable next-line ArithmeticOperator: a larger buffer is cut to the decoded length below
  const out = new Uint8Array(decodedLength(compact.length - (compact.length % 4)) + 3);
  const n = decodeBase64Into(compact, 0, compact.length, out, 0);
  if (typeof n !== 'number') return { code: 'ERR_BASE64_INVALID', reason: `input: expected standard padded base64 (RFC 4648 §4), ${describeBase64Problem(compact, n)}` };
  return out.subarray(0, n);
}
