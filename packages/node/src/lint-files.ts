// Lints files as the CLI sees them: each input is told apart by content (a JSON payload or
// certificates in any form), linted with the core, and reported on its own, so one bad file
// never hides the results of the others. Results are plain data (CertificateSummary, not the
// core's Certificate views), so they cross worker threads as they are and a run over 100,000
// certificates keeps no parsed certificate alive; every report renders from this one shape.

import {
  checkPayload,
  getRule,
  lint,
  sortFindings,
  toHex,
  type CertificateReport,
  type CertificateRole,
  type Finding,
  type InputFormat,
  type InputReport,
  type KeyUsageName,
  type LintOptions,
  type PayloadKind,
  type SelfSignature,
  type SignatureVerifier,
  type TlsClientAuthParameter,
} from '@graph-mtls/core';
import { readInput, systemError, type InputError, type InputFile } from './inputs.ts';

export interface LintFilesOptions {
  readonly now: Date;
  readonly expiryWarningDays?: number;
  /** Device certificates (not cA) must carry this field; without it every certificate is checked as a CA. */
  readonly parameter?: TlsClientAuthParameter;
  readonly verifier?: SignatureVerifier;
  /** How a JSON payload is judged; `auto`: create when it has tlsClientAuthParameter, else update. */
  readonly payloadKind?: PayloadKind | 'auto';
  readonly stdin?: NodeJS.ReadableStream;
}

/** What the reports show of one certificate: plain data made from the core's CertificateReport. */
export interface CertificateSummary {
  readonly source: string | null;
  /** 0-based index of the certificate (or PEM block) within its input. */
  readonly index: number;
  /** 1-based BEGIN line of its PEM block; null for DER, base64 and PKCS#7 DER. */
  readonly line: number | null;
  readonly format: InputFormat;
  /** SHA-256 of the DER, lower-case hex. */
  readonly sha256: string;
  /** RFC 4514 subject DN. */
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  /** ISO 8601. */
  readonly notBefore: string;
  readonly notAfter: string;
  readonly isCA: boolean;
  readonly role: CertificateRole;
  readonly selfIssued: boolean;
  readonly selfSignature: SelfSignature;
  readonly isRootAuthority: boolean;
  readonly keyUsage: readonly KeyUsageName[] | null;
  readonly subjectKeyIdentifier: string | null;
  readonly san: { readonly dns: readonly string[]; readonly uri: readonly string[]; readonly ip: readonly string[]; readonly email: readonly string[] };
  readonly findings: readonly Finding[];
}

/** The lint of one certificate input, as plain data. */
export interface FileLintReport {
  readonly certificates: readonly CertificateSummary[];
  /** Findings for the parts of the input that yielded no certificate. */
  readonly inputs: readonly InputReport[];
}

export type FileReport =
  | { readonly type: 'certificates'; readonly source: string; readonly report: FileLintReport }
  | { readonly type: 'payload'; readonly source: string; readonly kind: PayloadKind; readonly findings: readonly Finding[] }
  | { readonly type: 'unreadable'; readonly source: string; readonly findings: readonly Finding[] };

export interface LintRun {
  readonly now: Date;
  readonly files: readonly FileReport[];
  readonly summary: { readonly certificates: number; readonly errors: number; readonly warnings: number; readonly notices: number };
  /** True when at least one input could be read and held something to check. */
  readonly anythingReadable: boolean;
}

export async function lintFile(file: InputFile, options: LintFilesOptions): Promise<FileReport> {
  let bytes: Uint8Array;
  try {
    bytes = await readInput(file, options.stdin);
  } catch (error) {
    return unreadable(systemError(file.source, error));
  }
  return lintBytes(file.source, bytes, options);
}

export async function lintBytes(source: string, bytes: Uint8Array, options: LintFilesOptions): Promise<FileReport> {
  if (looksLikeJson(bytes)) {
    const kind = options.payloadKind === undefined || options.payloadKind === 'auto' ? guessKind(bytes) : options.payloadKind;
    const findings = checkPayload(bytes, kind, { now: options.now, source, ...(options.expiryWarningDays === undefined ? {} : { expiryWarningDays: options.expiryWarningDays }) });
    return { type: 'payload', source, kind, findings };
  }
  const report = await lint(bytes, coreLintOptions(source, options));
  return { type: 'certificates', source, report: { certificates: report.certificates.map(summarizeCertificate), inputs: report.inputs } };
}

