// The certificate checks of profile `graph`: for CA certificates what makes Graph answer 400
// (errors) and what is risky (warnings, notices); for device certificates what breaks TLS
// client authentication. Pure and synchronous; `now` is always a parameter. Each finding
// comes from a rule of the catalogue (rules.ts).

import { bytesEqual, toHex, toUpperHex } from '../encoding/hex.ts';
import { isoTime } from '../encoding/time.ts';
import { ArgumentError, GraphMtlsError } from '../errors.ts';
import { assertTlsClientAuthParameter, identify, type TlsClientAuthParameter } from '../identity/identify.ts';
import { signatureScheme, type AlgorithmIdentifier } from '../x509/algorithm.ts';
import type { Certificate } from '../x509/certificate.ts';
import { EXTENDED_KEY_USAGES, KNOWN_EXTENSIONS, OID_EKU_ANY, OID_EKU_CLIENT_AUTH } from '../x509/oids.ts';
import { presumeSelfSigned } from './authority.ts';
import { finding, sortFindings, type Finding } from './finding.ts';

/** Which rule set applies: `graph` (what Graph rejects as errors, what is risky as warnings or notices). */
export type Profile = 'graph';
/** What a certificate is checked as: a CA of the configuration, or a device certificate. */
export type CertificateRole = 'ca' | 'device';

/** How checkCertificate looks at a certificate: its role, the date it is checked at, the profile. */
export interface CheckOptions {
  /** The time the certificate is judged at. Required: the core never reads a clock. */
  readonly now: Date;
  readonly profile?: Profile;
  /** `ca` (default): a certificate to upload as a trusted CA; `device`: a device's certificate. */
  readonly role?: CertificateRole;
  /** Days before notAfter that CERT_EXPIRING_SOON starts; default 30. */
  readonly expiryWarningDays?: number;
  /** For devices: the field that must carry the identity. */
  readonly parameter?: TlsClientAuthParameter;
  /** For CAs: root or intermediate, as the caller decided it (lint verifies self-signatures); default presumeSelfSigned(). */
  readonly isRootAuthority?: boolean;
}

const DAY = 86_400_000;
const ALLOWED_CURVES = new Set(['P-256', 'P-384', 'P-521']);
const WEAK_HASHES = new Set(['MD2', 'MD5', 'SHA-1']);

/** Runs every rule that applies to the certificate in its role; findings sorted by severity and code. */
export function checkCertificate(cert: Certificate, options: CheckOptions): Finding[] {
  validateOptions(options);
  const out: Finding[] = [];
  checkStructure(cert, out);
  checkValidity(cert, options, out);
  checkKeyAndSignature(cert, out);
  if ((options.role ?? 'ca') === 'ca') checkCa(cert, options.isRootAuthority ?? presumeSelfSigned(cert), out);
  else checkDevice(cert, options.parameter, out);
  // A copy of exact size: push() leaves room for 17, kept for as long as the report is.
  return sortFindings(out.slice());
}

/** Misuse is thrown, never reported as a finding about the certificate. */
function validateOptions(options: CheckOptions): void {
  if (!(options.now instanceof Date) || Number.isNaN(options.now.getTime())) {
    throw new ArgumentError('ERR_INVALID_ARGUMENT', `checkCertificate options.now: expected a valid Date, received ${String(options.now)}`);
  }
  if (options.role !== undefined && options.role !== 'ca' && options.role !== 'device') {
    throw new ArgumentError('ERR_INVALID_ARGUMENT', `checkCertificate options.role: expected 'ca' or 'device', received '${String(options.role).slice(0, 40)}'`);
  }
  if (options.profile !== undefined && options.profile !== 'graph') {
    throw new ArgumentError('ERR_INVALID_ARGUMENT', `checkCertificate options.profile: expected 'graph', received '${String(options.profile).slice(0, 40)}'`);
  }
  const days = options.expiryWarningDays;
  if (days !== undefined && !(Number.isFinite(days) && days >= 0)) {
    throw new ArgumentError('ERR_INVALID_ARGUMENT', `checkCertificate options.expiryWarningDays: expected a number of days >= 0, received ${String(days)}`);
  }
  if (options.parameter !== undefined) assertTlsClientAuthParameter(options.parameter);
}

/** Reads a lazily decoded field that checkStructure has already reported if malformed. */
function quiet<T>(get: () => T): T | undefined {
  try {
    return get();
  } catch (error) {
    if (!(error instanceof GraphMtlsError)) throw error;
    return undefined;
  }
}

