// Findings: what a check reports, as plain data (publint's messages and zlint's lint metadata
// are the models). Text, JSON, SARIF, annotations and the reproduced Graph 400 bodies all
// render from the same Finding[]. Findings are never thrown.

import type { InputError, InputErrorCode, InputLocation } from '../errors.ts';
import { getRule, type RuleCode } from './rules.ts';

/** How bad a finding is: `error` (Graph would answer 400), `warning` (risky), `notice` (worth knowing). */
export type Severity = 'error' | 'warning' | 'notice';

/**
 * How sure we are that Graph rejects what a rule finds: `documented` by Microsoft,
 * `inferred` from the schema, sibling Entra stores or verifier behaviour, or only
 * `best-practice` (RFC 5280 or CA/Browser Forum guidance Graph may not enforce).
 */
export type Evidence = 'documented' | 'inferred' | 'best-practice';

/** Which certificates a rule looks at; `path`: a device certificate's path to the configured CAs (verifyDevice). */
export type AppliesTo = 'input' | 'any' | 'ca' | 'root' | 'intermediate' | 'device' | 'payload' | 'path';

/** The JSON body Graph answers a rejected request with. */
export interface GraphErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}

/** One entry of the rule catalogue (RULES): what a check finds, how sure we are Graph rejects it, and why. */
export interface Rule {
  readonly code: RuleCode;
  readonly severity: Severity;
  readonly appliesTo: AppliesTo;
  readonly evidence: Evidence;
  /** One line: what the rule finds. */
  readonly description: string;
  /** The RFC section or document the rule rests on. */
  readonly citation: string;
  /** True when Graph answers a request with this finding with a 400. */
  readonly rejects: boolean;
  /** The body of that answer, when it is the same for every finding of the rule. */
  readonly graphError?: GraphErrorBody;
}

/** What a check found: the rule's code, severity, citation and evidence, our message, and where. */
export interface Finding {
  readonly code: RuleCode;
  readonly severity: Severity;
  /** Our precise reason, naming the field and value. */
  readonly message: string;
  readonly citation: string;
  readonly evidence: Evidence;
  /** The field the finding is about, e.g. `extensions.basicConstraints`. */
  readonly ref?: string;
  /** Where in the input (file, certificate index, PEM line). */
  readonly location?: InputLocation;
  /** For input problems: the thrown error's code (ERR_PEM_..., ERR_DER_...). */
  readonly errorCode?: string;
  readonly graphError?: GraphErrorBody;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };

/** Deterministic order: input location, then severity, then code. */
export function sortFindings(findings: Finding[]): Finding[] {
  // Stryker disable next-line ConditionalExpression: a fast path; sorting 0 or 1 findings changes nothing
  if (findings.length < 2) return findings;
  return findings.sort(
    (a, b) =>
      compare(a.location?.source, b.location?.source) ||
      (a.location?.index ?? -1) - (b.location?.index ?? -1) ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      compare(a.code, b.code) ||
      compare(a.ref, b.ref),
  );
}

function compare(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  // Stryker disable next-line ConditionalExpression: a string < undefined is false, so the line below returns 1 too
  if (b === undefined) return 1;
  // Stryker disable next-line EqualityOperator: a === b returned above
  return a < b ? -1 : 1;
}

/** A Finding while it is being built (the only place its fields are written). */
type Draft = { -readonly [K in keyof Finding]: Finding[K] };

/** A finding of rule `code`; `graphError` gives the 400 body where it depends on the case. */
export function finding(code: RuleCode, message: string, ref?: string, graphError?: GraphErrorBody): Finding {
  return draft(code, message, ref, graphError);
}

function draft(code: RuleCode, message: string, ref?: string, graphError?: GraphErrorBody): Draft {
  // One object literal: this runs for every finding of a bulk run (bench/README.md, engine notes).
  const rule = getRule(code);
  const f: Draft = { code, severity: rule.severity, message, citation: rule.citation, evidence: rule.evidence };
  if (ref !== undefined) f.ref = ref;
  const body = graphError ?? rule.graphError;
  if (body !== undefined) f.graphError = body;
  return f;
}

const INPUT_RULES: Partial<Record<InputErrorCode, RuleCode>> = {
  ERR_PRIVATE_KEY: 'INPUT_PRIVATE_KEY',
  ERR_CSR: 'INPUT_NOT_A_CERTIFICATE',
  ERR_CRL: 'INPUT_NOT_A_CERTIFICATE',
  ERR_PUBLIC_KEY: 'INPUT_NOT_A_CERTIFICATE',
  ERR_TRUSTED_CERTIFICATE: 'INPUT_NOT_A_CERTIFICATE',
  ERR_NOT_A_CERTIFICATE: 'INPUT_NOT_A_CERTIFICATE',
  ERR_PEM_NO_BLOCKS: 'INPUT_NOT_A_CERTIFICATE',
  ERR_PEM_UNSUPPORTED_LABEL: 'INPUT_NOT_A_CERTIFICATE',
  ERR_INPUT_EMPTY: 'INPUT_NOT_A_CERTIFICATE',
  ERR_DER_BER_ENCODING: 'INPUT_NOT_STRICT_DER',
  ERR_DER_SIZE_CONSTRAINT: 'INPUT_NOT_STRICT_DER',
};

const LENIENT_READERS =
  '; lenient readers such as OpenSSL and Windows CryptoAPI accept many such forms, so Graph may well load it (no 400 predicted), but graph-mtls reads DER strictly and checks this certificate no further';

/** The finding for a part of an input that yields no certificate; `reason` is ours and never holds input content. */
export function problemFinding(code: InputErrorCode, reason: string, location: InputLocation): Finding {
  const rule = INPUT_RULES[code] ?? 'INPUT_UNREADABLE';
  const f = draft(rule, rule === 'INPUT_NOT_STRICT_DER' ? reason + LENIENT_READERS : reason);
  f.location = location;
  f.errorCode = code;
  return f;
}

/** The finding for an input problem thrown as an error. */
export function inputFinding(error: InputError, location: InputLocation): Finding {
  return problemFinding(error.code, error.reason, location);
}

/**
 * The finding for an input the adapter could not read at all (a file that is gone, a
 * directory that cannot be listed): `message` names the input; `errorCode` is the system's
 * (ENOENT, EACCES, NotReadableError, ...).
 */
export function unreadableFinding(source: string, message: string, errorCode: string): Finding {
  const f = draft('INPUT_FILE_UNREADABLE', message);
  f.location = { source };
  f.errorCode = errorCode;
  return f;
}

/** Findings counted by severity. */
export interface FindingCounts {
  errors: number;
  warnings: number;
  notices: number;
}

/** Adds the findings to `counts` by severity. */
export function countFindings(findings: readonly Finding[], counts: FindingCounts): void {
  for (let i = 0; i < findings.length; i++) {
    const s = findings[i]!.severity;
    if (s === 'error') counts.errors++;
    else if (s === 'warning') counts.warnings++;
    else counts.notices++;
  }
}
