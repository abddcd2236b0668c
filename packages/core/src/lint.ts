// Lint inputs end to end: read every certificate an input holds (any form), check each in its
// role, decide root or intermediate, and turn unreadable parts into findings, so one bad block
// never hides the others. Three forms over one pipeline:
// - lintStream(): pieces of one input in (a file or stream as it is read), reports out as
//   they are made, nothing retained: a million certificates in bounded memory. A JSON payload
//   is told apart by its first bytes and checked as Graph would parse it.
// - Linter: read items (certificate blocks and problems, from InputReader) in, reports out, for
//   callers that read and lint in different places (the CLI reads on one thread and lints on
//   workers).
// - lint(): one whole input in, one report out, as readCertificates reads it.

import { classifyAuthority, isSelfIssued, presumeSelfSigned, sameName, verifySignedBy, type AuthorityKind, type SelfSignature } from './checks/authority.ts';
import { checkCertificate, type CertificateRole, type CheckOptions } from './checks/check-certificate.ts';
import { countFindings, finding, inputFinding, problemFinding, sortFindings, unreadableFinding, type Finding, type FindingCounts } from './checks/finding.ts';
import type { SignatureVerifier } from './checks/verify-signature.ts';
import { textBytes } from './encoding/utf8.ts';
import { describeLocation, InputError, type InputLocation } from './errors.ts';
import { DEFAULT_PAYLOAD_LIMITS, checkPayload, type PayloadCheckOptions, type PayloadKind } from './payload/check.ts';
import { decodeText } from './input/content.ts';
import { parseBlock, readWhole } from './input/read-certificates.ts';
import { InputReader, type CertificateBlock, type InputFormat, type ReadItem, type ReadOptions } from './input/reader.ts';
import { resolveLimits, type Limits } from './limits.ts';
import type { Certificate, Sha256 } from './x509/certificate.ts';

/** How lint reads and checks: the date, the role, the parameter, the verifier, the limits. */
export interface LintOptions extends Omit<CheckOptions, 'role'>, ReadOptions {
  /**
   * `ca` (default) checks every certificate as a CA to upload; `device` as a device
   * certificate; `auto` checks a certificate with basicConstraints cA TRUE as a CA and any
   * other as a device.
   */
  readonly role?: CertificateRole | 'auto';
  /** Verifies self-signatures (e.g. createWebCryptoVerifier(crypto.subtle)); without one they are "not verified". */
  readonly verifier?: SignatureVerifier;
  /** SHA-256 for fingerprints where the platform has a faster one; default the pure one. Results are the same. */
  readonly sha256?: Sha256;
}

/** LintOptions, and how a JSON payload in the stream is read. */
export interface LintStreamOptions extends LintOptions {
  /** How a JSON payload is judged; `auto` (default): create when it has tlsClientAuthParameter, else update. */
  readonly payloadKind?: PayloadKind | 'auto';
  readonly payloadLimits?: PayloadCheckOptions['payloadLimits'];
}

/** One certificate of an input: the view, its role, root or intermediate, and its findings. */
export interface CertificateReport {
  readonly type: 'certificate';
  readonly certificate: Certificate;
  /** The role the certificate was checked in. */
  readonly role: CertificateRole;
  readonly format: InputFormat;
  readonly location: InputLocation;
  readonly selfIssued: boolean;
  readonly selfSignature: SelfSignature;
  readonly isRootAuthority: boolean;
  readonly findings: readonly Finding[];
}

/** A part of an input that yielded no certificate (or the whole input, when it could not be read). */
export interface InputReport {
  readonly type: 'input';
  readonly location: InputLocation;
  readonly findings: readonly Finding[];
}

/** A JSON payload (create or update body), checked as Graph would parse it. */
export interface PayloadReport {
  readonly type: 'payload';
  readonly source: string | undefined;
  readonly kind: PayloadKind;
  readonly findings: readonly Finding[];
}

