// Will this device authenticate? What Entra does at sign-in, offline: build a path from the
// device certificate to a root of the configuration (path.ts), check every certificate along it
// (RFC 5280 §6.1: signatures through the injected verifier, validity, basicConstraints cA,
// pathLenConstraint, keyCertSign, nameConstraints, unknown critical extensions; extendedKeyUsage
// on the device; revocation by the CRLs given, revocation.ts),
// then read the identity tlsClientAuthParameter selects and compare it with the value the device
// is registered under (RFC 8705 §2.1.2). Pure: `now` and the verifier are parameters.

import { isSelfIssued, verifySignedBy } from '../checks/authority.ts';
import { finding, sortFindings, type Finding } from '../checks/finding.ts';
import type { RuleCode } from '../checks/rules.ts';
import type { SignatureVerifier } from '../checks/verify-signature.ts';
import { toUpperHex } from '../encoding/hex.ts';
import { isoTime } from '../encoding/time.ts';
import { ArgumentError, GraphMtlsError } from '../errors.ts';
import { assertTlsClientAuthParameter, identify, matches, type TlsClientAuthParameter } from '../identity/identify.ts';
import type { Certificate } from '../x509/certificate.ts';
import type { CertificateList } from '../x509/crl.ts';
import { nameConstraintViolation, readNameConstraints, type NameConstraints } from '../x509/name-constraints.ts';
import { EXTENDED_KEY_USAGES, KNOWN_EXTENSIONS, OID_EKU_ANY, OID_EKU_CLIENT_AUTH } from '../x509/oids.ts';
import { buildPaths, CandidatePool, DEFAULT_PATH_LIMITS, type PathCandidate, type PathLimits } from './path.ts';
import { checkRevocation } from './revocation.ts';
import { verifySignedByOnce } from './signatures.ts';
import type { TrustConfiguration } from './trust.ts';

/** How verifyDevice verifies: the time, the identity to expect, what the device presents, the verifier. */
export interface VerifyDeviceOptions {
  /** The time validity is judged at. Required: the core never reads a clock. */
  readonly now: Date;
  /** The field that carries the identity; default the configuration's tlsClientAuthParameter. */
  readonly parameter?: TlsClientAuthParameter;
  /** The value the device is registered under; without it the identity is read, not compared. */
  readonly expected?: string;
  /** Intermediates the device presents in its TLS handshake. For a fleet, pass the same array to every call: the path candidates are made once per configuration and array. */
  readonly intermediates?: readonly Certificate[];
  /** Verifies signatures (createWebCryptoVerifier, or node:crypto's); without one nothing is called trusted. */
  readonly verifier?: SignatureVerifier;
  /** CRLs to check the path against (readCrls, parseCrl); a configured CRL URL without one is reported. */
  readonly crls?: readonly CertificateList[];
  readonly pathLimits?: Partial<PathLimits>;
}

/** `trusted`: a path passed every check with every signature verified; `not-verified`: it passed, but some signature could not be verified; `refused`: no path passed. */
export type DeviceOutcome = 'trusted' | 'not-verified' | 'refused';

/** A certificate of the chosen path: where it came from. */
export interface PathMember {
  readonly certificate: Certificate;
  readonly role: 'device' | 'intermediate' | 'anchor';
  readonly origin: 'device' | 'configuration' | 'presented';
}

/** One path tried, device first: its subjects, and the first rule that refused it (none if it passed). */
export interface PathAttempt {
  readonly subjects: readonly string[];
  readonly refusedBy?: RuleCode;
}

/** The verdict: the path taken (or the likeliest one, refused), the identity, every reason, and every path tried. */
export interface DeviceVerification {
  readonly outcome: DeviceOutcome;
  /** The path that passed, else the first one tried; undefined when there is none. */
  readonly path?: readonly PathMember[];
  readonly identity: { readonly parameter: TlsClientAuthParameter; readonly values: readonly string[]; readonly matched?: string };
  /** The reasons for that path and the identity, sorted by severity; empty when trusted. */
  readonly findings: readonly Finding[];
  readonly attempts: readonly PathAttempt[];
}