/**
 * Which rule a part of the certificate that does not decode falls under. Graph's reader (most
 * plausibly .NET's X509Certificate2) loads the Certificate and TBSCertificate structure at once
 * (a fault there is INPUT_UNREADABLE) and decodes an extension only when asked: Graph asks for
 * basicConstraints (cA), keyUsage (keyCertSign) and the subjectKeyIdentifier (issuerSki), so only
 * those predict a 400. The others, and the key inside subjectPublicKeyInfo, break verifiers at
 * sign-in, not the upload: warnings. docs/rules.md lists the decision per part.
 */
type Malformed = 'CERT_FIELD_MALFORMED' | 'CERT_EXTENSION_MALFORMED' | 'KEY_MALFORMED';

/** Reads a lazily decoded field; a decoding failure becomes a finding of rule `code`. */
function read<T>(out: Finding[], code: Malformed, ref: string, get: () => T): T | undefined {
  try {
    return get();
  } catch (error) {
    if (!(error instanceof GraphMtlsError)) throw error;
    out.push(finding(code, `${ref} does not decode: ${error.reason}`, ref));
    return undefined;
  }
}

function checkStructure(cert: Certificate, out: Finding[]): void {
  if (cert.version !== 3) out.push(finding('CERT_VERSION_NOT_V3', `the certificate is v${cert.version}; CA certificates need v3 for their extensions`, 'version'));
  if (cert.hasUniqueIdentifiers) out.push(finding('CERT_UNIQUE_IDENTIFIERS', 'issuerUniqueID or subjectUniqueID is present', 'tbsCertificate'));
  const serial = cert.serialNumber;
  if (serial[0]! >= 0x80 || (serial.length === 1 && serial[0] === 0)) {
    out.push(finding('CERT_SERIAL_NOT_POSITIVE', `serialNumber 0x${cert.serialNumberHex} is ${serial[0]! >= 0x80 ? 'negative' : 'zero'}`, 'serialNumber'));
  }
  if (serial.length > 20) out.push(finding('CERT_SERIAL_TOO_LONG', `serialNumber is ${serial.length} octets; at most 20 are allowed`, 'serialNumber'));
  if (cert.signatureAlgorithm !== cert.tbsSignatureAlgorithm && !bytesEqual(cert.signatureAlgorithm.der, cert.tbsSignatureAlgorithm.der)) {
    out.push(finding('CERT_SIGNATURE_ALGORITHM_MISMATCH', `signatureAlgorithm ${describeAlgorithm(cert.signatureAlgorithm, cert.tbsSignatureAlgorithm)} differs from tbsCertificate.signature ${describeAlgorithm(cert.tbsSignatureAlgorithm, cert.signatureAlgorithm)}`, 'signatureAlgorithm'));
  }
  for (const oid of cert.duplicateExtensions) {
    out.push(finding('CERT_EXTENSION_DUPLICATE', `extension ${KNOWN_EXTENSIONS.get(oid) ?? oid} (${oid}) appears more than once`, `extensions.${oid}`));
  }
  for (const ext of cert.extensions) {
    const name = KNOWN_EXTENSIONS.get(ext.oid);
    if (ext.defaultEncoded) out.push(finding('CERT_EXTENSION_DEFAULT_ENCODED', `extension ${name ?? ext.oid} encodes critical FALSE explicitly`, `extensions.${ext.oid}.critical`));
    if (ext.critical && name === undefined) out.push(finding('CERT_UNKNOWN_CRITICAL_EXTENSION', `extension ${ext.oid} is critical and not recognised`, `extensions.${ext.oid}`));
  }
  // Every extension the view decodes is decoded here once, so a malformed one is reported
  // whatever the role; the role checks below read them with quiet() and stay silent.
  read(out, 'CERT_EXTENSION_MALFORMED', 'extensions.subjectAltName', () => cert.subjectAltName);
  read(out, 'CERT_EXTENSION_MALFORMED', 'extensions.authorityKeyIdentifier', () => cert.authorityKeyIdentifier);
  read(out, 'CERT_EXTENSION_MALFORMED', 'extensions.extendedKeyUsage', () => cert.extendedKeyUsage);
  read(out, 'CERT_EXTENSION_MALFORMED', 'extensions.cRLDistributionPoints', () => cert.crlDistributionPoints);
  read(out, 'CERT_FIELD_MALFORMED', 'extensions.subjectKeyIdentifier', () => cert.subjectKeyIdentifier);
  const ku = read(out, 'CERT_FIELD_MALFORMED', 'extensions.keyUsage', () => cert.keyUsage);
  if (ku !== undefined && ku.undefinedBits.length > 0) {
    const bits = ku.undefinedBits.join(', ');
    out.push(finding('CERT_EXTENSION_MALFORMED', `keyUsage sets bit${ku.undefinedBits.length === 1 ? '' : 's'} ${bits}; RFC 5280 §4.2.1.3 defines 9 bits, digitalSignature (0) to decipherOnly (8), and readers ignore the rest`, 'extensions.keyUsage'));
  }
  const bc = read(out, 'CERT_FIELD_MALFORMED', 'extensions.basicConstraints', () => cert.basicConstraints);
  if (bc?.defaultEncoded) out.push(finding('CERT_EXTENSION_DEFAULT_ENCODED', 'basicConstraints encodes cA FALSE explicitly', 'extensions.basicConstraints.cA'));
  if (cert.notBeforeEncoding === 'generalizedTime' && isUtcTimeYear(cert.notBeforeTime)) {
    out.push(finding('CERT_TIME_ENCODING', `notBefore ${isoTime(cert.notBeforeTime)} is a GeneralizedTime; dates from 1950 through 2049 must be UTCTime`, 'validity.notBefore'));
  }
  if (cert.notAfterEncoding === 'generalizedTime' && isUtcTimeYear(cert.notAfterTime)) {
    out.push(finding('CERT_TIME_ENCODING', `notAfter ${isoTime(cert.notAfterTime)} is a GeneralizedTime; dates from 1950 through 2049 must be UTCTime`, 'validity.notAfter'));
  }
}

