// `--format json`: the stable, versioned machine format of `graph-mtls lint` (README,
// "JSON output"). Version 1; fields are only ever added, never renamed or removed.

import type { Finding } from '@graph-mtls/core';
import type { CertificateSummary, LintRun } from '../lint-files.ts';

export interface JsonFinding {
  readonly code: string;
  readonly severity: string;
  readonly message: string;
  readonly citation: string;
  readonly evidence: string;
  readonly ref: string | null;
  readonly line: number | null;
  readonly errorCode: string | null;
  readonly graphError: unknown;
}

export function jsonFinding(f: Finding): JsonFinding {
  return {
    code: f.code,
    severity: f.severity,
    message: f.message,
    citation: f.citation,
    evidence: f.evidence,
    ref: f.ref ?? null,
    line: f.location?.line ?? null,
    errorCode: f.errorCode ?? null,
    graphError: f.graphError ?? null,
  };
}

export function jsonCertificate(c: CertificateSummary): Record<string, unknown> {
  return {
    source: c.source,
    index: c.index,
    line: c.line,
    format: c.format,
    sha256: c.sha256,
    subject: c.subject,
    issuer: c.issuer,
    serialNumber: c.serialNumber,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    isCA: c.isCA,
    role: c.role,
    selfIssued: c.selfIssued,
    selfSignature: c.selfSignature,
    isRootAuthority: c.isRootAuthority,
    keyUsage: c.keyUsage,
    subjectKeyIdentifier: c.subjectKeyIdentifier,
    san: { dns: c.san.dns, uri: c.san.uri, ip: c.san.ip, email: c.san.email },
    findings: c.findings.map(jsonFinding),
  };
}

export function renderJson(run: LintRun): string {
  const certificates: Record<string, unknown>[] = [];
  const inputs: Record<string, unknown>[] = [];
  const payloads: Record<string, unknown>[] = [];
  for (const file of run.files) {
    if (file.type === 'certificates') {
      certificates.push(...file.report.certificates.map(jsonCertificate));
      for (const i of file.report.inputs) {
        inputs.push({ source: file.source, index: i.location.index ?? null, line: i.location.line ?? null, findings: i.findings.map(jsonFinding) });
      }
    } else if (file.type === 'payload') {
      payloads.push({ source: file.source, kind: file.kind, findings: file.findings.map(jsonFinding) });
    } else {
      inputs.push({ source: file.source, index: null, line: null, findings: file.findings.map(jsonFinding) });
    }
  }
  const { certificates: count, errors, warnings, notices } = run.summary;
  return JSON.stringify({ version: 1, now: run.now.toISOString(), certificates, inputs, payloads, summary: { certificates: count, errors, warnings, notices } }, null, 2) + '\n';
}