/**
 * Whether `device` authenticates against `configuration` at `now`: a path to one of its roots
 * that passes every check, and the identity the parameter selects (matching `expected` when
 * given). Never throws for what it finds; throws ArgumentError for a missing parameter or time.
 * What devices share is kept while its objects live (the candidate pool per configuration and
 * intermediates array, a CA's and a CRL's signature verdict per verifier), so a configuration
 * is a value: read a new one rather than change one already verified against.
 * @example
 * const { configuration } = readTrustConfiguration(currentJson);
 * const device = parseCertificate(deviceDer);
 * const result = await verifyDevice(device, configuration, { now: new Date(), verifier: createWebCryptoVerifier(crypto.subtle) });
 * // result.outcome: 'trusted', 'not-verified' or 'refused'; result.findings say why
 */
export async function verifyDevice(device: Certificate, configuration: TrustConfiguration, options: VerifyDeviceOptions): Promise<DeviceVerification> {
  if (!(options.now instanceof Date) || Number.isNaN(options.now.getTime())) {
    throw new ArgumentError('ERR_INVALID_ARGUMENT', `verifyDevice options.now: expected a valid Date, received ${String(options.now)}`);
  }
  const given = options.parameter ?? configuration.tlsClientAuthParameter;
  if (given === undefined) throw new ArgumentError('ERR_INVALID_PARAMETER', 'verifyDevice: expected a tlsClientAuthParameter (options.parameter, or the configuration\'s), received none');
  const parameter = assertTlsClientAuthParameter(given);
  const now = options.now.getTime();

  const { pool, crlUrls } = prepared(configuration, options.intermediates ?? NONE);
  const search = buildPaths(device, pool, now, options.pathLimits === undefined ? DEFAULT_PATH_LIMITS : { ...DEFAULT_PATH_LIMITS, ...options.pathLimits });
  const attempts: PathAttempt[] = [];
  const revocation = { crls: options.crls ?? NONE, crlUrls };
  let chosen: { members: PathMember[]; findings: Finding[] } | undefined;
  for (const candidates of search.paths) {
    const members = toMembers(device, candidates);
    const findings = await checkPath(members, now, options.verifier, revocation);
    const refusal = findings.find((f) => f.severity === 'error');
    attempts.push({ subjects: members.map((m) => m.certificate.subjectDn), ...(refusal === undefined ? {} : { refusedBy: refusal.code }) });
    if (refusal === undefined) {
      chosen = { members, findings };
      break;
    }
    chosen ??= { members, findings };
  }

  const findings: Finding[] = chosen?.findings ?? [];
  if (search.paths.length === 0 || (search.limited && attempts.every((a) => a.refusedBy !== undefined))) findings.push(noPath(device, pool, search.limited));
  const identity = checkIdentity(device, parameter, options.expected, findings);
  sortFindings(findings);
  const refused = findings.some((f) => f.severity === 'error');
  const unverified = findings.some((f) => f.code === 'VERIFY_SIGNATURE_NOT_VERIFIED');
  return {
    outcome: refused ? 'refused' : unverified ? 'not-verified' : 'trusted',
    ...(chosen === undefined ? {} : { path: chosen.members }),
    identity,
    findings,
    attempts,
  };
}

const NONE: readonly never[] = [];

/** What a configuration and the presented intermediates give every device: the candidate pool, and the CRL URL of each configured CA. */
interface Prepared {
  readonly pool: CandidatePool;
  readonly crlUrls: ReadonlyMap<Certificate, string | null | undefined>;
}

/** Made once per configuration and intermediates list (kept while both live), so a fleet shares it. */
const preparedFor = new WeakMap<TrustConfiguration, WeakMap<readonly Certificate[], Prepared>>();

