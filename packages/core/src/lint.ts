// Lint one input end to end: read every certificate it holds (any form), check each in its
// role, decide root or intermediate, and turn unreadable parts into findings, so one bad
// block never hides the others. This is what the CLI and the demo run per file.

import { classifyAuthority, unverifiedAuthority, type SelfSignature } from './checks/authority.ts';
import { checkCertificate, finding, type CertificateRole, type CheckOptions } from './checks/check-certificate.ts';
import { sortFindings, type Finding } from './checks/finding.ts';
import type { RuleCode } from './checks/rules.ts';
import type { SignatureVerifier } from './checks/verify-signature.ts';
import { GraphMtlsError, type ErrorCode, type InputLocation } from './errors.ts';
import { scanCertificates, type InputFormat, type ReadOptions } from './input/read-certificates.ts';
import type { Certificate } from './x509/certificate.ts';

export interface LintOptions extends Omit<CheckOptions, 'role'>, ReadOptions {
  /**
   * `ca` (default) checks every certificate as a CA to upload; `device` as a device
   * certificate; `auto` checks a certificate with basicConstraints cA TRUE as a CA and any
   * other as a device.
   */
  readonly role?: CertificateRole | 'auto';
  /** Verifies self-signatures (e.g. createWebCryptoVerifier(crypto.subtle)); without one they are "not verified". */
  readonly verifier?: SignatureVerifier;
}

export interface CertificateReport {
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

export interface InputReport {
  readonly location: InputLocation;
  readonly findings: readonly Finding[];
}

export interface LintReport {
  readonly certificates: readonly CertificateReport[];
  /** Findings for the parts of the input that yielded no certificate. */
  readonly inputs: readonly InputReport[];
}

export async function lint(input: Uint8Array | string, options: LintOptions): Promise<LintReport> {
  let scanned: ReturnType<typeof scanCertificates>;
  try {
    scanned = scanCertificates(input, options);
  } catch (error) {
    if (!(error instanceof GraphMtlsError)) throw error;
    const location: InputLocation = { source: error.source ?? options.source };
    return { certificates: [], inputs: [{ location, findings: [inputFinding(error, location)] }] };
  }
  const certificates: CertificateReport[] = [];
  // Built once, not per certificate.
  const asCa: CheckOptions = { ...options, role: 'ca' };
  const asDevice: CheckOptions = { ...options, role: 'device' };
  for (const entry of scanned.certificates) {
    const cert = entry.certificate;
    const role = options.role === 'auto' ? autoRole(cert) : options.role ?? 'ca';
    const authority = options.verifier === undefined ? unverifiedAuthority(cert) : await classifyAuthority(cert, options.verifier);
    const findings = checkCertificate(cert, role === 'ca' ? asCa : asDevice);
    if (authority.selfIssued && authority.selfSignature === 'invalid' && role === 'ca') {
      findings.push(finding('CA_SELF_SIGNATURE_INVALID', 'the certificate is self-issued but its own key does not verify its signature', 'signatureValue'));
      sortFindings(findings);
    }
    // The findings were made for this call, so they take the location in place.
    for (const f of findings) (f as { location?: InputLocation }).location = entry.location;
    certificates.push({
      certificate: cert,
      format: entry.format,
      location: entry.location,
      selfIssued: authority.selfIssued,
      selfSignature: authority.selfSignature,
      isRootAuthority: authority.isRootAuthority,
      role,
      findings,
    });
  }
  const inputs = scanned.problems.map((p) => ({ location: p.location, findings: [inputFinding(p.error, p.location)] }));
  return { certificates, inputs };
}

function autoRole(cert: Certificate): CertificateRole {
  try {
    return cert.basicConstraints?.ca === true ? 'ca' : 'device';
  } catch {
    return 'ca'; // A malformed basicConstraints is reported by the CA checks.
  }
}

const INPUT_RULES: Partial<Record<ErrorCode, RuleCode>> = {
  ERR_PRIVATE_KEY: 'INPUT_PRIVATE_KEY',
  ERR_CSR: 'INPUT_NOT_A_CERTIFICATE',
  ERR_CRL: 'INPUT_NOT_A_CERTIFICATE',
  ERR_PUBLIC_KEY: 'INPUT_NOT_A_CERTIFICATE',
  ERR_TRUSTED_CERTIFICATE: 'INPUT_NOT_A_CERTIFICATE',
  ERR_NOT_A_CERTIFICATE: 'INPUT_NOT_A_CERTIFICATE',
  ERR_PEM_NO_BLOCKS: 'INPUT_NOT_A_CERTIFICATE',
  ERR_PEM_UNSUPPORTED_LABEL: 'INPUT_NOT_A_CERTIFICATE',
  ERR_INPUT_EMPTY: 'INPUT_NOT_A_CERTIFICATE',
};

/** The finding for an input problem; the error's message is ours and never holds input content. */
export function inputFinding(error: GraphMtlsError, location: InputLocation): Finding {
  const code = INPUT_RULES[error.code] ?? 'INPUT_UNREADABLE';
  return { ...finding(code, error.reason), location, errorCode: error.code };
}

export interface LintSummary {
  readonly certificates: number;
  readonly errors: number;
  readonly warnings: number;
  readonly notices: number;
}

export function summarize(reports: readonly LintReport[]): LintSummary {
  let certificates = 0;
  let errors = 0;
  let warnings = 0;
  let notices = 0;
  for (const report of reports) {
    certificates += report.certificates.length;
    const lists = [...report.certificates.map((c) => c.findings), ...report.inputs.map((i) => i.findings)];
    for (const findings of lists) {
      for (const f of findings) {
        if (f.severity === 'error') errors++;
        else if (f.severity === 'warning') warnings++;
        else notices++;
      }
    }
  }
  return { certificates, errors, warnings, notices };
}
