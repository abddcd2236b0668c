// Lints files as the CLI sees them: each input is told apart by content (a JSON payload or
// certificates in any form), linted with the core, and reported on its own, so one bad file
// never hides the results of the others.

import {
  checkPayload,
  getRule,
  lint,
  sortFindings,
  summarize,
  type Finding,
  type LintReport,
  type PayloadKind,
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

export type FileReport =
  | { readonly type: 'certificates'; readonly source: string; readonly report: LintReport }
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
  const report = await lint(bytes, {
    source,
    now: options.now,
    role: options.parameter === undefined ? 'ca' : 'auto',
    ...(options.parameter === undefined ? {} : { parameter: options.parameter }),
    ...(options.expiryWarningDays === undefined ? {} : { expiryWarningDays: options.expiryWarningDays }),
    ...(options.verifier === undefined ? {} : { verifier: options.verifier }),
  });
  return { type: 'certificates', source, report };
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
  const reports = files.filter((f) => f.type === 'certificates').map((f) => f.report);
  const base = summarize(reports);
  let errors = base.errors;
  let warnings = base.warnings;
  let notices = base.notices;
  for (const f of files) {
    if (f.type === 'certificates') continue;
    for (const x of f.findings) {
      if (x.severity === 'error') errors++;
      else if (x.severity === 'warning') warnings++;
      else notices++;
    }
  }
  const anythingReadable = files.some((f) => f.type === 'payload' || (f.type === 'certificates' && f.report.certificates.length > 0));
  return { now, files, summary: { certificates: base.certificates, errors, warnings, notices }, anythingReadable };
}

/** Every finding of a file, in report order. */
export function fileFindings(file: FileReport): Finding[] {
  if (file.type !== 'certificates') return [...file.findings];
  return sortFindings([...file.report.inputs.flatMap((i) => i.findings), ...file.report.certificates.flatMap((c) => c.findings)]);
}

function looksLikeJson(bytes: Uint8Array): boolean {
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