function prepared(configuration: TrustConfiguration, intermediates: readonly Certificate[]): Prepared {
  let byIntermediates = preparedFor.get(configuration);
  if (byIntermediates === undefined) preparedFor.set(configuration, (byIntermediates = new WeakMap()));
  let p = byIntermediates.get(intermediates);
  if (p === undefined) {
    const crlUrls = new Map<Certificate, string | null | undefined>();
    for (const a of configuration.authorities) if (!crlUrls.has(a.certificate)) crlUrls.set(a.certificate, a.certificateRevocationListUrl);
    byIntermediates.set(intermediates, (p = { pool: new CandidatePool(candidatePool(configuration, intermediates)), crlUrls }));
  }
  return p;
}

/** The configured CAs and the presented intermediates, each certificate once (the configuration's copy first). */
function candidatePool(configuration: TrustConfiguration, intermediates: readonly Certificate[]): PathCandidate[] {
  const seen = new Set<string>();
  const pool: PathCandidate[] = [];
  for (const a of configuration.authorities) {
    if (seen.has(a.certificate.sha256)) continue;
    seen.add(a.certificate.sha256);
    pool.push({ certificate: a.certificate, anchor: a.isRootAuthority, origin: 'configuration', location: a.location });
  }
  for (const certificate of intermediates) {
    if (seen.has(certificate.sha256)) continue;
    seen.add(certificate.sha256);
    pool.push({ certificate, anchor: false, origin: 'presented' });
  }
  return pool;
}

function toMembers(device: Certificate, candidates: readonly PathCandidate[]): PathMember[] {
  return [
    { certificate: device, role: 'device', origin: 'device' },
    ...candidates.map((c): PathMember => ({ certificate: c.certificate, role: c.anchor ? 'anchor' : 'intermediate', origin: c.origin })),
  ];
}

/** Every check of RFC 5280 §6.1 along one path (device first, anchor last); findings ref `path[i]`. */
async function checkPath(
  path: readonly PathMember[],
  now: number,
  verifier: SignatureVerifier | undefined,
  revocation: { readonly crls: readonly CertificateList[]; readonly crlUrls: ReadonlyMap<Certificate, string | null | undefined> },
): Promise<Finding[]> {
  const out: Finding[] = [];
  const add = (code: RuleCode, i: number, field: string, message: string): void => {
    out.push(finding(code, `${label(path, i)}: ${message}`, `path[${i}]${field}`));
  };
  let intermediatesBelow = 0;
  for (let i = 0; i < path.length; i++) {
    const cert = path[i]!.certificate;
    if (now < cert.notBeforeTime) add('VERIFY_NOT_YET_VALID', i, '.validity.notBefore', `notBefore is ${isoTime(cert.notBeforeTime)}, after ${isoTime(now)}`);
    else if (now > cert.notAfterTime) add('VERIFY_EXPIRED', i, '.validity.notAfter', `notAfter was ${isoTime(cert.notAfterTime)}, before ${isoTime(now)}`);
    for (const ext of cert.extensions) {
      if (ext.critical && !KNOWN_EXTENSIONS.has(ext.oid)) add('VERIFY_UNKNOWN_CRITICAL_EXTENSION', i, `.extensions.${ext.oid}`, `the critical extension ${ext.oid} is not recognised`);
    }
    if (i === 0) checkDeviceUsage(cert, (field, message, code) => add(code, 0, field, message));
    else {
      checkIssuer(cert, intermediatesBelow, (field, message, code) => add(code, i, field, message));
      checkNameConstraints(path, i, add);
      if (!isSelfIssued(cert)) intermediatesBelow++;
    }
    if (i + 1 < path.length) {
      const issuer = path[i + 1]!.certificate;
      // The device's signature is its own; a CA's, by the CA above it, is the same for every device.
      const signature = await (i === 0 ? verifySignedBy(cert, issuer, verifier) : verifySignedByOnce(cert, issuer, verifier));
      if (signature === 'invalid') add('VERIFY_SIGNATURE_INVALID', i, '.signatureValue', `the signature does not verify with the key of ${issuer.subjectDn || 'its issuer'}`);
      else if (signature === 'not-verified') add('VERIFY_SIGNATURE_NOT_VERIFIED', i, '.signatureValue', verifier === undefined ? 'signatures not verified (no verifier)' : `signature not verified (${cert.signatureAlgorithm.name} cannot be checked here)`);
    }
  }
  // Nothing to check and nothing to report without CRLs or a configured CRL URL on the path.
  if (revocation.crls.length > 0 || path.some((m) => typeof revocation.crlUrls.get(m.certificate) === 'string')) {
    const members = path.map((m) => ({ certificate: m.certificate, crlUrl: revocation.crlUrls.get(m.certificate) }));
    await checkRevocation(members, revocation.crls, now, verifier, add);
  }
  return out;
}