/** The options of the core's lint() for one input, as lintBytes uses them. */
export function coreLintOptions(source: string, options: LintFilesOptions): LintOptions {
  return {
    source,
    now: options.now,
    role: options.parameter === undefined ? 'ca' : 'auto',
    ...(options.parameter === undefined ? {} : { parameter: options.parameter }),
    ...(options.expiryWarningDays === undefined ? {} : { expiryWarningDays: options.expiryWarningDays }),
    ...(options.verifier === undefined ? {} : { verifier: options.verifier }),
  };
}

/** The plain summary of a certificate report: what every output format shows of it. */
export function summarizeCertificate(c: CertificateReport): CertificateSummary {
  const cert = c.certificate;
  const safe = <T>(get: () => T): T | null => {
    try {
      return get();
    } catch {
      return null;
    }
  };
  const san = safe(() => cert.subjectAltName?.names) ?? [];
  const ku = safe(() => cert.keyUsage);
  const ski = safe(() => cert.subjectKeyIdentifier);
  return {
    source: c.location.source ?? null,
    index: c.location.index ?? 0,
    line: c.location.line ?? null,
    format: c.format,
    sha256: flat(cert.sha256),
    subject: flat(cert.subjectDn),
    issuer: flat(cert.issuerDn),
    serialNumber: flat(cert.serialNumberHex),
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    isCA: safe(() => cert.basicConstraints?.ca === true) ?? false,
    role: c.role,
    selfIssued: c.selfIssued,
    selfSignature: c.selfSignature,
    isRootAuthority: c.isRootAuthority,
    keyUsage: ku === null || ku === undefined ? null : [...ku.usages],
    subjectKeyIdentifier: ski === null || ski === undefined ? null : flat(toHex(ski)),
    san: {
      dns: san.flatMap((n) => (n.type === 'dns' ? [n.value] : [])),
      uri: san.flatMap((n) => (n.type === 'uri' ? [n.value] : [])),
      ip: san.flatMap((n) => (n.type === 'ip' ? [n.value] : [])),
      email: san.flatMap((n) => (n.type === 'email' ? [n.value] : [])),
    },
    findings: c.findings,
  };
}

export function unreadable(error: InputError): FileReport {
  const rule = getRule('INPUT_FILE_UNREADABLE');
  const finding: Finding = {
    code: rule.code,
    severity: rule.severity,
    message: error.message,
    citation: rule.citation,
    evidence: rule.evidence,
    location: { source: error.source },
    errorCode: error.code,
  };
  return { type: 'unreadable', source: error.source, findings: [finding] };
}

export function summarizeRun(now: Date, files: readonly FileReport[]): LintRun {
  // The counting of the core's summarize(), over the plain reports.
  let certificates = 0;
  let errors = 0;
  let warnings = 0;
  let notices = 0;
  const count = (findings: readonly Finding[]): void => {
    for (const x of findings) {
      if (x.severity === 'error') errors++;
      else if (x.severity === 'warning') warnings++;
      else notices++;
    }
  };
  for (const f of files) {
    if (f.type !== 'certificates') {
      count(f.findings);
      continue;
    }
    certificates += f.report.certificates.length;
    for (const c of f.report.certificates) count(c.findings);
    for (const i of f.report.inputs) count(i.findings);
  }
  const anythingReadable = files.some((f) => f.type === 'payload' || (f.type === 'certificates' && f.report.certificates.length > 0));
  return { now, files, summary: { certificates, errors, warnings, notices }, anythingReadable };
}

/**
 * The string, flattened: hex and DN strings are built a character group at a time, and V8
 * keeps such strings as trees of pieces (about 60 per certificate) until something reads
 * them; reading one character joins them, so 100,000 summaries stay small.
 */
function flat(text: string): string {
  text.charCodeAt(0);
  return text;
}

/** Every finding of a file, in report order. */
export function fileFindings(file: FileReport): Finding[] {
  if (file.type !== 'certificates') return [...file.findings];
  return sortFindings([...file.report.inputs.flatMap((i) => i.findings), ...file.report.certificates.flatMap((c) => c.findings)]);
}

/** True when the content starts (after a BOM and whitespace) with { or [: a JSON payload. */
export function looksLikeJson(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return bytes[i] === 0x7b /* { */ || bytes[i] === 0x5b /* [ */;
}

function guessKind(bytes: Uint8Array): PayloadKind {
  try {
    const body: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
    return typeof body === 'object' && body !== null && !Array.isArray(body) && 'tlsClientAuthParameter' in body ? 'create' : 'update';
  } catch {
    return 'create';
  }
}
