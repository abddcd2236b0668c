// What the reports show of a certificate, read from the core's view: a malformed extension
// shows as null (its finding says what is wrong) instead of failing the report.

import { type CertificateReport, type KeyUsageName } from '@graph-mtls/core';
import { isoTime, toHex } from '@graph-mtls/core/encoding';

export interface CertificateFields {
  /** SHA-256 of the DER, lower-case hex. */
  readonly sha256: string;
  /** RFC 4514. */
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  /** ISO 8601. */
  readonly notBefore: string;
  readonly notAfter: string;
  readonly isCA: boolean;
  readonly keyUsage: readonly KeyUsageName[] | null;
  readonly subjectKeyIdentifier: string | null;
  readonly san: { readonly dns: readonly string[]; readonly uri: readonly string[]; readonly ip: readonly string[]; readonly email: readonly string[] };
}

function safe<T>(get: () => T): T | null {
  try {
    return get();
  } catch {
    return null;
  }
}

export function certificateFields(c: CertificateReport): CertificateFields {
  const cert = c.certificate;
  const dns: string[] = [];
  const uri: string[] = [];
  const ip: string[] = [];
  const email: string[] = [];
  for (const n of safe(() => cert.subjectAltName?.names) ?? []) {
    if (n.type === 'dns') dns.push(n.value);
    else if (n.type === 'uri') uri.push(n.value);
    else if (n.type === 'ip') ip.push(n.value);
    else if (n.type === 'email') email.push(n.value);
  }
  const ku = safe(() => cert.keyUsage);
  const ski = safe(() => cert.subjectKeyIdentifier);
  return {
    sha256: cert.sha256,
    subject: cert.subjectDn,
    issuer: cert.issuerDn,
    serialNumber: cert.serialNumberHex,
    notBefore: isoTime(cert.notBeforeTime),
    notAfter: isoTime(cert.notAfterTime),
    isCA: safe(() => cert.basicConstraints?.ca === true) ?? false,
    keyUsage: ku === null || ku === undefined ? null : [...ku.usages],
    subjectKeyIdentifier: ski === null || ski === undefined ? null : toHex(ski),
    san: { dns, uri, ip, email },
  };
}