/**
 * The nameConstraints of the CA at `ca` against every certificate below it, the device and the
 * intermediates that are not self-issued (RFC 5280 §6.1.3 (b): self-issued ones are exempt).
 */
function checkNameConstraints(path: readonly PathMember[], ca: number, add: (code: RuleCode, i: number, field: string, message: string) => void): void {
  const cert = path[ca]!.certificate;
  let constraints: NameConstraints | undefined;
  try {
    constraints = readNameConstraints(cert, cert.limits);
  } catch (error) {
    if (!(error instanceof GraphMtlsError)) throw error;
    add('VERIFY_FIELD_MALFORMED', ca, '.extensions.nameConstraints', `nameConstraints does not decode: ${error.reason}`);
    return;
  }
  if (constraints === undefined) return;
  for (let i = 0; i < ca; i++) {
    const below = path[i]!.certificate;
    if (i > 0 && isSelfIssued(below)) continue;
    let violation: string | undefined;
    try {
      violation = nameConstraintViolation(below, constraints);
    } catch (error) {
      if (!(error instanceof GraphMtlsError)) throw error;
      violation = `its subjectAltName does not decode (${error.reason}), so its names cannot be checked`;
    }
    if (violation !== undefined) add('VERIFY_NAME_CONSTRAINTS', i, '', `${violation}, by the nameConstraints of ${cert.subjectDn || 'a CA above it'}`);
  }
}

type Report = (field: string, message: string, code: RuleCode) => void;

/** The device certificate's extendedKeyUsage must allow TLS client authentication (RFC 5280 §4.2.1.12). */
function checkDeviceUsage(cert: Certificate, report: Report): void {
  const eku = read(() => cert.extendedKeyUsage, '.extensions.extendedKeyUsage', report);
  if (eku !== undefined && !eku.purposes.includes(OID_EKU_CLIENT_AUTH) && !eku.purposes.includes(OID_EKU_ANY)) {
    report('.extensions.extendedKeyUsage', `extendedKeyUsage (${eku.purposes.map((p) => EXTENDED_KEY_USAGES.get(p) ?? p).join(', ')}) has neither clientAuth nor anyExtendedKeyUsage`, 'VERIFY_EKU_NO_CLIENT_AUTH');
  }
}