/** What lintStream() hands out, in input order. */
export type LintItem = CertificateReport | InputReport | PayloadReport;

/** Every certificate of an input and every part that is not one, each with its findings. */
export interface LintReport {
  readonly certificates: readonly CertificateReport[];
  /** Findings for the parts of the input that yielded no certificate. */
  readonly inputs: readonly InputReport[];
}

/** How many self-issued CAs a Linter keeps to name the key that signed a key-rollover certificate. */
const MAX_REMEMBERED_SELF_ISSUED = 256;

/**
 * Lints read items one at a time; holds its options, and (with a verifier) up to 256
 * self-issued CAs, to name which one's key signed a key-rollover certificate read after it.
 */
export class Linter {
  readonly #options: LintStreamOptions;
  readonly #asRoot: CheckOptions;
  readonly #asIntermediate: CheckOptions;
  readonly #asDevice: CheckOptions;
  readonly #selfIssued: { readonly certificate: Certificate; readonly location: InputLocation }[] = [];
  readonly #role: CertificateRole | 'auto';
  readonly #verifier: SignatureVerifier | undefined;
  readonly #limits: Limits;
  readonly #sha256: Sha256 | undefined;

  constructor(options: LintStreamOptions) {
    this.#options = options;
    // Built once, not per certificate.
    this.#asRoot = { ...options, role: 'ca', isRootAuthority: true };
    this.#asIntermediate = { ...options, role: 'ca', isRootAuthority: false };
    this.#asDevice = { ...options, role: 'device' };
    this.#role = options.role ?? 'ca';
    this.#verifier = options.verifier;
    this.#limits = resolveLimits(options.limits);
    this.#sha256 = options.sha256;
  }

  /** A reader for one streamed input with these options' limits and payload limit (source: given, or the options'). */
  reader(options: { readonly source?: string; readonly text?: boolean }): InputReader {
    const o = this.#options;
    return new InputReader({
      source: options.source ?? o.source,
      limits: this.#limits,
      maxPayloadBytes: o.payloadLimits?.maxPayloadBytes ?? DEFAULT_PAYLOAD_LIMITS.maxPayloadBytes,
      ...(options.text === true ? { text: true } : {}),
    });
  }

  /** The reports of items, in their order. Signatures are awaited only where one is checked. */
  async lintItems(items: readonly ReadItem[]): Promise<LintItem[]> {
    const out = new Array<LintItem>(items.length);
    for (let i = 0; i < items.length; i++) {
      const report = this.lintItem(items[i]!);
      out[i] = report instanceof Promise ? await report : report;
    }
    return out;
  }

