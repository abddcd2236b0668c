// `--format json`: the stable, versioned machine format of `graph-mtls lint` (README,
// "JSON output"). Version 1; fields are only ever added, never renamed or removed.

import { toHex, type CertificateReport, type Finding } from '@graph-mtls/core';
import type { LintRun } from '../lint-files.ts';

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

export function jsonCertificate(c: CertificateReport): Record<string, unknown> {
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
    sha256: cert.sha256,
    subject: cert.subjectDn,
    issuer: cert.issuerDn,
    serialNumber: cert.serialNumberHex,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    isCA: safe(() => cert.basicConstraints?.ca === true) ?? false,
    role: c.role,
    selfIssued: c.selfIssued,
    selfSignature: c.selfSignature,
    isRootAuthority: c.isRootAuthority,
    keyUsage: ku === null || ku === undefined ? null : ku.usages,
    subjectKeyIdentifier: ski === null || ski === undefined ? null : toHex(ski),
    san: {
      dns: san.flatMap((n) => (n.type === 'dns' ? [n.value] : [])),
      uri: san.flatMap((n) => (n.type === 'uri' ? [n.value] : [])),
      ip: san.flatMap((n) => (n.type === 'ip' ? [n.value] : [])),
      email: san.flatMap((n) => (n.type === 'email' ? [n.value] : [])),
    },
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