/** A CA of the path: cA TRUE, keyCertSign when keyUsage is present, and room for the intermediates below it. */
function checkIssuer(cert: Certificate, intermediatesBelow: number, report: Report): void {
  const bc = read(() => cert.basicConstraints, '.extensions.basicConstraints', report);
  if (bc?.ca !== true) report('.extensions.basicConstraints.cA', bc === undefined ? 'it issues a certificate but has no basicConstraints' : 'it issues a certificate but has cA FALSE', 'VERIFY_ISSUER_NOT_CA');
  else if (bc.pathLen !== undefined && intermediatesBelow > bc.pathLen) {
    report('.extensions.basicConstraints.pathLenConstraint', `pathLenConstraint ${bc.pathLen} allows ${bc.pathLen} intermediate${bc.pathLen === 1 ? '' : 's'} below it, the path has ${intermediatesBelow}`, 'VERIFY_PATH_LEN_EXCEEDED');
  }
  const ku = read(() => cert.keyUsage, '.extensions.keyUsage', report);
  if (ku !== undefined && !ku.usages.includes('keyCertSign')) report('.extensions.keyUsage', `keyUsage (${ku.usages.join(', ') || 'no bits'}) lacks keyCertSign`, 'VERIFY_ISSUER_NO_CERT_SIGN');
}

/** A field the verifier must read; one that does not decode refuses the path. */
function read<T>(get: () => T, field: string, report: Report): T | undefined {
  try {
    return get();
  } catch (error) {
    if (!(error instanceof GraphMtlsError)) throw error;
    report(field, `does not decode: ${error.reason}`, 'VERIFY_FIELD_MALFORMED');
    return undefined;
  }
}

function label(path: readonly PathMember[], i: number): string {
  const m = path[i]!;
  const name = m.certificate.subjectDn || '(empty subject)';
  return m.role === 'device' ? `the device certificate ${name}` : `${m.role === 'anchor' ? 'the root' : 'the intermediate'} ${name}`;
}

function noPath(device: Certificate, candidates: CandidatePool, limited: boolean): Finding {
  if (limited) return finding('VERIFY_PATH_LIMIT', 'path building stopped at its bounds before a path passed', 'path');
  let aki = '';
  try {
    const id = device.authorityKeyIdentifier?.keyIdentifier;
    if (id !== undefined) aki = ` (authorityKeyIdentifier ${toUpperHex(id)})`;
  } catch {
    // A malformed AKI leaves the name to say it.
  }
  const issuer = `its issuer ${device.issuerDn || '(an empty name)'}${aki}`;
  const pool = candidates.candidates;
  const roots = pool.filter((c) => c.anchor).length;
  const where = `${roots} root${roots === 1 ? '' : 's'} and ${pool.length - roots} other CA${pool.length - roots === 1 ? '' : 's'}`;
  const why = candidates.issuersOf(device).length > 0 ? `${issuer} is there, but no root is reached from it` : `${issuer} is not among them`;
  return finding('VERIFY_NO_PATH', `no path from the device certificate to a root of the configuration (${where}): ${why}`, 'path');
}

/** The identity the parameter selects, and whether `expected` matches it; findings for what is missing. */
function checkIdentity(device: Certificate, parameter: TlsClientAuthParameter, expected: string | undefined, out: Finding[]): DeviceVerification['identity'] {
  let values: readonly string[];
  try {
    values = identify(device, parameter).values;
  } catch (error) {
    if (!(error instanceof GraphMtlsError)) throw error;
    out.push(finding('VERIFY_IDENTITY_MISSING', `no value of ${parameter} can be read: ${error.reason}`, 'identity'));
    return { parameter, values: [] };
  }
  if (values.length === 0) {
    out.push(finding('VERIFY_IDENTITY_MISSING', `the device certificate has no value for ${parameter}`, 'identity'));
    return { parameter, values };
  }
  if (expected === undefined) return { parameter, values };
  const match = matches(device, parameter, expected);
  if (match.matched) return { parameter, values, matched: match.value };
  const shown = values.slice(0, 5).map((v) => `'${v.slice(0, 200)}'`).join(', ') + (values.length > 5 ? `, and ${values.length - 5} more` : '');
  out.push(finding('VERIFY_IDENTITY_MISMATCH', `'${expected.slice(0, 200)}' matches none of the ${values.length} value${values.length === 1 ? '' : 's'} of ${parameter}: ${shown}`, 'identity'));
  return { parameter, values };
}