/** An algorithm by name, and by its parameters where the name is the other's (NULL against absent). */
function describeAlgorithm(alg: AlgorithmIdentifier, other: AlgorithmIdentifier): string {
  if (alg.oid !== other.oid) return alg.name;
  const p = alg.parameters;
  const parameters = p === undefined ? 'absent' : p.length === 2 && p[0] === 0x05 && p[1] === 0 ? 'NULL' : `0x${toHex(p)}`;
  return `${alg.name} (parameters ${parameters})`;
}

const UTC_TIME_FROM = Date.UTC(1950, 0, 1);
const UTC_TIME_UNTIL = Date.UTC(2050, 0, 1);

/** RFC 5280 §4.1.2.5: dates from 1950 through 2049 are encoded as UTCTime. */
function isUtcTimeYear(time: number): boolean {
  return time >= UTC_TIME_FROM && time < UTC_TIME_UNTIL;
}

function checkValidity(cert: Certificate, options: CheckOptions, out: Finding[]): void {
  const now = options.now.getTime();
  const notBefore = cert.notBeforeTime;
  const notAfter = cert.notAfterTime;
  if (notAfter < notBefore) {
    out.push(finding('CERT_VALIDITY_INVERTED', `notAfter ${isoTime(cert.notAfterTime)} is before notBefore ${isoTime(cert.notBeforeTime)}`, 'validity'));
    return;
  }
  if (now < notBefore) {
    out.push(finding('CERT_NOT_YET_VALID', `notBefore is ${isoTime(cert.notBeforeTime)}, after ${isoText(options.now)}`, 'validity.notBefore'));
  } else if (now > notAfter) {
    out.push(finding('CERT_EXPIRED', `notAfter was ${isoTime(cert.notAfterTime)}, before ${isoText(options.now)}`, 'validity.notAfter'));
  } else {
    const days = options.expiryWarningDays ?? 30;
    if (notAfter - now < days * DAY) {
      const left = Math.floor((notAfter - now) / DAY);
      out.push(finding('CERT_EXPIRING_SOON', `notAfter ${isoTime(cert.notAfterTime)} is ${left} day${left === 1 ? '' : 's'} away (warning window: ${days} days)`, 'validity.notAfter'));
    }
  }
}

// A bulk run checks every certificate at the same `now`: its text is made once.
let lastNow = NaN;
// Stryker disable next-line StringLiteral: never read before isoText sets it, since no time equals the initial NaN
let lastNowText = '';

function isoText(now: Date): string {
  const time = now.getTime();
  if (time !== lastNow) {
    lastNow = time;
    lastNowText = now.toISOString();
  }
  return lastNowText;
}

