// Tests of the rule catalogue (checks/rules.ts) through checkCertificate() and lint(): every
// rule has generated inputs that fire it and inputs with the opposite property that do not,
// a clean root and intermediate give no findings, RFC 5280 §4.1.2.5 validity boundaries are
// inclusive, and the device role honours each tlsClientAuthParameter (RFC 8705 §2.1.2).
// Assertions are on codes, severities, refs and graphError, never on message prose.

import { describe, expect, it } from 'vitest';
import { checkCertificate, type CheckOptions } from '../../src/checks/check-certificate.ts';
import type { Finding } from '../../src/checks/finding.ts';
import { GRAPH_CERTIFICATE_ERROR } from '../../src/checks/graph-errors.ts';
import { RULES, getRule, type RuleCode } from '../../src/checks/rules.ts';
import { createWebCryptoVerifier } from '../../src/checks/verify-signature.ts';
import { GraphMtlsError } from '../../src/errors.ts';
import { TLS_CLIENT_AUTH_PARAMETERS, type TlsClientAuthParameter } from '../../src/identity/identify.ts';
import { lint, type LintOptions } from '../../src/lint.ts';
import { parseCertificate } from '../../src/x509/certificate.ts';
import {
  getKey,
  makeCrl,
  makeCsr,
  makeDeviceCert,
  makeIntermediateCa,
  makeRootCa,
  pkcs8Der,
  toPem,
  type CertificateOptions,
  type GeneratedCertificate,
  type KeyKind,
} from '@graph-mtls/test/fixtures/certificates.ts';
import * as d from '@graph-mtls/test/fixtures/der-builder.ts';
import { codeOf, errorOf } from '@graph-mtls/test/helpers.ts';
import { NOW } from '@graph-mtls/test/clock.ts';

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

const DAY = 86_400_000;
const NOT_BEFORE = new Date(Date.UTC(2024, 0, 1));
const NOT_AFTER = new Date(Date.UTC(2034, 0, 1));
const CRL_URL = 'http://crl.example.test/ca.crl';
const OID_MD5_RSA = '1.2.840.113549.1.1.4';
const OID_DSA = '1.2.840.10040.4.1';
const OID_BRAINPOOL_P256 = '1.3.36.3.3.2.8.1.1.7';
const PRIVATE_OID = '1.3.6.1.4.1.99999.42';

const verifier = createWebCryptoVerifier(globalThis.crypto.subtle);

type Target = GeneratedCertificate | Uint8Array;

function derOf(t: Target): Uint8Array {
  return t instanceof Uint8Array ? t : t.der;
}

/** A clean root: P-256 (ECDSA SHA-256), BC cA critical, KU keyCertSign+cRLSign critical, SKI = AKI, http CRL DP. */
function root(opts: CertificateOptions = {}): Promise<GeneratedCertificate> {
  return makeRootCa({ key: 'p256', notBefore: NOT_BEFORE, notAfter: NOT_AFTER, crlDistributionPoints: [CRL_URL], ...opts });
}

let issuingRoot: Promise<GeneratedCertificate> | undefined;
function issuer(): Promise<GeneratedCertificate> {
  issuingRoot ??= root();
  return issuingRoot;
}

/** A clean intermediate under a shared root: pathLen 0, AKI = the root's SKI. */
async function intermediate(opts: CertificateOptions = {}): Promise<GeneratedCertificate> {
  return makeIntermediateCa(await issuer(), { key: 'p256', notBefore: NOT_BEFORE, notAfter: NOT_AFTER, ...opts });
}

let issuingIntermediate: Promise<GeneratedCertificate> | undefined;
/** A clean device certificate (KU digitalSignature, EKU clientAuth, SAN URI) under a shared intermediate. */
async function device(opts: CertificateOptions = {}): Promise<GeneratedCertificate> {
  issuingIntermediate ??= intermediate();
  return makeDeviceCert(await issuingIntermediate, { key: 'p256', notBefore: NOT_BEFORE, notAfter: NOT_AFTER, ...opts });
}

/** The extensions of a clean CA for a hand-built certificate. */
function caExtensions(keyId: Uint8Array): d.ExtensionSpec[] {
  return [
    { oid: d.OIDS.basicConstraints, critical: true, value: d.basicConstraintsValue(true) },
    { oid: d.OIDS.keyUsage, critical: true, value: d.keyUsageValue(['keyCertSign', 'cRLSign']) },
    { oid: d.OIDS.subjectKeyIdentifier, value: d.subjectKeyIdentifierValue(keyId) },
    { oid: d.OIDS.crlDistributionPoints, value: d.crlDistributionPointsValue([CRL_URL]) },
  ];
}

/** A hand-built self-issued CA (der-builder), signed by `signer`, with clean CA extensions unless replaced. */
async function handBuilt(spec: Partial<d.BuildCertificateSpec> = {}, signer: KeyKind = 'p256'): Promise<Uint8Array> {
  const key = await getKey(signer);
  return d.buildCertificate({
    signingKey: key.privateKey,
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
    extensions: caExtensions(spec.spki === undefined ? key.keyId : Uint8Array.of(1, 2, 3, 4)),
    ...spec,
  });
}

/**
 * One CA name, two keys (RFC 5280 §3.1 key rollover): the old and the new self-signed root, and
 * "new with old" (the new key, signed by the old one), without AKI so the key identifiers cannot tell.
 */
async function rollover(): Promise<{ oldRoot: GeneratedCertificate; newRoot: GeneratedCertificate; newWithOld: GeneratedCertificate }> {
  const subject = 'CN=Rollover CA, O=graph-mtls tests';
  const oldRoot = await root({ subject, key: await getKey('p256', 0) });
  const newRoot = await root({ subject, key: await getKey('p256', 1) });
  const newWithOld = await root({ subject, key: newRoot.key, issuer: oldRoot, authorityKeyIdentifier: 'omit' });
  return { oldRoot, newRoot, newWithOld };
}

/** A SubjectPublicKeyInfo from raw parts. */
function spki(algorithm: Uint8Array, keyBits: Uint8Array): Uint8Array {
  return d.seq(algorithm, d.bits(keyBits));
}

function bigPositive(bytes: number, seed: number): Uint8Array {
  const out = Uint8Array.from({ length: bytes }, (_, i) => (i * 37 + seed) & 0xff);
  out[0] = 0x80 | seed;
  return d.unsignedIntegerContent(out);
}

async function check(target: Target | Promise<Target>, options: Partial<CheckOptions> = {}): Promise<readonly Finding[]> {
  return checkCertificate(parseCertificate(derOf(await target)), { now: NOW, ...options });
}

function checkAsDevice(target: Target | Promise<Target>, options: Partial<CheckOptions> = {}): Promise<readonly Finding[]> {
  return check(target, { role: 'device', ...options });
}

async function lintFindings(input: string | Uint8Array, options: Partial<LintOptions> = {}): Promise<readonly Finding[]> {
  const report = await lint(input, { now: NOW, verifier, ...options });
  return [...report.certificates.flatMap((c) => c.findings), ...report.inputs.flatMap((i) => i.findings)];
}

function codes(findings: readonly Finding[]): RuleCode[] {
  return [...new Set(findings.map((f) => f.code))].sort();
}

// ---------------------------------------------------------------------------------------------
// The rule table: for every rule, inputs that fire it and inputs that do not
// ---------------------------------------------------------------------------------------------

type Run = () => Promise<readonly Finding[]>;

interface Fires {
  readonly name: string;
  readonly run: Run;
  /** The other codes the input is expected to produce (the whole set is compared); 'any' skips that. */
  readonly also?: readonly RuleCode[] | 'any';
  /** The refs of the rule's findings, in order, when they differ from REFS[code]. */
  readonly refs?: readonly string[];
}

interface Clean {
  readonly name: string;
  readonly run: Run;
}

interface RuleCases {
  readonly fires: readonly Fires[];
  readonly clean: readonly Clean[];
}

const cleanRoot: Clean = { name: 'a clean root', run: () => check(root()) };
const cleanIntermediate: Clean = { name: 'a clean intermediate', run: () => check(intermediate()) };
const cleanDevice: Clean = { name: 'a clean device certificate', run: () => checkAsDevice(device(), { parameter: 'tls_client_auth_san_uri' }) };

function extraExtension(spec: d.ExtensionSpec, opts: CertificateOptions = {}): Promise<GeneratedCertificate> {
  return root({ ...opts, extensions: [spec] });
}

// Payload rules (PAYLOAD_*) are covered by payload/check.test.ts, path rules (VERIFY_*) by
// verify/verify-device.test.ts; INPUT_FILE_UNREADABLE, which only the CLI reports, by packages/node/test.
type CertificateRuleCode = Exclude<RuleCode, `PAYLOAD_${string}` | `VERIFY_${string}` | 'INPUT_FILE_UNREADABLE'>;
const CERTIFICATE_RULES = RULES.filter((r) => r.appliesTo !== 'payload' && r.appliesTo !== 'path' && r.code !== 'INPUT_FILE_UNREADABLE');

/**
 * The ref (public API: the field a finding is about) each rule's findings carry; undefined for
 * input findings, which are about the input, not a field. Rules whose ref depends on the case
 * (CERT_FIELD_MALFORMED, CERT_TIME_ENCODING, ...) give it per case in `refs`.
 */
const REFS: Partial<Record<CertificateRuleCode, string>> = {
  CA_BASIC_CONSTRAINTS_MISSING: 'extensions.basicConstraints',
  CA_BASIC_CONSTRAINTS_NOT_CA: 'extensions.basicConstraints.cA',
  CA_BASIC_CONSTRAINTS_NOT_CRITICAL: 'extensions.basicConstraints.critical',
  CA_PATH_LEN_NEGATIVE: 'extensions.basicConstraints.pathLenConstraint',
  CA_ROOT_PATH_LEN_PRESENT: 'extensions.basicConstraints.pathLenConstraint',
  CA_KEY_USAGE_MISSING: 'extensions.keyUsage',
  CA_KEY_USAGE_NO_CERT_SIGN: 'extensions.keyUsage',
  CA_KEY_USAGE_NO_CRL_SIGN: 'extensions.keyUsage',
  CA_SKI_MISSING: 'extensions.subjectKeyIdentifier',
  CA_AKI_MISSING: 'extensions.authorityKeyIdentifier',
  CA_SUBJECT_EMPTY: 'subject',
  CA_EKU_EXCLUDES_CLIENT_AUTH: 'extensions.extendedKeyUsage',
  CA_SELF_ISSUED_NOT_SELF_SIGNED: 'signatureValue',
  CA_ROOT_AKI_MISMATCH: 'extensions.authorityKeyIdentifier',
  CRL_DP_NOT_HTTP: 'extensions.cRLDistributionPoints',
  CRL_DP_MULTIPLE: 'extensions.cRLDistributionPoints',
  CERT_NOT_YET_VALID: 'validity.notBefore',
  CERT_EXPIRED: 'validity.notAfter',
  CERT_EXPIRING_SOON: 'validity.notAfter',
  CERT_VALIDITY_INVERTED: 'validity',
  CERT_VERSION_NOT_V3: 'version',
  CERT_UNIQUE_IDENTIFIERS: 'tbsCertificate',
  CERT_SERIAL_NOT_POSITIVE: 'serialNumber',
  CERT_SERIAL_TOO_LONG: 'serialNumber',
  CERT_SIGNATURE_ALGORITHM_MISMATCH: 'signatureAlgorithm',
  KEY_RSA_TOO_SMALL: 'subjectPublicKeyInfo',
  KEY_CURVE_NOT_ALLOWED: 'subjectPublicKeyInfo',
  KEY_ALGORITHM_UNSUPPORTED: 'subjectPublicKeyInfo',
  SIGNATURE_WEAK_HASH: 'signatureAlgorithm',
  DEVICE_IS_CA: 'extensions.basicConstraints.cA',
  DEVICE_EKU_NO_CLIENT_AUTH: 'extensions.extendedKeyUsage',
  DEVICE_KEY_USAGE_NO_DIGITAL_SIGNATURE: 'extensions.keyUsage',
};