  /** One item's report; a promise only when a self-signature is verified. */
  lintItem(item: ReadItem): LintItem | Promise<CertificateReport> {
    if (item.kind === 'payload') return lintPayload(item.bytes, this.#options);
    if (item.kind === 'problem') return { type: 'input', location: item.location, findings: [problemFinding(item.code, item.reason, item.location)] };
    const parsed = parseBlock(item.der, item.location, this.#limits, this.#sha256);
    if (parsed instanceof InputError) return { type: 'input', location: item.location, findings: [inputFinding(parsed, item.location)] };
    const role = this.#role === 'auto' ? autoRole(parsed) : this.#role;
    const selfIssued = isSelfIssued(parsed);
    if (selfIssued && this.#verifier !== undefined) return this.#verified(parsed, item, role);
    return this.#report(parsed, item, role, { selfIssued, selfSignature: 'not-verified', isRootAuthority: selfIssued && presumeSelfSigned(parsed) });
  }

  async #verified(cert: Certificate, item: CertificateBlock, role: CertificateRole): Promise<CertificateReport> {
    const kind = await classifyAuthority(cert, this.#verifier);
    let rollover: Finding | undefined;
    if (kind.selfSignature === 'invalid' && role === 'ca') {
      const signer = await this.#signerOf(cert);
      const by = signer === undefined ? 'no self-issued CA read before it in this run has a key that verifies it' : `the key of ${describeLocation(signer) || 'an earlier certificate'} verifies it`;
      rollover = finding('CA_SELF_ISSUED_NOT_SELF_SIGNED', `subject and issuer are the same name, but the certificate's own key does not verify its signature: a key-rollover certificate signed by another key of this CA, so an intermediate (isRootAuthority false); ${by}`, 'signatureValue');
    }
    if (this.#selfIssued.length < MAX_REMEMBERED_SELF_ISSUED) this.#selfIssued.push({ certificate: cert, location: item.location });
    return this.#report(cert, item, role, kind, rollover);
  }

  /** Where the self-issued CA read earlier whose key verifies `cert` was found, if there is one. */
  async #signerOf(cert: Certificate): Promise<InputLocation | undefined> {
    for (const seen of this.#selfIssued) {
      if (seen.certificate.sha256 === cert.sha256 || !sameName(cert.issuer, seen.certificate.subject)) continue;
      if ((await verifySignedBy(cert, seen.certificate, this.#verifier)) === 'valid') return seen.location;
    }
    return undefined;
  }

  #report(cert: Certificate, item: CertificateBlock, role: CertificateRole, kind: AuthorityKind, extra?: Finding): CertificateReport {
    const options = role === 'device' ? this.#asDevice : kind.isRootAuthority ? this.#asRoot : this.#asIntermediate;
    const findings = checkCertificate(cert, options);
    if (extra !== undefined) {
      findings.push(extra);
      sortFindings(findings);
    }
    // The findings were made for this call, so they take the location in place.
    for (const f of findings) (f as { location?: InputLocation }).location = item.location;
    const { selfIssued, selfSignature, isRootAuthority } = kind;
    return { type: 'certificate', certificate: cert, role, format: item.format, location: item.location, selfIssued, selfSignature, isRootAuthority, findings };
  }
}

/**
 * Lints one input given in pieces (a file or a stream as it is read; strings are text), and
 * hands out each report as soon as it is made: nothing is retained, so an input of any length
 * takes bounded memory. A JSON payload (the first byte after whitespace is { or [) is checked
 * as a create or update body instead. Streamed budgets apply (see InputReader); stop reading
 * early by breaking out of the loop.
 * @example
 * // chunks: the pieces of a file or a stream, as they are read
 * for await (const item of lintStream(chunks, { now: new Date(), source: 'fleet.pem' })) {
 *   if (item.type === 'certificate' && item.findings.length > 0) {
 *     // item.location says where: source, index, PEM line
 *   }
 * }
 */
export async function* lintStream(input: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>, options: LintStreamOptions): AsyncGenerator<LintItem, void, undefined> {
  const linter = new Linter(options);
  let reader: InputReader | undefined;
  let pending: ReadItem[] = [];
  const emit = (item: ReadItem): void => {
    pending.push(item);
  };
  // One report at a time, so each is garbage as soon as the caller is done with it.
  async function* reports(): AsyncGenerator<LintItem, void, undefined> {
    const items = pending;
    pending = [];
    for (const item of items) {
      const report = linter.lintItem(item);
      yield report instanceof Promise ? await report : report;
    }
  }
  for await (const piece of input) {
    reader ??= linter.reader({ text: typeof piece === 'string' });
    reader.push(typeof piece === 'string' ? textBytes(piece) : piece, emit);
    yield* reports();
    if (reader.done) break;
  }
  reader ??= linter.reader({});
  reader.end(emit);
  yield* reports();
}

/**
 * Lints one whole input, as readCertificates reads it (whole-input limits).
 * @example
 * const report = await lint(pemText, { now: new Date(), source: 'cas.pem' });
 * const errors = report.certificates.flatMap((c) => c.findings).filter((f) => f.severity === 'error');
 * // errors: what Graph would answer 400 to, each with its code, message, citation and graphError
 */
export async function lint(input: Uint8Array | string, options: LintOptions): Promise<LintReport> {
  const items: ReadItem[] = [];
  try {
    readWhole(input, options, (item) => items.push(item));
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const location: InputLocation = { source: error.source ?? options.source };
    return { certificates: [], inputs: [{ type: 'input', location, findings: [inputFinding(error, location)] }] };
  }
  const certificates: CertificateReport[] = [];
  const inputs: InputReport[] = [];
  for (const report of await new Linter(options).lintItems(items)) {
    if (report.type === 'certificate') certificates.push(report);
    else if (report.type === 'input') inputs.push(report);
  }
  return { certificates, inputs };
}

/** A JSON payload as one report: create or update, checked as Graph would parse it. */
export function lintPayload(json: Uint8Array | string, options: LintStreamOptions): PayloadReport | InputReport {
  const kind = options.payloadKind === undefined || options.payloadKind === 'auto' ? guessPayloadKind(json) : options.payloadKind;
  try {
    const findings = checkPayload(json, kind, {
      now: options.now,
      ...(options.source === undefined ? {} : { source: options.source }),
      ...(options.expiryWarningDays === undefined ? {} : { expiryWarningDays: options.expiryWarningDays }),
      ...(options.payloadLimits === undefined ? {} : { payloadLimits: options.payloadLimits }),
      ...(options.limits === undefined ? {} : { limits: options.limits }),
    });
    return { type: 'payload', source: options.source, kind, findings };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return wholeInputReport(error.code, error.reason, options.source);
  }
}

/** `create` when the body is an object with tlsClientAuthParameter (only a create may set it), else `update`. */
export function guessPayloadKind(json: Uint8Array | string): PayloadKind {
  try {
    const body: unknown = JSON.parse(typeof json === 'string' ? json : decodeText(json));
    return typeof body === 'object' && body !== null && !Array.isArray(body) && 'tlsClientAuthParameter' in body ? 'create' : 'update';
  } catch {
    return 'create';
  }
}

/** The report of an input that could not be read at all (adapters: a file that is gone). */
export function unreadableInput(source: string, message: string, errorCode: string): InputReport {
  return { type: 'input', location: { source }, findings: [unreadableFinding(source, message, errorCode)] };
}

/** Counts of certificates, inputs and findings by severity. */
export interface LintSummary {
  readonly certificates: number;
  readonly errors: number;
  readonly warnings: number;
  readonly notices: number;
}

/** Run totals, added to as reports come: what a summary line and an exit code are made from. */
export class LintTally implements LintSummary, FindingCounts {
  certificates = 0;
  errors = 0;
  warnings = 0;
  notices = 0;
  /** True once an input held something to check: a certificate or a payload. */
  readable = false;

  add(item: LintItem): void {
    if (item.type === 'certificate') this.certificates++;
    if (item.type !== 'input') this.readable = true;
    countFindings(item.findings, this);
  }

  /** Adds another tally (a worker's share of a run). */
  merge(other: LintSummary & { readonly readable: boolean }): void {
    this.certificates += other.certificates;
    this.errors += other.errors;
    this.warnings += other.warnings;
    this.notices += other.notices;
    this.readable ||= other.readable;
  }
}

/** Counts of certificates, inputs and findings by severity over lint reports. */
export function summarize(reports: readonly LintReport[]): LintSummary {
  const tally = new LintTally();
  for (const report of reports) {
    for (const c of report.certificates) tally.add(c);
    for (const i of report.inputs) tally.add(i);
  }
  return { certificates: tally.certificates, errors: tally.errors, warnings: tally.warnings, notices: tally.notices };
}

function autoRole(cert: Certificate): CertificateRole {
  try {
    return cert.basicConstraints?.ca === true ? 'ca' : 'device';
  } catch {
    return 'ca'; // A malformed basicConstraints is reported by the CA checks.
  }
}

function wholeInputReport(code: InputError['code'], reason: string, source: string | undefined): InputReport {
  const location: InputLocation = { source };
  return { type: 'input', location, findings: [problemFinding(code, reason, location)] };
}