function checkKeyAndSignature(cert: Certificate, out: Finding[]): void {
  const key = read(out, 'KEY_MALFORMED', 'subjectPublicKeyInfo', () => cert.publicKey);
  if (key !== undefined) {
    if ((key.algorithm === 'rsa' || key.algorithm === 'rsa-pss') && (key.bits ?? 0) < 2048) {
      out.push(finding('KEY_RSA_TOO_SMALL', `the RSA key has ${key.bits} bits; at least 2048 are needed`, 'subjectPublicKeyInfo'));
    } else if (key.algorithm === 'ec' && !ALLOWED_CURVES.has(key.curve ?? '')) {
      out.push(finding('KEY_CURVE_NOT_ALLOWED', `the EC key is on ${key.curve === 'explicit' ? 'explicit curve parameters' : `curve ${key.curve}`}; P-256, P-384 or P-521 is expected`, 'subjectPublicKeyInfo'));
    } else if (key.algorithm === 'dsa' || key.algorithm === 'unknown') {
      out.push(finding('KEY_ALGORITHM_UNSUPPORTED', `the key algorithm is ${key.algorithm === 'dsa' ? 'DSA' : key.oid}; RSA, EC, Ed25519 or Ed448 is expected`, 'subjectPublicKeyInfo'));
    }
  }
  const scheme = signatureScheme(cert.signatureAlgorithm);
  if (scheme?.hash !== undefined && WEAK_HASHES.has(scheme.hash)) {
    out.push(finding('SIGNATURE_WEAK_HASH', `the certificate is signed with ${scheme.name} (${scheme.hash})`, 'signatureAlgorithm'));
  }
}

