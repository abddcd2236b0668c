// What reports show of a certificate, as plain data: the fields an operator reads (names,
// serial, validity, cA, key usage, SKI, SAN), each taken from the certificate view. A
// malformed extension shows as null (its finding says what is wrong) instead of failing the report.

import { toHex } from '../encoding/hex.ts';
import { isoTime } from '../encoding/time.ts';
import type { Certificate } from './certificate.ts';
import type { KeyUsageName } from './extensions.ts';

/** The fields reports show of a certificate, as plain data. */
export interface CertificateFields {
  /** SHA-256 of the DER, lower-case hex. */
  readonly sha256: string;
  /** RFC 4514. */
  readonly subject: string;
  readonly issuer: string;
  /** Lower-case hex, as the DER INTEGER holds it. */
  readonly serialNumber: string;
  /** ISO 8601. */
  readonly notBefore: string;
  readonly notAfter: string;
  readonly isCA: boolean;
  readonly keyUsage: readonly KeyUsageName[] | null;
  /** Lower-case hex. */
  readonly subjectKeyIdentifier: string | null;
  readonly san: { readonly dns: readonly string[]; readonly uri: readonly string[]; readonly ip: readonly string[]; readonly email: readonly string[] };
}

/** `read()`, or undefined when it throws (an extension that does not decode). */
export function orUndefined<T>(read: () => T): T | undefined {
  try {
    return read();
    // Stryker disable next-line BlockStatement: an empty catch block returns undefined all the same
  } catch {
    return undefined;
  }
}

/** The certificate's fields as reports show them. */
export function certificateFields(cert: Certificate): CertificateFields {
  const dns: string[] = [];
  const uri: string[] = [];
  const ip: string[] = [];
  const email: string[] = [];
  for (const n of orUndefined(() => cert.subjectAltName?.names) ?? []) {
    if (n.type === 'dns') dns.push(n.value);
    else if (n.type === 'uri') uri.push(n.value);
    else if (n.type === 'ip') ip.push(n.value);
    else if (n.type === 'email') email.push(n.value);
  }
  const ku = orUndefined(() => cert.keyUsage);
  const ski = orUndefined(() => cert.subjectKeyIdentifier);
  return {
    sha256: cert.sha256,
    subject: cert.subjectDn,
    issuer: cert.issuerDn,
    serialNumber: cert.serialNumberHex,
    notBefore: isoTime(cert.notBeforeTime),
    notAfter: isoTime(cert.notAfterTime),
    isCA: orUndefined(() => cert.basicConstraints?.ca === true) ?? false,
    keyUsage: ku === undefined ? null : [...ku.usages],
    subjectKeyIdentifier: ski === undefined ? null : toHex(ski),
    san: { dns, uri, ip, email },
  };
}