const CASES: Record<CertificateRuleCode, RuleCases> = {
  INPUT_UNREADABLE: {
    fires: [
      { name: 'a CERTIFICATE block whose body is not base64', run: () => lintFindings('-----BEGIN CERTIFICATE-----\nMII*not~base64!\n-----END CERTIFICATE-----\n') },
      { name: 'a truncated DER certificate', run: async () => lintFindings((await root()).der.subarray(0, 200)) },
      { name: 'a DER certificate with trailing bytes', run: async () => lintFindings(d.concat((await root()).der, Uint8Array.of(0, 0))) },
    ],
    clean: [{ name: 'a good PEM certificate', run: async () => lintFindings((await root()).pem) }],
  },
  INPUT_NOT_STRICT_DER: {
    fires: [
      { name: 'an empty RDN SET in the subject', run: async () => lintFindings(await handBuilt({ subject: d.seq(d.set(), d.set(d.seq(d.oid('2.5.4.3'), d.utf8('Hand Built')))) })) },
      { name: 'an empty extensions SEQUENCE', run: async () => lintFindings(await handBuilt({ extensions: [] })) },
      { name: 'an explicitly encoded v1 version', run: async () => lintFindings(await handBuilt({ version: 1, encodeDefaultVersion: true, extensions: undefined })) },
      { name: 'a BER long-form length', run: async () => lintFindings(d.concat(Uint8Array.of(0x30, 0x82, 0x00, 0x03), Uint8Array.of(0x02, 0x01, 0x01))) },
    ],
    clean: [{ name: 'a good DER certificate', run: async () => lintFindings((await root()).der) }],
  },
  INPUT_PRIVATE_KEY: {
    fires: [
      { name: "a PEM 'PRIVATE KEY' block", run: async () => lintFindings(toPem(pkcs8Der((await getKey('p256')).privateKey), 'PRIVATE KEY')) },
      { name: "a PEM 'EC PRIVATE KEY' block", run: async () => lintFindings(toPem(d.ecPrivateKeyDer((await getKey('p256')).privateKey), 'EC PRIVATE KEY')) },
      { name: 'a DER PKCS#8 private key', run: async () => lintFindings(pkcs8Der((await getKey('rsa2048')).privateKey)) },
      { name: 'a bare base64 PKCS#1 RSA private key', run: async () => lintFindings(Buffer.from(d.rsaPrivateKeyDer((await getKey('rsa2048')).privateKey)).toString('base64')) },
    ],
    clean: [{ name: 'a good PEM certificate', run: async () => lintFindings((await root()).pem) }],
  },
  INPUT_NOT_A_CERTIFICATE: {
    fires: [
      { name: 'a PEM CSR', run: async () => lintFindings((await makeCsr((await getKey('p256')).webCrypto!)).pem) },
      { name: 'a DER CSR', run: async () => lintFindings((await makeCsr((await getKey('p256')).webCrypto!)).der) },
      { name: 'a PEM CRL', run: async () => lintFindings((await makeCrl((await getKey('p256')).webCrypto!.privateKey)).pem) },
      { name: 'a PEM PUBLIC KEY', run: async () => lintFindings(toPem((await getKey('p256')).spki, 'PUBLIC KEY')) },
      { name: 'an empty input', run: () => lintFindings('') },
      { name: 'text that is neither PEM nor base64', run: () => lintFindings('hello, world') },
      { name: 'a PEM block with an unknown label', run: async () => lintFindings(toPem((await root()).der, 'SOMETHING ELSE')) },
    ],
    clean: [{ name: 'a good PEM certificate', run: async () => lintFindings((await root()).pem) }],
  },
  CA_BASIC_CONSTRAINTS_MISSING: {
    fires: [{ name: 'a root without basicConstraints', run: () => check(root({ basicConstraints: null })) }],
    clean: [cleanRoot, { name: 'a root with a malformed basicConstraints (reported as malformed instead)', run: () => check(root({ basicConstraints: null, extensions: [{ oid: d.OIDS.basicConstraints, critical: true, value: d.octet(Uint8Array.of(1)) }] })) }],
  },
  CA_BASIC_CONSTRAINTS_NOT_CA: {
    fires: [
      { name: 'a root with cA FALSE', run: () => check(root({ basicConstraints: { ca: false } })) },
      { name: 'a non-critical basicConstraints with cA FALSE (not also NOT_CRITICAL)', run: () => check(root({ basicConstraints: { ca: false, critical: false } })) },
      {
        name: 'a device certificate with cA FALSE checked as a CA',
        run: () => check(device({ basicConstraints: { ca: false } })),
        also: ['CA_KEY_USAGE_NO_CERT_SIGN', 'CA_KEY_USAGE_NO_CRL_SIGN'],
      },
    ],
    clean: [cleanRoot, cleanIntermediate],
  },
  CA_BASIC_CONSTRAINTS_NOT_CRITICAL: {
    fires: [
      { name: 'a root with non-critical basicConstraints', run: () => check(root({ basicConstraints: { ca: true, critical: false } })) },
      { name: 'an intermediate with non-critical basicConstraints', run: () => check(intermediate({ basicConstraints: { ca: true, pathLen: 0, critical: false } })) },
    ],
    clean: [cleanRoot, { name: 'non-critical basicConstraints with cA FALSE', run: () => check(root({ basicConstraints: { ca: false, critical: false } })) }],
  },
  CA_PATH_LEN_NEGATIVE: {
    fires: [
      { name: 'an intermediate with pathLenConstraint -1', run: () => check(intermediate({ basicConstraints: { ca: true, pathLen: -1 } })) },
      { name: 'a root with pathLenConstraint -1 (not also ROOT_PATH_LEN_PRESENT)', run: () => check(root({ basicConstraints: { ca: true, pathLen: -1 } })) },
    ],
    clean: [cleanRoot, cleanIntermediate, { name: 'an intermediate with pathLenConstraint 5', run: () => check(intermediate({ basicConstraints: { ca: true, pathLen: 5 } })) }],
  },
  CA_ROOT_PATH_LEN_PRESENT: {
    fires: [
      { name: 'a root with pathLenConstraint 0', run: () => check(root({ basicConstraints: { ca: true, pathLen: 0 } })) },
      { name: 'a root with pathLenConstraint 3', run: () => check(root({ basicConstraints: { ca: true, pathLen: 3 } })) },
    ],
    clean: [cleanRoot, { name: 'an intermediate with pathLenConstraint 0', run: () => check(intermediate()) }],
  },
  CA_KEY_USAGE_MISSING: {
    fires: [{ name: 'a root without keyUsage', run: () => check(root({ keyUsage: null })) }],
    clean: [cleanRoot, { name: 'a root with a malformed keyUsage (reported as malformed instead)', run: () => check(root({ keyUsage: null, extensions: [{ oid: d.OIDS.keyUsage, critical: true, value: d.octet(Uint8Array.of(1)) }] })) }],
  },
  CA_KEY_USAGE_NO_CERT_SIGN: {
    fires: [
      { name: 'keyUsage cRLSign only', run: () => check(root({ keyUsage: ['cRLSign'] })) },
      { name: 'keyUsage digitalSignature only', run: () => check(root({ keyUsage: ['digitalSignature'] })), also: ['CA_KEY_USAGE_NO_CRL_SIGN'] },
    ],
    clean: [cleanRoot, { name: 'keyUsage keyCertSign only', run: () => check(root({ keyUsage: ['keyCertSign'] })) }],
  },
  CA_KEY_USAGE_NO_CRL_SIGN: {
    fires: [
      { name: 'keyUsage keyCertSign only', run: () => check(root({ keyUsage: ['keyCertSign'] })) },
      { name: 'keyUsage keyCertSign + digitalSignature', run: () => check(intermediate({ keyUsage: ['keyCertSign', 'digitalSignature'] })) },
    ],
    clean: [cleanRoot, { name: 'keyUsage cRLSign only', run: () => check(root({ keyUsage: ['cRLSign'] })) }],
  },
  CA_SKI_MISSING: {
    fires: [
      { name: 'a root without SKI or AKI', run: () => check(root({ subjectKeyIdentifier: 'omit', authorityKeyIdentifier: 'omit' })) },
      { name: 'an intermediate without SKI', run: () => check(intermediate({ subjectKeyIdentifier: 'omit' })) },
    ],
    clean: [cleanRoot, cleanIntermediate, { name: 'a root with a non-method-1 SKI', run: () => check(root({ subjectKeyIdentifier: Uint8Array.of(1, 2, 3), authorityKeyIdentifier: Uint8Array.of(1, 2, 3) })) }],
  },
  CA_AKI_MISSING: {
    fires: [
      { name: 'an intermediate without AKI', run: () => check(intermediate({ authorityKeyIdentifier: 'omit' })) },
      {
        name: 'an intermediate whose AKI has only issuer and serial',
        run: async () => {
          const r = await issuer();
          return check(intermediate({ authorityKeyIdentifier: { issuer: [{ directoryName: r.issuerDer }], serialNumber: r.serialNumber } }));
        },
      },
    ],
    clean: [
      cleanIntermediate,
      { name: 'a root without AKI (self-issued)', run: () => check(root({ authorityKeyIdentifier: 'omit' })) },
      { name: 'an intermediate with a malformed AKI (reported as malformed instead)', run: () => check(intermediate({ authorityKeyIdentifier: 'omit', extensions: [{ oid: d.OIDS.authorityKeyIdentifier, value: d.octet(Uint8Array.of(1)) }] })) },
    ],
  },
  CA_SUBJECT_EMPTY: {
    fires: [
      { name: 'an intermediate with an empty subject', run: () => check(intermediate({ subject: [] })) },
      { name: 'a self-issued root with empty subject and issuer', run: () => check(root({ subject: [] })) },
    ],
    clean: [cleanRoot, cleanIntermediate],
  },
  CA_EKU_EXCLUDES_CLIENT_AUTH: {
    fires: [
      { name: 'a root with EKU serverAuth', run: () => check(root({ extendedKeyUsage: ['serverAuth'] })) },
      { name: 'an intermediate with EKU codeSigning + emailProtection', run: () => check(intermediate({ extendedKeyUsage: ['codeSigning', 'emailProtection'] })) },
    ],
    clean: [
      cleanRoot,
      { name: 'EKU clientAuth + serverAuth', run: () => check(root({ extendedKeyUsage: ['serverAuth', 'clientAuth'] })) },
      { name: 'EKU anyExtendedKeyUsage', run: () => check(intermediate({ extendedKeyUsage: ['anyExtendedKeyUsage'] })) },
    ],
  },
  CA_SELF_ISSUED_NOT_SELF_SIGNED: {
    fires: [
      { name: 'a key-rollover certificate (new key, signed by the old one) without AKI', also: ['CA_AKI_MISSING'], run: async () => lintFindings((await rollover()).newWithOld.der) },
      { name: 'a P-256 root whose signature was altered', run: async () => lintFindings(d.tamperSignature((await root()).der)) },
      { name: 'an RSA root whose signature was altered', run: async () => lintFindings(d.tamperSignature((await root({ key: 'rsa2048' })).der)) },
    ],
    clean: [
      { name: 'a good root, with a verifier', run: async () => lintFindings((await root()).der) },
      { name: 'a root whose AKI differs from its SKI (self-signed)', run: async () => lintFindings((await root({ authorityKeyIdentifier: Uint8Array.of(9, 9, 9) })).der) },
      { name: 'an altered root, without a verifier', run: async () => lintFindings(d.tamperSignature((await root()).der), { verifier: undefined }) },
      { name: 'an altered root, in the device role', run: async () => lintFindings(d.tamperSignature((await root()).der), { role: 'device' }) },
      { name: 'an altered intermediate (not self-issued)', run: async () => lintFindings(d.tamperSignature((await intermediate()).der)) },
      { name: 'an altered secp256k1 root (WebCrypto cannot verify it)', run: async () => lintFindings(d.tamperSignature((await root({ key: 'secp256k1' })).der)) },
    ],
  },
  CA_ROOT_AKI_MISMATCH: {
    fires: [{ name: 'a self-signed root whose AKI differs from its SKI', run: async () => lintFindings((await root({ authorityKeyIdentifier: Uint8Array.of(9, 9, 9) })).der) }],
    clean: [
      { name: 'a root whose AKI equals its SKI', run: async () => lintFindings((await root()).der) },
      { name: 'the same root without a verifier (taken for a key-rollover certificate)', run: async () => lintFindings((await root({ authorityKeyIdentifier: Uint8Array.of(9, 9, 9) })).der, { verifier: undefined }) },
      { name: 'an intermediate whose AKI names its issuer', run: async () => lintFindings((await intermediate()).der) },
    ],
  },
  CRL_DP_NOT_HTTP: {
    fires: [
      { name: 'an ldap: CRL URL', run: () => check(root({ crlDistributionPoints: ['ldap://ldap.example.test/cn=CRL,o=Example?certificateRevocationList'] })) },
      { name: 'an https: CRL URL', run: () => check(intermediate({ crlDistributionPoints: ['https://crl.example.test/ca.crl'] })) },
    ],
    clean: [
      cleanRoot,
      { name: 'an upper-case HTTP: URL', run: () => check(root({ crlDistributionPoints: ['HTTP://CRL.EXAMPLE.TEST/CA.CRL'] })) },
      { name: 'no CRL distribution point', run: () => check(root({ crlDistributionPoints: null })) },
    ],
  },
  CRL_DP_MULTIPLE: {
    fires: [
      { name: 'two http CRL URLs', run: () => check(root({ crlDistributionPoints: [CRL_URL, 'http://crl2.example.test/ca.crl'] })) },
      { name: 'an http and an ldap URL', run: () => check(root({ crlDistributionPoints: [CRL_URL, 'ldap://ldap.example.test/crl'] })), also: ['CRL_DP_NOT_HTTP'] },
    ],
    clean: [cleanRoot],
  },
  CERT_NOT_YET_VALID: {
    fires: [{ name: 'now 1 ms before notBefore', run: () => check(root(), { now: new Date(NOT_BEFORE.getTime() - 1) }) }],
    clean: [{ name: 'now == notBefore', run: () => check(root(), { now: NOT_BEFORE }) }],
  },
  CERT_EXPIRED: {
    fires: [
      { name: 'now 1 ms after notAfter', run: () => check(root(), { now: new Date(NOT_AFTER.getTime() + 1) }) },
      { name: 'a device certificate 1 ms after notAfter', run: () => checkAsDevice(device(), { now: new Date(NOT_AFTER.getTime() + 1) }) },
    ],
    clean: [{ name: 'now == notAfter', run: () => check(root(), { now: NOT_AFTER }) }],
  },
  CERT_EXPIRING_SOON: {
    fires: [
      { name: '29 days before notAfter', run: () => check(root(), { now: new Date(NOT_AFTER.getTime() - 29 * DAY) }) },
      { name: 'now == notAfter', run: () => check(root(), { now: NOT_AFTER }) },
      { name: '60 days left with a 90-day window', run: () => check(root(), { now: new Date(NOT_AFTER.getTime() - 60 * DAY), expiryWarningDays: 90 }) },
    ],
    clean: [
      { name: 'exactly 30 days before notAfter', run: () => check(root(), { now: new Date(NOT_AFTER.getTime() - 30 * DAY) }) },
      { name: '20 days left with a 10-day window', run: () => check(root(), { now: new Date(NOT_AFTER.getTime() - 20 * DAY), expiryWarningDays: 10 }) },
      { name: 'expired (reported as expired instead)', run: () => check(root(), { now: new Date(NOT_AFTER.getTime() + 1) }) },
    ],
  },
  CERT_VALIDITY_INVERTED: {
    fires: [
      { name: 'notAfter 1 s before notBefore', run: () => check(root({ notBefore: NOT_AFTER, notAfter: new Date(NOT_AFTER.getTime() - 1000) })) },
      { name: 'inverted, with now outside both', run: () => check(root({ notBefore: NOT_AFTER, notAfter: NOT_BEFORE }), { now: new Date(Date.UTC(2040, 0, 1)) }) },
    ],
    clean: [cleanRoot, { name: 'notBefore == notAfter', run: () => check(root({ notBefore: NOW, notAfter: NOW }), { expiryWarningDays: 0 }) }],
  },
  CERT_TIME_ENCODING: {
    fires: [
      { name: 'notBefore 2024 as GeneralizedTime', refs: ['validity.notBefore'], run: () => check(root({ notBefore: d.genTime(NOT_BEFORE) })) },
      { name: 'notAfter 2049-12-31 as GeneralizedTime', refs: ['validity.notAfter'], run: () => check(root({ notAfter: d.genTime(new Date(Date.UTC(2049, 11, 31, 23, 59, 59))) })) },
    ],
    clean: [
      cleanRoot,
      { name: 'notAfter 2049-12-31 as UTCTime', run: () => check(root({ notAfter: d.utcTime(new Date(Date.UTC(2049, 11, 31, 23, 59, 59))) })) },
      { name: 'notAfter 2050 as GeneralizedTime', run: () => check(root({ notAfter: new Date(Date.UTC(2050, 0, 1)) })) },
      { name: 'notAfter 9999 as GeneralizedTime', run: () => check(root({ notAfter: new Date(Date.UTC(9999, 11, 31, 23, 59, 59)) })) },
      { name: 'notBefore 1940 as GeneralizedTime (UTCTime cannot hold it)', run: () => check(root({ notBefore: d.genTime(new Date(Date.UTC(1940, 0, 1))) })) },
    ],
  },
  CERT_VERSION_NOT_V3: {
    fires: [
      { name: 'a v1 device certificate', run: () => checkAsDevice(device({ version: 1, keyUsage: null, extendedKeyUsage: null, subjectAltName: null })) },
      {
        name: 'a v1 root (so no extensions either)',
        run: () => check(root({ version: 1, basicConstraints: null, keyUsage: null, crlDistributionPoints: null })),
        also: ['CA_BASIC_CONSTRAINTS_MISSING', 'CA_KEY_USAGE_MISSING', 'CA_SKI_MISSING'],
      },
      { name: 'a v2 root with extensions', run: () => check(root({ version: 2, subjectKeyIdentifier: 'auto' })) },
    ],
    clean: [cleanRoot, cleanDevice],
  },
  CERT_UNIQUE_IDENTIFIERS: {
    fires: [
      { name: 'a root with issuerUniqueID and subjectUniqueID', run: () => check(root({ issuerUniqueId: Uint8Array.of(1, 2), subjectUniqueId: Uint8Array.of(3, 4) })) },
      { name: 'a root with subjectUniqueID only', run: () => check(root({ subjectUniqueId: Uint8Array.of(3, 4) })) },
    ],
    clean: [cleanRoot],
  },
  CERT_SERIAL_NOT_POSITIVE: {
    fires: [
      { name: 'serial 0', run: () => check(root({ serialNumber: 0 })) },
      { name: 'serial -5', run: () => check(root({ serialNumber: -5 })) },
      { name: 'serial -2^159', run: () => check(root({ serialNumber: -(2n ** 159n) })) },
    ],
    clean: [
      cleanRoot,
      { name: 'serial 1', run: () => check(root({ serialNumber: 1 })) },
      { name: 'serial 0xff (encoded 00 ff)', run: () => check(root({ serialNumber: 'ff' })) },
    ],
  },
  CERT_SERIAL_TOO_LONG: {
    fires: [
      { name: 'a 21-octet serial', run: () => check(root({ serialNumber: Uint8Array.from({ length: 21 }, (_, i) => i + 1) })) },
      // Like zlint e_serial_number_longer_than_20_octets: the DER octets count, sign byte included.
      { name: 'a 20-octet magnitude with its top bit set (21 DER octets)', run: () => check(root({ serialNumber: 'f1'.repeat(20) })) },
    ],
    clean: [cleanRoot, { name: 'a 20-octet serial', run: () => check(root({ serialNumber: Uint8Array.from({ length: 20 }, (_, i) => i + 1) })) }],
  },
  CERT_SIGNATURE_ALGORITHM_MISMATCH: {
    fires: [
      {
        name: 'tbs ecdsaWithSHA256, outer ecdsaWithSHA384',
        run: () => check(handBuilt({ signatureAlgorithm: d.algId(d.OIDS.ecdsaWithSha256), sign: { outerAlgorithm: d.algId(d.OIDS.ecdsaWithSha384) } })),
      },
      {
        name: 'sha256WithRSAEncryption with NULL in tbs, absent outside',
        run: () => check(handBuilt({ signatureAlgorithm: d.algId(d.OIDS.sha256WithRSAEncryption, null), sign: { outerAlgorithm: d.algId(d.OIDS.sha256WithRSAEncryption) } }, 'rsa2048')),
      },
    ],
    clean: [cleanRoot, { name: 'a hand-built root with matching algorithms', run: () => check(handBuilt()) }],
  },
  CERT_EXTENSION_DUPLICATE: {
    fires: [
      { name: 'basicConstraints twice', refs: ['extensions.2.5.29.19'], run: () => check(extraExtension({ oid: d.OIDS.basicConstraints, critical: true, value: d.basicConstraintsValue(true) })) },
      { name: 'a private extension twice', refs: [`extensions.${PRIVATE_OID}`], run: () => check(root({ extensions: [{ oid: PRIVATE_OID, value: d.utf8('a') }, { oid: PRIVATE_OID, value: d.utf8('b') }] })) },
    ],
    clean: [cleanRoot, { name: 'two different private extensions', run: () => check(root({ extensions: [{ oid: PRIVATE_OID, value: d.utf8('a') }, { oid: `${PRIVATE_OID}.1`, value: d.utf8('b') }] })) }],
  },
  CERT_FIELD_MALFORMED: {
    fires: [
      { name: 'keyUsage that is not a BIT STRING', refs: ['extensions.keyUsage'], run: () => check(root({ keyUsage: null, extensions: [{ oid: d.OIDS.keyUsage, critical: true, value: d.octet(Uint8Array.of(1)) }] })) },
      { name: 'basicConstraints that is not a SEQUENCE', refs: ['extensions.basicConstraints'], run: () => check(root({ basicConstraints: null, extensions: [{ oid: d.OIDS.basicConstraints, critical: true, value: d.int(1) }] })) },
      { name: 'basicConstraints with trailing bytes', refs: ['extensions.basicConstraints'], run: () => check(root({ basicConstraints: null, extensions: [{ oid: d.OIDS.basicConstraints, critical: true, value: d.concat(d.basicConstraintsValue(true), Uint8Array.of(0)) }] })) },
      { name: 'subjectKeyIdentifier that is not an OCTET STRING', refs: ['extensions.subjectKeyIdentifier'], run: () => check(root({ subjectKeyIdentifier: 'omit', extensions: [{ oid: d.OIDS.subjectKeyIdentifier, value: d.int(5) }] })) },
      { name: 'a device keyUsage that is not a BIT STRING', refs: ['extensions.keyUsage'], run: () => checkAsDevice(device({ keyUsage: null, extensions: [{ oid: d.OIDS.keyUsage, critical: true, value: d.utf8('x') }] })) },
    ],
    clean: [
      cleanRoot,
      cleanIntermediate,
      cleanDevice,
      { name: 'a CA subjectAltName that is not a SEQUENCE (a warning: Graph does not decode it)', run: () => check(root({ subjectAltName: null, extensions: [{ oid: d.OIDS.subjectAltName, value: d.utf8('x') }] })) },
    ],
  },
  CERT_EXTENSION_MALFORMED: {
    fires: [
      { name: 'authorityKeyIdentifier that is not a SEQUENCE', refs: ['extensions.authorityKeyIdentifier'], run: () => check(intermediate({ authorityKeyIdentifier: 'omit', extensions: [{ oid: d.OIDS.authorityKeyIdentifier, value: d.octet(Uint8Array.of(1)) }] })) },
      { name: 'an empty extendedKeyUsage', refs: ['extensions.extendedKeyUsage'], run: () => check(root({ extensions: [{ oid: d.OIDS.extKeyUsage, value: d.seq() }] })) },
      { name: 'cRLDistributionPoints that is not a SEQUENCE', refs: ['extensions.cRLDistributionPoints'], run: () => check(root({ crlDistributionPoints: null, extensions: [{ oid: d.OIDS.crlDistributionPoints, value: d.utf8(CRL_URL) }] })) },
      { name: 'a CA subjectAltName that is not a SEQUENCE', refs: ['extensions.subjectAltName'], run: () => check(root({ subjectAltName: null, extensions: [{ oid: d.OIDS.subjectAltName, value: d.utf8('x') }] })) },
      { name: 'a keyUsage that sets bit 9', refs: ['extensions.keyUsage'], run: () => check(root({ keyUsage: null, extensions: [{ oid: d.OIDS.keyUsage, critical: true, value: d.tlv(0x03, Uint8Array.of(6, 0x06, 0x40)) }] })) },
      { name: 'a device extendedKeyUsage that is not a SEQUENCE', refs: ['extensions.extendedKeyUsage'], run: () => checkAsDevice(device({ extendedKeyUsage: null, extensions: [{ oid: d.OIDS.extKeyUsage, value: d.oid(d.OIDS.clientAuth) }] })) },
      {
        name: 'a device subjectAltName that is not a SEQUENCE, with a SAN parameter', refs: ['extensions.subjectAltName'], also: ['DEVICE_IDENTITY_MISSING'],
        run: () => checkAsDevice(device({ subjectAltName: null, extensions: [{ oid: d.OIDS.subjectAltName, value: d.utf8('x') }] }), { parameter: 'tls_client_auth_san_dns' }),
      },
    ],
    clean: [cleanRoot, cleanIntermediate, cleanDevice, { name: 'a keyUsage with all 9 bits', run: () => check(root({ keyUsage: ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'] })) }],
  },
  KEY_MALFORMED: {
    fires: [
      { name: 'an RSA public key that is not an RSAPublicKey', refs: ['subjectPublicKeyInfo'], run: () => check(handBuilt({ spki: spki(d.algId(d.OIDS.rsaEncryption, null), Uint8Array.of(1, 2, 3)) })) },
      { name: 'a negative RSA modulus', refs: ['subjectPublicKeyInfo'], run: () => check(handBuilt({ spki: spki(d.algId(d.OIDS.rsaEncryption, null), d.seq(d.int(-5), d.int(65537))) })) },
    ],
    clean: [cleanRoot, cleanDevice],
  },
  CERT_EXTENSION_DEFAULT_ENCODED: {
    fires: [
      { name: 'an extension with critical FALSE encoded', refs: ['extensions.2.5.29.32.critical'], run: () => check(extraExtension({ oid: d.OIDS.certificatePolicies, value: d.seq(d.seq(d.oid('2.5.29.32.0'))), encodeCriticalFalse: true })) },
      { name: 'a device basicConstraints with cA FALSE encoded', refs: ['extensions.basicConstraints.cA'], run: () => checkAsDevice(device({ basicConstraints: { ca: false, encodeCaFalse: true } })) },
      { name: 'a CA basicConstraints with cA FALSE encoded', refs: ['extensions.basicConstraints.cA'], run: () => check(root({ basicConstraints: { ca: false, encodeCaFalse: true } })), also: ['CA_BASIC_CONSTRAINTS_NOT_CA'] },
    ],
    clean: [
      cleanRoot,
      { name: 'a device basicConstraints with cA FALSE omitted', run: () => checkAsDevice(device({ basicConstraints: { ca: false } })) },
      { name: 'an extension with critical TRUE', run: () => check(extraExtension({ oid: d.OIDS.certificatePolicies, critical: true, value: d.seq(d.seq(d.oid('2.5.29.32.0'))) })) },
    ],
  },
  CERT_UNKNOWN_CRITICAL_EXTENSION: {
    fires: [
      { name: 'a critical private extension', refs: [`extensions.${PRIVATE_OID}`], run: () => check(extraExtension({ oid: PRIVATE_OID, critical: true, value: d.utf8('x') })) },
      { name: 'a critical private extension on a device', refs: [`extensions.${PRIVATE_OID}`], run: () => checkAsDevice(device({ extensions: [{ oid: PRIVATE_OID, critical: true, value: d.utf8('x') }] })) },
    ],
    clean: [
      cleanRoot,
      { name: 'the same private extension, non-critical', run: () => check(extraExtension({ oid: PRIVATE_OID, value: d.utf8('x') })) },
      { name: 'a critical nameConstraints (known)', run: () => check(extraExtension({ oid: d.OIDS.nameConstraints, critical: true, value: d.seq(d.explicit(0, d.seq(d.context(2, d.utf8Bytes('example.test'))))) })) },
    ],
  },
  KEY_RSA_TOO_SMALL: {
    fires: [
      { name: 'an RSA 1024 root', run: () => check(root({ key: 'rsa1024' })) },
      { name: 'an RSA 1024 device', run: () => checkAsDevice(device({ key: 'rsa1024' })) },
      { name: 'an RSASSA-PSS SPKI of 1024 bits', run: () => check(handBuilt({ spki: spki(d.algId(d.OIDS.rsassaPss), d.seq(d.int(bigPositive(128, 1)), d.int(65537))) })) },
    ],
    clean: [
      { name: 'an RSA 2048 root', run: () => check(root({ key: 'rsa2048' })) },
      { name: 'an RSA 3072 root', run: () => check(root({ key: 'rsa3072' })) },
      { name: 'an RSASSA-PSS SPKI of 2048 bits', run: () => check(handBuilt({ spki: spki(d.algId(d.OIDS.rsassaPss), d.seq(d.int(bigPositive(256, 2)), d.int(65537))) })) },
    ],
  },
  KEY_CURVE_NOT_ALLOWED: {
    fires: [
      { name: 'a secp256k1 root', run: () => check(root({ key: 'secp256k1' })) },
      { name: 'a brainpoolP256r1 SPKI', run: () => check(handBuilt({ spki: spki(d.algId(d.OIDS.ecPublicKey, d.oid(OID_BRAINPOOL_P256)), d.concat(Uint8Array.of(4), new Uint8Array(64).fill(7))) })) },
      { name: 'explicit curve parameters', run: () => check(handBuilt({ spki: spki(d.algId(d.OIDS.ecPublicKey, d.seq(d.int(1))), d.concat(Uint8Array.of(4), new Uint8Array(64).fill(7))) })) },
    ],
    clean: [
      { name: 'a P-256 root', run: () => check(root({ key: 'p256' })) },
      { name: 'a P-384 root', run: () => check(root({ key: 'p384' })) },
      { name: 'a P-521 root', run: () => check(root({ key: 'p521' })) },
    ],
  },
  KEY_ALGORITHM_UNSUPPORTED: {
    fires: [
      { name: 'an SPKI with an unknown algorithm', run: () => check(handBuilt({ spki: spki(d.algId('1.3.6.1.4.1.99999.9'), Uint8Array.of(1, 2, 3)) })) },
      { name: 'a DSA SPKI', run: () => check(handBuilt({ spki: spki(d.algId(OID_DSA, d.seq(d.int(bigPositive(256, 3)), d.int(bigPositive(32, 4)), d.int(2))), d.int(bigPositive(256, 5))) })) },
    ],
    clean: [
      { name: 'an Ed25519 root', run: () => check(root({ key: 'ed25519' })) },
      { name: 'an Ed448 root', run: () => check(root({ key: 'ed448' })) },
      { name: 'an RSA 4096 root', run: () => check(root({ key: 'rsa4096' })) },
    ],
  },
  SIGNATURE_WEAK_HASH: {
    fires: [
      { name: 'sha1WithRSAEncryption', run: () => check(root({ key: 'rsa2048', signatureHash: 'SHA-1' })) },
      { name: 'ecdsaWithSHA1', run: () => check(root({ key: 'p256', signatureHash: 'SHA-1' })) },
      { name: 'RSASSA-PSS with the default SHA-1', run: () => check(root({ key: 'rsa2048', rsaPss: true, signatureHash: 'SHA-1' })) },
      {
        name: 'md5WithRSAEncryption',
        run: () => check(handBuilt({ signatureAlgorithm: d.algId(OID_MD5_RSA, null), sign: { outerAlgorithm: d.algId(OID_MD5_RSA, null), signature: new Uint8Array(256).fill(9) } }, 'rsa2048')),
      },
      { name: 'a device signed with SHA-1', run: async () => checkAsDevice(makeDeviceCert(await issuer(), { key: 'p256', notBefore: NOT_BEFORE, notAfter: NOT_AFTER, signatureHash: 'SHA-1' })) },
    ],
    clean: [
      { name: 'sha256WithRSAEncryption', run: () => check(root({ key: 'rsa2048' })) },
      { name: 'RSASSA-PSS SHA-256', run: () => check(root({ key: 'rsa2048', rsaPss: true })) },
      { name: 'ecdsaWithSHA512', run: () => check(root({ key: 'p521' })) },
      { name: 'Ed25519', run: () => check(root({ key: 'ed25519' })) },
    ],
  },
  DEVICE_IDENTITY_MISSING: {
    fires: [
      { name: 'san_dns on a certificate with only a SAN URI', refs: ['extensions.subjectAltName'], run: () => checkAsDevice(device(), { parameter: 'tls_client_auth_san_dns' }) },
      { name: 'subject_dn on a certificate with an empty subject', refs: ['subject'], run: () => checkAsDevice(device({ subject: [] }), { parameter: 'tls_client_auth_subject_dn' }) },
    ],
    clean: [
      cleanDevice,
      { name: 'no parameter given', run: () => checkAsDevice(device({ subjectAltName: null, subject: [] })) },
      { name: 'a CA role never checks identity', run: () => check(root({ subject: [] }), { parameter: 'tls_client_auth_subject_dn' }) },
    ],
  },
  DEVICE_IS_CA: {
    fires: [{ name: 'a device with cA TRUE', run: () => checkAsDevice(device({ basicConstraints: { ca: true } })) }],
    clean: [
      cleanDevice,
      { name: 'a device with cA FALSE', run: () => checkAsDevice(device({ basicConstraints: { ca: false } })) },
      { name: 'a root checked as a CA', run: () => check(root()) },
    ],
  },
  DEVICE_EKU_NO_CLIENT_AUTH: {
    fires: [
      { name: 'a device with EKU serverAuth', run: () => checkAsDevice(device({ extendedKeyUsage: ['serverAuth'] })) },
      { name: 'a device with EKU smartcardLogon + emailProtection', run: () => checkAsDevice(device({ extendedKeyUsage: ['smartcardLogon', 'emailProtection'] })) },
    ],
    clean: [
      cleanDevice,
      { name: 'EKU anyExtendedKeyUsage', run: () => checkAsDevice(device({ extendedKeyUsage: ['anyExtendedKeyUsage'] })) },
      { name: 'no EKU', run: () => checkAsDevice(device({ extendedKeyUsage: null })) },
    ],
  },
  DEVICE_KEY_USAGE_NO_DIGITAL_SIGNATURE: {
    fires: [
      { name: 'a device with KU keyEncipherment only', run: () => checkAsDevice(device({ keyUsage: ['keyEncipherment'] })) },
      { name: 'a device with KU keyAgreement', run: () => checkAsDevice(device({ keyUsage: ['keyAgreement'] })) },
    ],
    clean: [
      cleanDevice,
      { name: 'KU digitalSignature only', run: () => checkAsDevice(device({ keyUsage: ['digitalSignature'] })) },
      { name: 'no KU', run: () => checkAsDevice(device({ keyUsage: null })) },
    ],
  },
};

describe('rule catalogue', () => {
  it('every rule in RULES has cases that fire it and cases that do not', () => {
    const uncovered = CERTIFICATE_RULES.map((r) => r.code).filter((code) => {
      const c = (CASES as Partial<Record<string, RuleCases>>)[code];
      return c === undefined || c.fires.length === 0 || c.clean.length === 0;
    });
    expect(uncovered).toEqual([]);
    // And no case is for a code the catalogue does not have.
    expect(Object.keys(CASES).filter((code) => !RULES.some((r) => r.code === code))).toEqual([]);
  });

  it('RULES is sorted by code, unique, and getRule finds each', () => {
    const list = RULES.map((r) => r.code);
    expect(list).toEqual([...list].sort());
    expect(new Set(list).size).toBe(list.length);
    for (const rule of RULES) expect(getRule(rule.code)).toBe(rule);
  });

  it('exactly the errors a Graph upload would hit carry the Graph 400 body', () => {
    for (const rule of CERTIFICATE_RULES) {
      // Strict DER that lenient readers accept fails the lint but predicts no 400.
      const graph400 = rule.severity === 'error' && rule.appliesTo !== 'device' && rule.code !== 'INPUT_NOT_STRICT_DER';
      if (graph400) expect(rule.graphError, rule.code).toEqual(GRAPH_CERTIFICATE_ERROR);
      else expect(rule.graphError, rule.code).toBeUndefined();
      expect(rule.citation.length, rule.code).toBeGreaterThan(0);
      expect(rule.description.length, rule.code).toBeGreaterThan(0);
    }
  });
});

describe.each(Object.entries(CASES) as [CertificateRuleCode, RuleCases][])('%s', (code, cases) => {
  const rule = getRule(code);

  it.each(cases.fires.map((c) => [c.name, c] as const))('fires for %s', async (_name, c) => {
    const findings = await c.run();
    const hits = findings.filter((f) => f.code === code);
    expect(hits.length, codes(findings).join(',')).toBeGreaterThan(0);
    const refs = c.refs ?? hits.map(() => REFS[code]);
    expect(hits.map((f) => f.ref)).toEqual(refs);
    for (const f of hits) {
      expect(f.code).toBe(rule.code);
      expect(f.severity).toBe(rule.severity);
      expect(f.evidence).toBe(rule.evidence);
      expect(f.citation).toBe(rule.citation);
      if (rule.graphError !== undefined) expect(f.graphError).toEqual(GRAPH_CERTIFICATE_ERROR);
      else expect(f).not.toHaveProperty('graphError');
    }
    if (c.also !== 'any') expect(codes(findings)).toEqual([...new Set([code, ...(c.also ?? [])])].sort());
  });

  it.each(cases.clean.map((c) => [c.name, c] as const))('does not fire for %s', async (_name, c) => {
    const findings = await c.run();
    expect(codes(findings)).not.toContain(code);
  });
});

// ---------------------------------------------------------------------------------------------
// Clean certificates
// ---------------------------------------------------------------------------------------------

describe('clean certificates give no findings', () => {
  it.each(['p256', 'p384', 'rsa2048', 'rsa4096', 'ed25519'] as const)('a %s root', async (key) => {
    expect(await check(root({ key }))).toEqual([]);
  });

  it('a root without AKI', async () => {
    expect(await check(root({ authorityKeyIdentifier: 'omit' }))).toEqual([]);
  });

  it.each(['p256', 'rsa2048'] as const)('a %s intermediate with AKI', async (key) => {
    const cert = await intermediate({ key });
    expect(parseCertificate(cert.der).authorityKeyIdentifier?.keyIdentifier).toEqual((await issuer()).subjectKeyId);
    expect(await check(cert)).toEqual([]);
  });

  it('a hand-built root (der-builder)', async () => {
    expect(await check(handBuilt())).toEqual([]);
  });

  it('a root and an intermediate through lint(), with the verifier', async () => {
    const r = await issuer();
    const i = await intermediate();
    const report = await lint(r.pem + i.pem, { now: NOW, verifier });
    expect(report.inputs).toEqual([]);
    expect(report.certificates.map((c) => c.findings)).toEqual([[], []]);
    expect(report.certificates.map((c) => [c.selfIssued, c.selfSignature, c.isRootAuthority])).toEqual([
      [true, 'valid', true],
      [false, 'not-verified', false],
    ]);
  });

  it.each(TLS_CLIENT_AUTH_PARAMETERS)('a device certificate carrying every identity, with %s', async (parameter) => {
    const cert = await device({
      subjectAltName: [{ dns: 'device.example.test' }, { uri: 'IntuneDeviceId://1234' }, { ip: '192.0.2.7' }, { email: 'device@example.test' }],
    });
    expect(await checkAsDevice(cert, { parameter })).toEqual([]);
  });

  it('a device certificate with an identity has no CA findings in the device role', async () => {
    const cert = await device({ subjectKeyIdentifier: 'omit', authorityKeyIdentifier: 'omit' });
    expect(await checkAsDevice(cert)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Validity (RFC 5280 §4.1.2.5: the validity period includes both notBefore and notAfter)
// ---------------------------------------------------------------------------------------------

describe('validity boundaries', () => {
  const at = async (now: Date, expiryWarningDays?: number): Promise<string[]> =>
    codes(await check(root(), { now, ...(expiryWarningDays === undefined ? {} : { expiryWarningDays }) }));

  it('now == notBefore is valid, 1 ms before is not', async () => {
    expect(await at(NOT_BEFORE)).toEqual([]);
    expect(await at(new Date(NOT_BEFORE.getTime() - 1))).toEqual(['CERT_NOT_YET_VALID']);
  });

  it('now == notAfter is valid (but expiring), 1 ms after is expired', async () => {
    expect(await at(NOT_AFTER)).toEqual(['CERT_EXPIRING_SOON']);
    expect(await at(NOT_AFTER, 0)).toEqual([]);
    expect(await at(new Date(NOT_AFTER.getTime() + 1))).toEqual(['CERT_EXPIRED']);
    expect(await at(new Date(NOT_AFTER.getTime() + 1), 0)).toEqual(['CERT_EXPIRED']);
  });

  it('the expiry window defaults to 30 days and starts strictly inside it', async () => {
    expect(await at(new Date(NOT_AFTER.getTime() - 30 * DAY))).toEqual([]);
    expect(await at(new Date(NOT_AFTER.getTime() - 30 * DAY + 1))).toEqual(['CERT_EXPIRING_SOON']);
  });

  it('expiryWarningDays moves the window', async () => {
    const now = new Date(NOT_AFTER.getTime() - 45 * DAY);
    expect(await at(now)).toEqual([]);
    expect(await at(now, 46)).toEqual(['CERT_EXPIRING_SOON']);
    expect(await at(now, 45)).toEqual([]);
    expect(await at(now, 7)).toEqual([]);
    expect(await at(new Date(NOT_AFTER.getTime() - 6 * DAY), 7)).toEqual(['CERT_EXPIRING_SOON']);
  });

  it('a whole-second notAfter compares to the millisecond', async () => {
    const cert = await root({ notAfter: new Date(Date.UTC(2030, 5, 15, 12, 0, 0)) });
    const notAfter = parseCertificate(cert.der).notAfter.getTime();
    expect(codes(await check(cert, { now: new Date(notAfter), expiryWarningDays: 0 }))).toEqual([]);
    expect(codes(await check(cert, { now: new Date(notAfter + 1), expiryWarningDays: 0 }))).toEqual(['CERT_EXPIRED']);
  });

  it('an inverted validity reports only CERT_VALIDITY_INVERTED, whatever now is', async () => {
    const cert = await root({ notBefore: NOT_AFTER, notAfter: NOT_BEFORE });
    for (const now of [new Date(Date.UTC(2000, 0, 1)), NOW, new Date(Date.UTC(2050, 0, 1))]) {
      expect(codes(await check(cert, { now }))).toEqual(['CERT_VALIDITY_INVERTED']);
    }
  });

  it('refuses a missing or invalid now', async () => {
    const cert = parseCertificate((await root()).der);
    for (const now of [new Date(NaN), undefined, '2025-01-01', Date.now()]) {
      let thrown: unknown;
      try {
        checkCertificate(cert, { now: now as unknown as Date });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(GraphMtlsError);
      expect((thrown as GraphMtlsError).code).toBe('ERR_INVALID_ARGUMENT');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Roles and tlsClientAuthParameter
// ---------------------------------------------------------------------------------------------

type SanParameter = Exclude<TlsClientAuthParameter, 'tls_client_auth_subject_dn'>;
type SanList = Extract<CertificateOptions['subjectAltName'], readonly unknown[]>;

/** One SAN entry of the type each SAN parameter selects. */
const SAN_OF: Record<SanParameter, SanList> = {
  tls_client_auth_san_dns: [{ dns: 'device.example.test' }],
  tls_client_auth_san_uri: [{ uri: 'IntuneDeviceId://0000' }],
  tls_client_auth_san_ip: [{ ip: '2001:db8::7' }],
  tls_client_auth_san_email: [{ email: 'device@example.test' }],
};

describe('device role and tlsClientAuthParameter', () => {
  it.each(TLS_CLIENT_AUTH_PARAMETERS)('%s: DEVICE_IDENTITY_MISSING only when its field is empty', async (parameter) => {
    // A certificate with an empty subject and a SAN of every other type.
    const others = (Object.keys(SAN_OF) as SanParameter[]).filter((p) => p !== parameter).flatMap((p) => [...SAN_OF[p]]);
    const without = await device({ subject: [], subjectAltName: others });
    const missing = (await checkAsDevice(without, { parameter })).filter((f) => f.code === 'DEVICE_IDENTITY_MISSING');
    expect(missing).toHaveLength(1);
    expect(missing[0]!.severity).toBe('error');
    expect(missing[0]!).not.toHaveProperty('graphError');
    expect(missing[0]!.ref).toBe(parameter === 'tls_client_auth_subject_dn' ? 'subject' : 'extensions.subjectAltName');

    const own = parameter === 'tls_client_auth_subject_dn' ? { subject: 'CN=device-7' } : { subject: [], subjectAltName: SAN_OF[parameter] };
    expect(codes(await checkAsDevice(device(own), { parameter }))).toEqual([]);
  });

  it.each(TLS_CLIENT_AUTH_PARAMETERS.filter((p) => p !== 'tls_client_auth_subject_dn'))('%s: a certificate without any SAN is missing the identity', async (parameter) => {
    expect(codes(await checkAsDevice(device({ subjectAltName: null }), { parameter }))).toEqual(['DEVICE_IDENTITY_MISSING']);
  });

  it('without a parameter the identity is not checked', async () => {
    expect(codes(await checkAsDevice(device({ subject: [], subjectAltName: null })))).toEqual([]);
  });

  it('an empty-subject device with a critical SAN is identified by its SAN', async () => {
    const cert = await device({ subject: [], subjectAltName: { names: [{ dns: 'd.example.test' }], critical: true } });
    expect(codes(await checkAsDevice(cert, { parameter: 'tls_client_auth_san_dns' }))).toEqual([]);
    expect(codes(await checkAsDevice(cert, { parameter: 'tls_client_auth_subject_dn' }))).toEqual(['DEVICE_IDENTITY_MISSING']);
  });

  it('a parameter that is not a tlsClientAuthParameter is a usage error, not a certificate finding', async () => {
    const cert = parseCertificate((await device()).der);
    for (const parameter of ['tls_client_auth_bogus', 'unknownFutureValue']) {
      let thrown: unknown;
      let findings: readonly Finding[] | undefined;
      try {
        findings = checkCertificate(cert, { now: NOW, role: 'device', parameter: parameter as TlsClientAuthParameter });
      } catch (error) {
        thrown = error;
      }
      expect(findings?.map((f) => f.code), parameter).toBeUndefined();
      expect((thrown as GraphMtlsError | undefined)?.code).toBe('ERR_INVALID_PARAMETER');
    }
  });

  it('other misuse of the options is a usage error too', async () => {
    const cert = parseCertificate((await root()).der);
    const bad: Partial<CheckOptions>[] = [{ role: 'root' as never }, { profile: 'zlint' as never }, { expiryWarningDays: -1 }, { expiryWarningDays: Number.NaN }, { now: new Date(Number.NaN) }];
    for (const options of bad) {
      expect(() => checkCertificate(cert, { now: NOW, ...options }), JSON.stringify(options)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    }
  });

  it('device rules stay out of the CA role and CA rules out of the device role', async () => {
    const deviceCodes = RULES.filter((r) => r.appliesTo === 'device').map((r) => r.code);
    const caCodes = RULES.filter((r) => r.appliesTo === 'ca' || r.appliesTo === 'root' || r.appliesTo === 'intermediate').map((r) => r.code);
    // A CA that would break every device rule, checked as a CA.
    const ca = await root({ subject: [], basicConstraints: { ca: true }, keyUsage: ['keyCertSign', 'cRLSign'], extendedKeyUsage: ['serverAuth'] });
    const asCa = codes(await check(ca, { parameter: 'tls_client_auth_san_dns' }));
    expect(asCa.filter((c) => deviceCodes.includes(c))).toEqual([]);
    // A device that would break every CA rule, checked as a device.
    const dev = await device({ subject: [], subjectKeyIdentifier: 'omit', authorityKeyIdentifier: 'omit', crlDistributionPoints: ['ldap://x', 'ldap://y'] });
    const asDevice = codes(await checkAsDevice(dev, { parameter: 'tls_client_auth_san_uri' }));
    expect(asDevice.filter((c) => caCodes.includes(c))).toEqual([]);
    expect(asDevice).toEqual([]);
  });

  it('a CA certificate checked as a device gets DEVICE_IS_CA and the KU finding', async () => {
    expect(codes(await checkAsDevice(root()))).toEqual(['DEVICE_IS_CA', 'DEVICE_KEY_USAGE_NO_DIGITAL_SIGNATURE']);
  });
});

describe('finding shape', () => {
  it('findings are sorted by severity then code and carry a ref', async () => {
    const findings = await check(
      root({
        key: 'rsa1024',
        signatureHash: 'SHA-1',
        basicConstraints: { ca: true, critical: false, pathLen: 2 },
        keyUsage: ['keyCertSign'],
        crlDistributionPoints: ['ldap://a', 'http://b'],
        serialNumber: 0,
      }),
    );
    expect(findings.map((f) => f.code)).toEqual([
      'CA_BASIC_CONSTRAINTS_NOT_CRITICAL',
      'CA_ROOT_PATH_LEN_PRESENT',
      'CERT_SERIAL_NOT_POSITIVE',
      'CRL_DP_NOT_HTTP',
      'KEY_RSA_TOO_SMALL',
      'SIGNATURE_WEAK_HASH',
      'CA_KEY_USAGE_NO_CRL_SIGN',
      'CRL_DP_MULTIPLE',
    ]);
    for (const f of findings) expect(typeof f.ref).toBe('string');
  });

  it('checkCertificate never reads the clock: the same input gives the same findings', async () => {
    const cert = parseCertificate((await root()).der);
    expect(checkCertificate(cert, { now: NOW })).toEqual(checkCertificate(cert, { now: new Date(NOW.getTime()) }));
  });
});

describe('robustness', () => {
  it('checkCertificate and lint never throw for any certificate that parses (byte mutations)', async () => {
    const r = await issuer();
    const dev = await device({
      subjectAltName: [{ dns: 'a.example.test' }, { ip: '192.0.2.1' }, { email: 'a@example.test' }, { uri: 'urn:x' }, { upn: 'u@example.test' }, { directoryName: 'CN=x' }],
      crlDistributionPoints: [CRL_URL],
    });
    let seed = 7;
    const rnd = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    let parsed = 0;
    for (let n = 0; n < 3000; n++) {
      const source = n % 2 === 0 ? dev.der : r.der;
      const der = Uint8Array.from(source);
      for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) der[Math.floor(rnd() * der.length)] = Math.floor(rnd() * 256);
      let cert: ReturnType<typeof parseCertificate>;
      try {
        cert = parseCertificate(der);
      } catch (error) {
        expect(error).toBeInstanceOf(GraphMtlsError);
        continue;
      }
      parsed++;
      for (const role of ['ca', 'device'] as const) {
        for (const parameter of [undefined, ...TLS_CLIENT_AUTH_PARAMETERS]) {
          const findings = checkCertificate(cert, { now: NOW, role, ...(parameter === undefined ? {} : { parameter }) });
          for (const f of findings) expect(RULES.some((rule) => rule.code === f.code)).toBe(true);
        }
      }
      if (n % 40 === 0) await lint(der, { now: NOW, verifier });
    }
    expect(parsed).toBeGreaterThan(100);
  });
});

// ---------------------------------------------------------------------------------------------
// Issue 12: what checkCertificate decides, pinned case by case
// ---------------------------------------------------------------------------------------------

describe('signature hashes: MD2, MD5 and SHA-1 are weak, nothing else is', () => {
  const SIGNATURES: readonly (readonly [name: string, algorithm: Uint8Array, weak: string | undefined])[] = [
    ['md2WithRSAEncryption', d.algId('1.2.840.113549.1.1.2', null), 'MD2'],
    ['md5WithRSAEncryption', d.algId(OID_MD5_RSA, null), 'MD5'],
    ['sha1WithRSAEncryption', d.algId(d.OIDS.sha1WithRSAEncryption, null), 'SHA-1'],
    ['ecdsaWithSHA1', d.algId(d.OIDS.ecdsaWithSha1), 'SHA-1'],
    ['dsaWithSHA1', d.algId('1.2.840.10040.4.3'), 'SHA-1'],
    ['rsassaPss', d.algId(d.OIDS.rsassaPss, d.pssParams('SHA-1')), 'SHA-1'],
    ['sha224WithRSAEncryption', d.algId('1.2.840.113549.1.1.14', null), undefined],
    ['ecdsaWithSHA224', d.algId('1.2.840.10045.4.3.1'), undefined],
    ['sha256WithRSAEncryption', d.algId(d.OIDS.sha256WithRSAEncryption, null), undefined],
    ['sha384WithRSAEncryption', d.algId(d.OIDS.sha384WithRSAEncryption, null), undefined],
    ['sha512WithRSAEncryption', d.algId(d.OIDS.sha512WithRSAEncryption, null), undefined],
    ['ecdsaWithSHA256', d.algId(d.OIDS.ecdsaWithSha256), undefined],
    ['dsaWithSHA256', d.algId('2.16.840.1.101.3.4.3.2'), undefined],
    ['rsassaPss', d.algId(d.OIDS.rsassaPss, d.pssParams('SHA-256')), undefined],
    ['Ed25519', d.algId(d.OIDS.ed25519), undefined],
    // Unknown, or RSASSA-PSS parameters that do not decode: no hash is known, so none is called weak.
    ['1.3.6.1.4.1.99999.7', d.algId('1.3.6.1.4.1.99999.7'), undefined],
    ['rsassaPss', d.algId(d.OIDS.rsassaPss, d.seq(d.explicit(0, d.algId('1.3.6.1.4.1.99999.8', null)))), undefined],
  ];

  it.each(SIGNATURES.map(([name, alg, weak]) => [`${name}${weak ? ` (${weak})` : ''}`, name, alg, weak] as const))(
    '%s',
    async (_label, name, alg, weak) => {
      // The same AlgorithmIdentifier inside and outside, so nothing but the hash can be reported;
      // the signature itself is never verified by checkCertificate.
      const der = await handBuilt({ signatureAlgorithm: alg, sign: { outerAlgorithm: alg, signature: new Uint8Array(64).fill(9) } }, 'rsa2048');
      const findings = await check(der);
      if (weak === undefined) {
        expect(findings).toEqual([]);
        return;
      }
      const rule = getRule('SIGNATURE_WEAK_HASH');
      expect(findings).toEqual([
        {
          code: 'SIGNATURE_WEAK_HASH',
          severity: rule.severity,
          message: expect.any(String),
          citation: rule.citation,
          evidence: rule.evidence,
          ref: 'signatureAlgorithm',
        },
      ]);
      // The message names the algorithm and its hash.
      expect(findings[0]!.message).toContain(`${name} (${weak})`);
      // The same hash in the device role is weak too (the CA extensions give the other device findings).
      expect(codes(await checkAsDevice(der))).toEqual(['DEVICE_IS_CA', 'DEVICE_KEY_USAGE_NO_DIGITAL_SIGNATURE', 'SIGNATURE_WEAK_HASH']);
    },
  );

  it('SIGNATURE_WEAK_HASH is a warning, not a Graph 400', () => {
    const rule = getRule('SIGNATURE_WEAK_HASH');
    expect(rule.severity).toBe('warning');
    expect(rule.graphError).toBeUndefined();
  });
});

/** A property of the certificate as the certificate itself sees it (its getters and methods use private fields). */
function passThrough(target: object, property: string | symbol): unknown {
  const value = Reflect.get(target, property, target) as unknown;
  return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
}

describe('checkCertificate: options', () => {
  it('role and profile accept their documented values and default to ca and graph', async () => {
    const cert = parseCertificate((await root({ extendedKeyUsage: ['serverAuth'] })).der);
    const asCa = checkCertificate(cert, { now: NOW });
    expect(asCa.map((f) => f.code)).toEqual(['CA_EKU_EXCLUDES_CLIENT_AUTH']);
    expect(checkCertificate(cert, { now: NOW, role: 'ca', profile: 'graph' })).toEqual(asCa);
    expect(checkCertificate(cert, { now: NOW, role: 'device' }).map((f) => f.code)).toEqual(['DEVICE_EKU_NO_CLIENT_AUTH', 'DEVICE_IS_CA', 'DEVICE_KEY_USAGE_NO_DIGITAL_SIGNATURE']);
  });

  it('expiryWarningDays: 0 and large finite numbers are accepted, Infinity and negatives are not', async () => {
    const cert = parseCertificate((await root()).der);
    expect(checkCertificate(cert, { now: NOW, expiryWarningDays: 0 })).toEqual([]);
    expect(checkCertificate(cert, { now: NOW, expiryWarningDays: 10_000 }).map((f) => f.code)).toEqual(['CERT_EXPIRING_SOON']);
    for (const days of [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0.5]) {
      expect(codeOf(() => checkCertificate(cert, { now: NOW, expiryWarningDays: days })), String(days)).toBe('ERR_INVALID_ARGUMENT');
    }
  });

  it('a bad parameter is refused in the CA role too', async () => {
    const cert = parseCertificate((await root()).der);
    expect(codeOf(() => checkCertificate(cert, { now: NOW, parameter: 'bogus' as TlsClientAuthParameter }))).toBe('ERR_INVALID_PARAMETER');
    expect(checkCertificate(cert, { now: NOW, parameter: 'tls_client_auth_san_dns' })).toEqual([]);
  });

  it('the messages of refused options quote at most 40 characters of the value', async () => {
    const cert = parseCertificate((await root()).der);
    const long = 'r'.repeat(100);
    for (const options of [{ role: long }, { profile: long }] as Partial<CheckOptions>[]) {
      const error = errorOf(() => checkCertificate(cert, { now: NOW, ...options }));
      expect(error.code).toBe('ERR_INVALID_ARGUMENT');
      expect(error.message).toContain(`'${'r'.repeat(40)}'`);
      expect(error.message).not.toContain('r'.repeat(41));
    }
  });

  it('an error that is not a GraphMtlsError while reading a field is not turned into a finding', async () => {
    const cert = parseCertificate((await root()).der);
    for (const field of ['keyUsage', 'basicConstraints', 'subjectKeyIdentifier', 'publicKey'] as const) {
      const broken = new Proxy(cert, {
        get(target, property) {
          if (property === field) throw new TypeError(`bug in ${field}`);
          return passThrough(target, property);
        },
      });
      expect(() => checkCertificate(broken, { now: NOW }), field).toThrow(`bug in ${field}`);
    }
  });

  it('... nor when it comes from a later read of the field, in either role', async () => {
    const cert = parseCertificate((await device()).der);
    for (const field of ['keyUsage', 'basicConstraints', 'subjectKeyIdentifier', 'authorityKeyIdentifier', 'extendedKeyUsage', 'crlDistributionPoints', 'subjectAltName'] as const) {
      for (const role of ['ca', 'device'] as const) {
        let reads = 0;
        const flaky = new Proxy(cert, {
          get(target, property) {
            if (property === field && ++reads > 1) throw new TypeError(`bug in ${field}`);
            return passThrough(target, property);
          },
        });
        const read = (): Finding[] => checkCertificate(flaky, { now: NOW, role, parameter: 'tls_client_auth_san_uri' });
        // A field no check of the role reads again cannot fail a second time.
        const readAgain = role === 'ca' ? field !== 'subjectAltName' : ['keyUsage', 'basicConstraints', 'extendedKeyUsage', 'subjectAltName'].includes(field);
        if (readAgain) expect(read, `${role} ${field}`).toThrow(`bug in ${field}`);
        else expect(read, `${role} ${field}`).not.toThrow();
      }
    }
  });
});

describe('checkCertificate: validity messages and boundaries', () => {
  it('CERT_EXPIRING_SOON counts whole days left, singular for one', async () => {
    const cert = parseCertificate((await root()).der);
    const message = (msLeft: number): string => checkCertificate(cert, { now: new Date(NOT_AFTER.getTime() - msLeft) }).find((f) => f.code === 'CERT_EXPIRING_SOON')!.message;
    expect(message(1.5 * DAY)).toContain(' 1 day away');
    expect(message(2 * DAY)).toContain(' 2 days away');
    expect(message(29.9 * DAY)).toContain(' 29 days away');
    expect(message(0)).toContain(' 0 days away');
    expect(message(DAY)).toContain('(warning window: 30 days)');
  });

  it('CERT_EXPIRED and CERT_NOT_YET_VALID name the time they were judged at, each time', async () => {
    const cert = parseCertificate((await root()).der);
    for (const now of [new Date(Date.UTC(2040, 0, 2)), new Date(Date.UTC(2041, 6, 3, 4, 5, 6, 7)), new Date(Date.UTC(2040, 0, 2))]) {
      const [f] = checkCertificate(cert, { now });
      expect(f!.code).toBe('CERT_EXPIRED');
      expect(f!.message).toContain(now.toISOString());
    }
    const early = new Date(Date.UTC(2020, 1, 3));
    const [f] = checkCertificate(cert, { now: early });
    expect(f!.code).toBe('CERT_NOT_YET_VALID');
    expect(f!.message).toContain(early.toISOString());
  });

  it('CERT_TIME_ENCODING: GeneralizedTime is wrong from 1950-01-01T00:00:00Z through 2049-12-31T23:59:59Z only', async () => {
    const at = async (notBefore: Date): Promise<readonly Finding[]> =>
      (await check(root({ notBefore: d.genTime(notBefore) }), { now: new Date(Date.UTC(2030, 0, 1)) })).filter((f) => f.code === 'CERT_TIME_ENCODING');
    expect(await at(new Date(Date.UTC(1949, 11, 31, 23, 59, 59)))).toEqual([]);
    expect((await at(new Date(Date.UTC(1950, 0, 1)))).map((f) => f.ref)).toEqual(['validity.notBefore']);
    const late = await check(root({ notAfter: d.genTime(new Date(Date.UTC(2050, 0, 1))) }), { now: new Date(Date.UTC(2030, 0, 1)) });
    expect(codes(late)).toEqual([]);
  });
});

describe('checkCertificate: structure messages', () => {
  it('CERT_SERIAL_NOT_POSITIVE says whether the serial is negative or zero', async () => {
    const [neg] = await check(root({ serialNumber: -5 }));
    expect(neg!.message).toContain('negative');
    // -128 is the single octet 0x80: the sign bit alone makes it negative.
    const [minus128] = await check(root({ serialNumber: -128 }));
    expect([minus128!.code, minus128!.message]).toEqual(['CERT_SERIAL_NOT_POSITIVE', expect.stringContaining('0x80 is negative')]);
    const [zero] = await check(root({ serialNumber: 0 }));
    expect(zero!.message).toContain('zero');
    expect(zero!.message).toContain('0x00');
  });

  it('CERT_EXTENSION_DUPLICATE names a known extension by name and an unknown one by OID', async () => {
    const [known] = await check(extraExtension({ oid: d.OIDS.basicConstraints, critical: true, value: d.basicConstraintsValue(true) }));
    expect(known!.message).toContain('basicConstraints (2.5.29.19)');
    const [unknown] = await check(root({ extensions: [{ oid: PRIVATE_OID, value: d.utf8('a') }, { oid: PRIVATE_OID, value: d.utf8('b') }] }));
    expect(unknown!.message).toContain(`${PRIVATE_OID} (${PRIVATE_OID})`);
  });

  it('CERT_EXTENSION_DEFAULT_ENCODED names the extension by name when known', async () => {
    const [f] = await check(extraExtension({ oid: d.OIDS.certificatePolicies, value: d.seq(d.seq(d.oid('2.5.29.32.0'))), encodeCriticalFalse: true }));
    expect(f!.message).toContain('certificatePolicies');
    const [g] = await check(extraExtension({ oid: PRIVATE_OID, value: d.utf8('x'), encodeCriticalFalse: true }));
    expect(g!.ref).toBe(`extensions.${PRIVATE_OID}.critical`);
    expect(g!.message).toContain(PRIVATE_OID);
  });

  it('CERT_FIELD_MALFORMED carries the decoding error', async () => {
    const [f] = await check(root({ keyUsage: null, extensions: [{ oid: d.OIDS.keyUsage, critical: true, value: d.octet(Uint8Array.of(1)) }] }));
    expect(f!.code).toBe('CERT_FIELD_MALFORMED');
    expect(f!.message.startsWith('extensions.keyUsage does not decode: ')).toBe(true);
    expect(f!.message.length).toBeGreaterThan('extensions.keyUsage does not decode: '.length);
  });

  it('key findings name the key', async () => {
    const [small] = await check(root({ key: 'rsa1024' }));
    expect(small!.message).toContain('1024 bits');
    const [k1] = await check(root({ key: 'secp256k1' }));
    expect(k1!.message).toContain('curve secp256k1');
    const [explicitCurve] = await check(handBuilt({ spki: spki(d.algId(d.OIDS.ecPublicKey, d.seq(d.int(1))), d.concat(Uint8Array.of(4), new Uint8Array(64).fill(7))) }));
    expect(explicitCurve!.message).toContain('explicit curve parameters');
    const [dsa] = await check(handBuilt({ spki: spki(d.algId(OID_DSA, d.seq(d.int(bigPositive(256, 3)), d.int(bigPositive(32, 4)), d.int(2))), d.int(bigPositive(256, 5))) }));
    expect(dsa!.message).toContain('is DSA;');
    const [unknown] = await check(handBuilt({ spki: spki(d.algId('1.3.6.1.4.1.99999.9'), Uint8Array.of(1, 2, 3)) }));
    expect(unknown!.message).toContain('is 1.3.6.1.4.1.99999.9;');
  });
});

describe('checkCertificate: CA extension details', () => {
  it('a keyUsage without bits lacks both signing bits, and the messages say so', async () => {
    const findings = await check(root({ keyUsage: [] }));
    expect(findings.map((f) => [f.code, f.ref])).toEqual([
      ['CA_KEY_USAGE_NO_CERT_SIGN', 'extensions.keyUsage'],
      ['CA_KEY_USAGE_NO_CRL_SIGN', 'extensions.keyUsage'],
    ]);
    for (const f of findings) expect(f.message).toContain('(no bits)');
    const [one] = await check(root({ keyUsage: ['keyCertSign', 'digitalSignature'] }));
    expect(one!.message).toContain('(digitalSignature, keyCertSign)');
  });

  it('a device keyUsage without bits lacks digitalSignature', async () => {
    const findings = await checkAsDevice(device({ keyUsage: [] }));
    expect(findings.map((f) => [f.code, f.ref])).toEqual([['DEVICE_KEY_USAGE_NO_DIGITAL_SIGNATURE', 'extensions.keyUsage']]);
    expect(findings[0]!.message).toContain('(no bits)');
  });

  it('CRL_DP_NOT_HTTP: the URL must begin with http://', async () => {
    const notHttp = async (url: string): Promise<boolean> => codes(await check(root({ crlDistributionPoints: [url] }))).includes('CRL_DP_NOT_HTTP');
    expect(await notHttp('http://crl.example.test/ca.crl')).toBe(false);
    expect(await notHttp('Http://crl.example.test/ca.crl')).toBe(false);
    expect(await notHttp('ldap://x.example.test/http://crl.example.test/ca.crl')).toBe(true);
    expect(await notHttp('http:/crl.example.test/ca.crl')).toBe(true);
    expect(await notHttp('http:crl.example.test')).toBe(true);
    expect(await notHttp('xhttp://crl.example.test/ca.crl')).toBe(true);
  });

  it('CRL_DP_NOT_HTTP quotes at most 200 characters of the URL; CRL_DP_MULTIPLE counts them', async () => {
    const long = `ldap://${'a'.repeat(300)}`;
    const findings = await check(root({ crlDistributionPoints: [long, CRL_URL, 'ftp://x'] }));
    expect(findings.map((f) => f.code)).toEqual(['CRL_DP_NOT_HTTP', 'CRL_DP_NOT_HTTP', 'CRL_DP_MULTIPLE']);
    expect(findings[0]!.message).toContain(`'${long.slice(0, 200)}'`);
    expect(findings[0]!.message).not.toContain(long.slice(0, 201));
    expect(findings[2]!.message).toContain('3 CRL URLs');
  });

  it('CA_EKU_EXCLUDES_CLIENT_AUTH and DEVICE_EKU_NO_CLIENT_AUTH list the purposes by name, else by OID', async () => {
    const [ca] = await check(root({ extendedKeyUsage: ['serverAuth', 'codeSigning'] }));
    expect(ca!.message).toBe('extendedKeyUsage (serverAuth, codeSigning) has neither clientAuth nor anyExtendedKeyUsage');
    const [dev] = await checkAsDevice(device({ extendedKeyUsage: ['serverAuth', '1.3.6.1.4.1.99999.7'] }));
    expect(dev!.message).toBe('extendedKeyUsage (serverAuth, 1.3.6.1.4.1.99999.7) lacks clientAuth');
  });

  it('CA_ROOT_PATH_LEN_PRESENT and CA_PATH_LEN_NEGATIVE quote the pathLenConstraint', async () => {
    const [present] = await check(root({ basicConstraints: { ca: true, pathLen: 3 } }));
    expect(present!.message).toContain('pathLenConstraint 3');
    const [negative] = await check(intermediate({ basicConstraints: { ca: true, pathLen: -2 } }));
    expect(negative!.message).toContain('is -2');
  });

  it('a root with cA FALSE and a pathLenConstraint gets NOT_CA only', async () => {
    expect(codes(await check(root({ basicConstraints: { ca: false, pathLen: 1 } })))).toEqual(['CA_BASIC_CONSTRAINTS_NOT_CA']);
  });

  it('an intermediate with an AKI that has a keyIdentifier among other fields has no CA_AKI_MISSING', async () => {
    const r = await issuer();
    const cert = await intermediate({ authorityKeyIdentifier: { keyIdentifier: r.subjectKeyId!, issuer: [{ directoryName: r.issuerDer }], serialNumber: r.serialNumber } });
    expect(await check(cert)).toEqual([]);
  });

  it('DEVICE_IDENTITY_MISSING names the field each parameter selects', async () => {
    const fields: Record<TlsClientAuthParameter, string> = {
      tls_client_auth_subject_dn: 'no subject DN,',
      tls_client_auth_san_dns: 'no SAN dNSName,',
      tls_client_auth_san_uri: 'no SAN URI,',
      tls_client_auth_san_ip: 'no SAN iPAddress,',
      tls_client_auth_san_email: 'no SAN rfc822Name,',
    };
    const cert = await device({ subject: [], subjectAltName: null });
    for (const parameter of TLS_CLIENT_AUTH_PARAMETERS) {
      const [f] = await checkAsDevice(cert, { parameter });
      expect(f!.code).toBe('DEVICE_IDENTITY_MISSING');
      expect(f!.message).toContain(fields[parameter]);
      expect(f!.message).toContain(parameter);
    }
  });
});

describe('messages that say the real difference', () => {
  it('algorithms that differ only in NULL against absent parameters say so', async () => {
    const der = await handBuilt({ signatureAlgorithm: d.algId(d.OIDS.sha256WithRSAEncryption, null), sign: { outerAlgorithm: d.algId(d.OIDS.sha256WithRSAEncryption) } }, 'rsa2048');
    const f = (await check(der)).find((x) => x.code === 'CERT_SIGNATURE_ALGORITHM_MISMATCH')!;
    expect(f.message).toBe('signatureAlgorithm sha256WithRSAEncryption (parameters absent) differs from tbsCertificate.signature sha256WithRSAEncryption (parameters NULL)');
  });

  it('parameters other than NULL are shown in hex', async () => {
    const der = await handBuilt({ signatureAlgorithm: d.algId(d.OIDS.sha256WithRSAEncryption, null), sign: { outerAlgorithm: d.algId(d.OIDS.sha256WithRSAEncryption, Uint8Array.of(0x04, 0x00)) } }, 'rsa2048');
    expect((await check(der)).find((x) => x.code === 'CERT_SIGNATURE_ALGORITHM_MISMATCH')!.message).toBe('signatureAlgorithm sha256WithRSAEncryption (parameters 0x0400) differs from tbsCertificate.signature sha256WithRSAEncryption (parameters NULL)');
  });

  it('algorithms with different OIDs are named alone', async () => {
    const der = await handBuilt({ signatureAlgorithm: d.algId(d.OIDS.ecdsaWithSha256), sign: { outerAlgorithm: d.algId(d.OIDS.ecdsaWithSha384) } });
    expect((await check(der)).find((x) => x.code === 'CERT_SIGNATURE_ALGORITHM_MISMATCH')!.message).toBe('signatureAlgorithm ecdsaWithSHA384 differs from tbsCertificate.signature ecdsaWithSHA256');
  });

  it('a keyUsage longer than 9 bits names the bits past decipherOnly, and keeps the usages it names', async () => {
    // BIT STRING 06 | 06 40: keyCertSign (5), cRLSign (6), and bit 9.
    const findings = await check(root({ keyUsage: null, extensions: [{ oid: d.OIDS.keyUsage, critical: true, value: d.tlv(0x03, Uint8Array.of(6, 0x06, 0x40)) }] }));
    expect(findings.map((f) => [f.code, f.message])).toEqual([
      ['CERT_EXTENSION_MALFORMED', 'keyUsage sets bit 9; RFC 5280 §4.2.1.3 defines 9 bits, digitalSignature (0) to decipherOnly (8), and readers ignore the rest'],
    ]);
  });

  it('several bits past decipherOnly are all named', async () => {
    // BIT STRING 00 | 06 41: keyCertSign (5), cRLSign (6), bits 9 and 15.
    const findings = await check(root({ keyUsage: null, extensions: [{ oid: d.OIDS.keyUsage, critical: true, value: d.tlv(0x03, Uint8Array.of(0, 0x06, 0x41)) }] }));
    expect(findings.map((f) => f.message)).toEqual(['keyUsage sets bits 9, 15; RFC 5280 §4.2.1.3 defines 9 bits, digitalSignature (0) to decipherOnly (8), and readers ignore the rest']);
  });

  it('a device SAN that does not decode is DEVICE_IDENTITY_MISSING saying why, for SAN parameters only', async () => {
    const bad = device({ subjectAltName: null, extensions: [{ oid: d.OIDS.subjectAltName, value: d.utf8('x') }] });
    const f = (await checkAsDevice(bad, { parameter: 'tls_client_auth_san_uri' })).find((x) => x.code === 'DEVICE_IDENTITY_MISSING')!;
    expect(f.message).toMatch(/^no SAN URI can be read, which tls_client_auth_san_uri selects: .+; one malformed entry makes the whole subjectAltName unreadable$/);
    expect(codes(await checkAsDevice(bad, { parameter: 'tls_client_auth_subject_dn' }))).not.toContain('DEVICE_IDENTITY_MISSING');
  });
});

describe('root or intermediate (RFC 5280 §3.1, §6.1)', () => {
  const report = async (input: string | Uint8Array, options: Partial<LintOptions> = {}) => (await lint(input, { now: NOW, verifier, ...options })).certificates;

  it('a key-rollover certificate is an intermediate, and the notice names the root whose key signed it, in the same run', async () => {
    const { oldRoot, newRoot, newWithOld } = await rollover();
    const reports = await report(oldRoot.pem + newRoot.pem + newWithOld.pem);
    expect(reports.map((r) => [r.isRootAuthority, r.selfIssued, r.selfSignature])).toEqual([
      [true, true, 'valid'],
      [true, true, 'valid'],
      [false, true, 'invalid'],
    ]);
    const notice = reports[2]!.findings.find((f) => f.code === 'CA_SELF_ISSUED_NOT_SELF_SIGNED')!;
    expect(notice.severity).toBe('notice');
    expect(notice).not.toHaveProperty('graphError');
    expect(notice.message).toMatch(/a key-rollover certificate signed by another key of this CA, so an intermediate \(isRootAuthority false\); the key of line 1 verifies it$/);
    expect(reports.flatMap((r) => r.findings).filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('without the signing root in the run, the notice says no earlier certificate verifies it', async () => {
    const { newWithOld } = await rollover();
    const [r] = await report(newWithOld.der, { source: 'rollover.cer' });
    expect(r!.findings.find((f) => f.code === 'CA_SELF_ISSUED_NOT_SELF_SIGNED')!.message).toMatch(/no self-issued CA read before it in this run has a key that verifies it$/);
  });

  it('without a verifier the key identifiers decide, and nothing claims a signature was checked', async () => {
    const { newWithOld } = await rollover();
    const [r] = await report(newWithOld.der, { verifier: undefined });
    // No AKI: presumed self-signed, as before; the report says the signature was not verified.
    expect([r!.isRootAuthority, r!.selfSignature]).toEqual([true, 'not-verified']);
    expect(codes(r!.findings)).toEqual([]);
  });

  it('a self-signed root whose AKI differs from its SKI is a root, with its own warning', async () => {
    const odd = await root({ authorityKeyIdentifier: Uint8Array.of(9, 9, 9) });
    const [r] = await report(odd.der);
    expect([r!.isRootAuthority, r!.selfSignature]).toEqual([true, 'valid']);
    expect(r!.findings.map((f) => [f.code, f.severity])).toEqual([['CA_ROOT_AKI_MISMATCH', 'warning']]);
    expect(r!.findings[0]!.message).toMatch(/^the root's authorityKeyIdentifier 090909 differs from its subjectKeyIdentifier [0-9A-F]{40}; /);
  });
});