function checkCa(cert: Certificate, root: boolean, out: Finding[]): void {
  const bc = quiet(() => cert.basicConstraints);
  const bcBroken = bc === undefined && cert.extension('2.5.29.19') !== undefined;
  if (bc === undefined && !bcBroken) {
    out.push(finding('CA_BASIC_CONSTRAINTS_MISSING', 'basicConstraints is missing, so the certificate cannot act as a CA', 'extensions.basicConstraints'));
  } else if (bc !== undefined) {
    if (!bc.ca) out.push(finding('CA_BASIC_CONSTRAINTS_NOT_CA', 'basicConstraints has cA FALSE: this is an end-entity certificate, not a CA', 'extensions.basicConstraints.cA'));
    else if (!bc.critical) out.push(finding('CA_BASIC_CONSTRAINTS_NOT_CRITICAL', 'basicConstraints is not marked critical', 'extensions.basicConstraints.critical'));
    if (bc.pathLen !== undefined && bc.pathLen < 0) {
      out.push(finding('CA_PATH_LEN_NEGATIVE', `pathLenConstraint is ${bc.pathLen}`, 'extensions.basicConstraints.pathLenConstraint'));
    } else if (bc.pathLen !== undefined && root && bc.ca) {
      out.push(finding('CA_ROOT_PATH_LEN_PRESENT', `the root CA limits chains below it with pathLenConstraint ${bc.pathLen}`, 'extensions.basicConstraints.pathLenConstraint'));
    }
  }

  const ku = quiet(() => cert.keyUsage);
  if (ku === undefined && cert.extension('2.5.29.15') === undefined) {
    out.push(finding('CA_KEY_USAGE_MISSING', 'keyUsage is missing', 'extensions.keyUsage'));
  } else if (ku !== undefined) {
    if (!ku.usages.includes('keyCertSign')) out.push(finding('CA_KEY_USAGE_NO_CERT_SIGN', `keyUsage (${ku.usages.join(', ') || 'no bits'}) lacks keyCertSign`, 'extensions.keyUsage'));
    if (!ku.usages.includes('cRLSign')) out.push(finding('CA_KEY_USAGE_NO_CRL_SIGN', `keyUsage (${ku.usages.join(', ') || 'no bits'}) lacks cRLSign`, 'extensions.keyUsage'));
  }

  const ski = quiet(() => cert.subjectKeyIdentifier);
  if (ski === undefined && cert.extension('2.5.29.14') === undefined) {
    out.push(finding('CA_SKI_MISSING', 'subjectKeyIdentifier is missing; Graph most plausibly computes issuerSki from the key instead (SHA-1 of its bits)', 'extensions.subjectKeyIdentifier'));
  }
  const aki = quiet(() => cert.authorityKeyIdentifier);
  if (!root && aki?.keyIdentifier === undefined && (aki !== undefined || cert.extension('2.5.29.35') === undefined)) {
    out.push(finding('CA_AKI_MISSING', 'this intermediate CA has no authorityKeyIdentifier keyIdentifier', 'extensions.authorityKeyIdentifier'));
  }
  if (root && aki?.keyIdentifier !== undefined && ski !== undefined && !bytesEqual(aki.keyIdentifier, ski)) {
    out.push(finding('CA_ROOT_AKI_MISMATCH', `the root's authorityKeyIdentifier ${toUpperHex(aki.keyIdentifier)} differs from its subjectKeyIdentifier ${toUpperHex(ski)}; verifiers that follow the AKI look for another issuer`, 'extensions.authorityKeyIdentifier'));
  }
  if (cert.subject.rdns.length === 0) out.push(finding('CA_SUBJECT_EMPTY', 'the subject is empty', 'subject'));

  const eku = quiet(() => cert.extendedKeyUsage);
  if (eku !== undefined && !eku.purposes.includes(OID_EKU_CLIENT_AUTH) && !eku.purposes.includes(OID_EKU_ANY)) {
    out.push(finding('CA_EKU_EXCLUDES_CLIENT_AUTH', `extendedKeyUsage (${purposeNames(eku.purposes)}) has neither clientAuth nor anyExtendedKeyUsage`, 'extensions.extendedKeyUsage'));
  }

  const cdp = quiet(() => cert.crlDistributionPoints);
  if (cdp !== undefined) {
    for (const url of cdp.urls) {
      if (!/^http:\/\//i.test(url)) out.push(finding('CRL_DP_NOT_HTTP', `CRL distribution point '${url.slice(0, 200)}' is not an http: URL`, 'extensions.cRLDistributionPoints'));
    }
    if (cdp.urls.length > 1) out.push(finding('CRL_DP_MULTIPLE', `${cdp.urls.length} CRL URLs; certificateRevocationListUrl takes one`, 'extensions.cRLDistributionPoints'));
  }
}

function checkDevice(cert: Certificate, parameter: TlsClientAuthParameter | undefined, out: Finding[]): void {
  const bc = quiet(() => cert.basicConstraints);
  if (bc?.ca) out.push(finding('DEVICE_IS_CA', 'the device certificate asserts cA TRUE', 'extensions.basicConstraints.cA'));
  const eku = quiet(() => cert.extendedKeyUsage);
  if (eku !== undefined && !eku.purposes.includes(OID_EKU_CLIENT_AUTH) && !eku.purposes.includes(OID_EKU_ANY)) {
    out.push(finding('DEVICE_EKU_NO_CLIENT_AUTH', `extendedKeyUsage (${purposeNames(eku.purposes)}) lacks clientAuth`, 'extensions.extendedKeyUsage'));
  }
  const ku = quiet(() => cert.keyUsage);
  if (ku !== undefined && !ku.usages.includes('digitalSignature')) {
    out.push(finding('DEVICE_KEY_USAGE_NO_DIGITAL_SIGNATURE', `keyUsage (${ku.usages.join(', ') || 'no bits'}) lacks digitalSignature`, 'extensions.keyUsage'));
  }
  if (parameter !== undefined) {
    const ref = parameter === 'tls_client_auth_subject_dn' ? 'subject' : 'extensions.subjectAltName';
    let values: readonly string[];
    try {
      values = identify(cert, parameter).values;
    } catch (error) {
      if (!(error instanceof GraphMtlsError)) throw error;
      // Strict, as verifiers are: a SAN that does not decode yields no value at all.
      out.push(finding('DEVICE_IDENTITY_MISSING', `no ${FIELD_NAMES[parameter]} can be read, which ${parameter} selects: ${error.reason}; one malformed entry makes the whole subjectAltName unreadable`, ref));
      return;
    }
    if (values.length === 0) out.push(finding('DEVICE_IDENTITY_MISSING', `the certificate has no ${FIELD_NAMES[parameter]}, which ${parameter} selects`, ref));
  }
}

const FIELD_NAMES: Record<TlsClientAuthParameter, string> = {
  tls_client_auth_subject_dn: 'subject DN',
  tls_client_auth_san_dns: 'SAN dNSName',
  tls_client_auth_san_uri: 'SAN URI',
  tls_client_auth_san_ip: 'SAN iPAddress',
  tls_client_auth_san_email: 'SAN rfc822Name',
};

/** Key purposes by name where they have one (serverAuth), else as dotted OIDs. */
function purposeNames(purposes: readonly string[]): string {
  return purposes.map((p) => EXTENDED_KEY_USAGES.get(p) ?? p).join(', ');
}
