// Tests of the Graph payload builders (payload/build.ts): buildCreate reads every CA input form
// (Certificate, DER, PEM, bare base64, PKCS#7, PEM bundles) into `certificateAuthorities`
// entries of standard padded base64 (RFC 4648 §4) without read-only properties
// (spec/graph-api.md §1.3, §7); buildUpdate turns a GET-shaped configuration into the PATCH
// body that replaces the list whole (§2.4); previewCertificateAuthority shows the `issuer` and
// `issuerSki` Graph will compute. Assertions are on codes, values and JSON paths, not prose.

import { createHash, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifySelfSignatures } from '../../src/checks/authority.ts';
import { createWebCryptoVerifier } from '../../src/checks/verify-signature.ts';
import { GRAPH_CERTIFICATE_ERROR } from '../../src/checks/graph-errors.ts';
import type { Finding } from '../../src/checks/finding.ts';
import type { RuleCode } from '../../src/checks/rules.ts';
import { TLS_CLIENT_AUTH_PARAMETERS, type TlsClientAuthParameter } from '../../src/identity/identify.ts';
import { checkPayload } from '../../src/payload/check.ts';
import {
  buildCreate,
  buildUpdate,
  previewCertificateAuthority,
  verifyAuthorities,
  type BuildOptions,
  type CertificateAuthorityInput,
  type CreateResult,
} from '../../src/payload/build.ts';
import { parseCertificate } from '../../src/x509/certificate.ts';
import {
  ecPrivateKeyDer,
  getKey,
  makeIntermediateCa,
  makeDeviceCert,
  makePkcs7,
  makeRootCa,
  pemBundle,
  pkcs8Der,
  rsaPrivateKeyDer,
  toPem,
  type CertificateOptions,
  type GeneratedCertificate,
} from '@graph-mtls/test/fixtures/certificates.ts';
import { errorOf, inputErrorOf } from '@graph-mtls/test/helpers.ts';
import { NOW } from '@graph-mtls/test/clock.ts';

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

const NOT_BEFORE = new Date(Date.UTC(2024, 0, 1));
const NOT_AFTER = new Date(Date.UTC(2034, 0, 1));
const OPTIONS: BuildOptions = { now: NOW };
const PARAM = 'tls_client_auth_san_uri';
const READ_ONLY = ['issuer', 'issuerSki', 'id', 'deletedDateTime', '@odata.type', '@odata.context'];

const validity: CertificateOptions = { notBefore: NOT_BEFORE, notAfter: NOT_AFTER };

const rootRsa = await makeRootCa({ ...validity, subject: [['C', 'US'], ['O', 'graph-mtls tests'], ['CN', 'Payload Root RSA']] });
const interRsa = await makeIntermediateCa(rootRsa, {
  ...validity,
  key: await getKey('rsa2048', 1),
  subject: [['C', 'US'], ['O', 'graph-mtls tests'], ['CN', 'Payload Intermediate RSA']],
  crlDistributionPoints: ['http://crl.example.test/inter-rsa.crl', 'http://crl2.example.test/inter-rsa.crl'],
});
const rootEc = await makeRootCa({ ...validity, key: 'p256', subject: [['C', 'US'], ['O', 'graph-mtls tests'], ['CN', 'Payload Root EC']] });
const interEc = await makeIntermediateCa(rootEc, {
  ...validity,
  key: 'p384',
  subject: [['C', 'US'], ['O', 'graph-mtls tests'], ['CN', 'Payload Intermediate EC']],
  crlDistributionPoints: ['http://crl.example.test/inter-ec.crl'],
});
const interRsa2 = await makeIntermediateCa(rootRsa, {
  ...validity,
  key: await getKey('rsa2048', 2),
  subject: [['C', 'US'], ['O', 'graph-mtls tests'], ['CN', 'Payload Intermediate RSA 2']],
});
/** The docs' sample CA (trustedcertificateauthoritybase.md): L and S(T) attributes, CN first in .NET form. */
const docsRoot = await makeRootCa({
  ...validity,
  key: await getKey('p256', 1),
  subject: [['C', 'US'], ['ST', 'WA'], ['L', 'Redmond'], ['O', 'Microsoft Corporation'], ['OU', 'IoT Org'], ['CN', 'certauthority.com']],
});
/** A root without SKI (and without AKI, so it is still self-issued). */
const rootNoSki = await makeRootCa({ ...validity, key: await getKey('p256', 2), subjectKeyIdentifier: 'omit', authorityKeyIdentifier: 'omit' });
const expiredInter = await makeIntermediateCa(rootRsa, {
  key: await getKey('p256', 3),
  notBefore: new Date(Date.UTC(2020, 0, 1)),
  notAfter: new Date(Date.UTC(2021, 0, 1)),
});
const device = await makeDeviceCert(interEc, { ...validity, key: await getKey('p256', 4) });

const b64 = (der: Uint8Array): string => Buffer.from(der).toString('base64');
const sha256 = (g: GeneratedCertificate): string => parseCertificate(g.der).sha256;
const upperSki = (g: GeneratedCertificate): string => Buffer.from(g.subjectKeyId!).toString('hex').toUpperCase();

/** The error findings. */
function errorsOf(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.severity === 'error');
}

function codes(findings: readonly Finding[]): RuleCode[] {
  return findings.map((f) => f.code);
}

/** Every property name anywhere in a JSON value. */
function allKeys(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) allKeys(v, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      allKeys(v, out);
    }
  }
  return out;
}

const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The invariants every built body must meet (spec/graph-api.md §7). */
function expectWellFormedBody(body: object, ders: readonly Uint8Array[]): void {
  const keys = allKeys(body);
  for (const ro of READ_ONLY) expect(keys).not.toContain(ro);
  expect(keys).not.toContain('certificateAuthority');
  expect(keys).not.toContain('issuerSubjectkeyIdentifier');
  const list = (body as { certificateAuthorities?: { certificate: string }[] }).certificateAuthorities ?? [];
  expect(list.map((e) => e.certificate)).toEqual(ders.map(b64));
  for (const e of list) {
    expect(e.certificate).toMatch(STD_BASE64);
    expect(e.certificate.length % 4).toBe(0);
    expect(e.certificate).not.toMatch(/[\s-]/);
    expect(e.certificate).not.toContain('BEGIN');
  }
}

function create(authorities: readonly CertificateAuthorityInput[], options: BuildOptions = OPTIONS, displayName?: string): CreateResult {
  return buildCreate({ tlsClientAuthParameter: PARAM, certificateAuthorities: authorities, ...(displayName === undefined ? {} : { displayName }) }, options);
}

// ---------------------------------------------------------------------------------------------
// Round trip
// ---------------------------------------------------------------------------------------------

describe('round trip: what buildCreate/buildUpdate build passes checkPayload', () => {
  const cases: readonly (readonly [string, GeneratedCertificate, GeneratedCertificate])[] = [
    ['RSA', rootRsa, interRsa],
    ['EC', rootEc, interEc],
  ];
  for (const [label, root, inter] of cases) {
    for (const crlUrlFromCertificate of [false, true]) {
      it(`${label} root + intermediate, crlUrlFromCertificate ${crlUrlFromCertificate}`, () => {
        const result = create([{ certificate: root.pem }, { certificate: inter.der }], { now: NOW, crlUrlFromCertificate }, 'Round trip');
        expect(errorsOf(result.findings)).toEqual([]);
        expect(result.body.tlsClientAuthParameter).toBe(PARAM);
        expect(result.body.displayName).toBe('Round trip');
        expect(Object.keys(result.body).sort()).toEqual(['certificateAuthorities', 'displayName', 'tlsClientAuthParameter']);
        expectWellFormedBody(result.body, [root.der, inter.der]);
        expect(result.body.certificateAuthorities.map((e) => e.isRootAuthority)).toEqual([true, false]);
        // The body as an object, as JSON text and as UTF-8 bytes: no errors.
        const text = JSON.stringify(result.body);
        for (const form of [result.body, text, new TextEncoder().encode(text)]) {
          expect(errorsOf(checkPayload(form, 'create', { now: NOW }))).toEqual([]);
        }
      });
    }
  }

  it('a clean root + intermediate with explicit http CRL URLs gives no findings at all', () => {
    const result = create([
      { certificate: rootEc.pem, certificateRevocationListUrl: 'http://crl.example.test/root.crl', deltaCertificateRevocationListUrl: null },
      { certificate: interEc.pem, certificateRevocationListUrl: 'http://crl.example.test/inter-ec.crl', deltaCertificateRevocationListUrl: 'http://crl.example.test/inter-ec-delta.crl' },
    ]);
    expect(result.findings).toEqual([]);
    expect(checkPayload(JSON.stringify(result.body), 'create', { now: NOW })).toEqual([]);
  });

  it('the certificate is the standard padded base64 of the DER, whatever the input form', () => {
    for (const form of [rootEc.der, rootEc.pem, b64(rootEc.der), parseCertificate(rootEc.der), toPem(rootEc.der, 'CERTIFICATE', { eol: '\r\n' })]) {
      const { body } = create([{ certificate: form }]);
      expect(body.certificateAuthorities).toHaveLength(1);
      expect(body.certificateAuthorities[0]!.certificate).toBe(b64(rootEc.der));
      expect(body.certificateAuthorities[0]!.certificate).not.toMatch(/[\r\n]/);
    }
  });

  it('buildUpdate bodies pass checkPayload as updates', () => {
    const current = getShaped([rootRsa, interRsa]);
    const updates = [
      buildUpdate(current, { add: [{ certificate: interRsa2.pem }] }, OPTIONS),
      buildUpdate(current, { remove: [sha256(interRsa)] }, OPTIONS),
      buildUpdate(current, { certificateAuthorities: [{ certificate: rootEc.pem }, { certificate: interEc.pem }] }, OPTIONS),
      buildUpdate(current, { displayName: 'Renamed' }, OPTIONS),
    ];
    for (const u of updates) {
      expect(u.changed).toBe(true);
      expect(errorsOf(u.findings)).toEqual([]);
      expect(errorsOf(checkPayload(JSON.stringify(u.body), 'update', { now: NOW }))).toEqual([]);
      const keys = allKeys(u.body);
      for (const ro of [...READ_ONLY, 'tlsClientAuthParameter']) expect(keys).not.toContain(ro);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// buildCreate
// ---------------------------------------------------------------------------------------------

describe('buildCreate: input forms', () => {
  it('reads a parsed Certificate', () => {
    const cert = parseCertificate(rootRsa.der);
    const result = create([{ certificate: cert }]);
    expectWellFormedBody(result.body, [rootRsa.der]);
    expect(result.authorities[0]!.sha256).toBe(cert.sha256);
  });

  it('reads DER bytes', () => {
    expectWellFormedBody(create([{ certificate: interRsa.der }, { certificate: rootRsa.der }]).body, [interRsa.der, rootRsa.der]);
  });

  it('reads PEM text (LF and CRLF)', () => {
    expectWellFormedBody(create([{ certificate: rootEc.pem }]).body, [rootEc.der]);
    expectWellFormedBody(create([{ certificate: toPem(rootEc.der, 'CERTIFICATE', { eol: '\r\n' }) }]).body, [rootEc.der]);
  });

  it('reads bare base64, with or without line breaks', () => {
    expectWellFormedBody(create([{ certificate: b64(rootEc.der) }]).body, [rootEc.der]);
    const wrapped = b64(rootEc.der).replace(/.{64}/g, '$&\n');
    expectWellFormedBody(create([{ certificate: wrapped }]).body, [rootEc.der]);
  });

  it('expands a PKCS#7 bundle (DER and PEM) into one entry per certificate, in order', () => {
    const p7 = makePkcs7([rootRsa.der, interRsa.der]);
    for (const form of [p7.der, p7.pem]) {
      const result = create([{ certificate: form }]);
      expectWellFormedBody(result.body, [rootRsa.der, interRsa.der]);
      expect(result.body.certificateAuthorities.map((e) => e.isRootAuthority)).toEqual([true, false]);
    }
  });

  it('expands a PEM bundle of root + intermediate into two entries', () => {
    const result = create([{ certificate: pemBundle([rootEc, interEc]) }]);
    expectWellFormedBody(result.body, [rootEc.der, interEc.der]);
    expect(result.body.certificateAuthorities.map((e) => e.isRootAuthority)).toEqual([true, false]);
    expect(result.authorities.map((a) => a.sha256)).toEqual([sha256(rootEc), sha256(interEc)]);
    expect(errorsOf(result.findings)).toEqual([]);
  });

  it('leaves displayName out when not given', () => {
    const { body } = create([{ certificate: rootEc.pem }]);
    expect(Object.keys(body).sort()).toEqual(['certificateAuthorities', 'tlsClientAuthParameter']);
  });

  it('refuses an input that holds no certificate', () => {
    expect(errorOf(() => create([{ certificate: '' }])).code).toMatch(/^ERR_/);
    expect(errorOf(() => create([{ certificate: 'not a certificate at all!' }])).code).toBe('ERR_NOT_A_CERTIFICATE');
  });
});

describe('buildCreate: isRootAuthority', () => {
  it('is derived from the certificate when not given (self-issued → root)', () => {
    const result = create([{ certificate: rootRsa.pem }, { certificate: interRsa.pem }, { certificate: rootNoSki.pem }]);
    expect(result.body.certificateAuthorities.map((e) => e.isRootAuthority)).toEqual([true, false, true]);
    expect(result.authorities.map((a) => [a.isRootAuthority, a.derived])).toEqual([
      [true, true],
      [false, true],
      [true, true],
    ]);
    expect(codes(result.findings)).not.toContain('PAYLOAD_ROOT_FLAG_MISMATCH');
  });

  it('a given value that agrees gives no warning and is not marked derived', () => {
    const result = create([{ certificate: rootRsa.pem, isRootAuthority: true }, { certificate: interRsa.pem, isRootAuthority: false }]);
    expect(result.body.certificateAuthorities.map((e) => e.isRootAuthority)).toEqual([true, false]);
    expect(result.authorities.map((a) => a.derived)).toEqual([false, false]);
    expect(codes(result.findings)).not.toContain('PAYLOAD_ROOT_FLAG_MISMATCH');
  });

  it('a given value that disagrees is kept and warned about with PAYLOAD_ROOT_FLAG_MISMATCH', () => {
    const result = create([
      { certificate: rootRsa.pem, isRootAuthority: false, source: 'root.pem' },
      { certificate: interRsa.pem, isRootAuthority: true, source: 'inter.pem' },
    ]);
    expect(result.body.certificateAuthorities.map((e) => e.isRootAuthority)).toEqual([false, true]);
    const mismatches = result.findings.filter((f) => f.code === 'PAYLOAD_ROOT_FLAG_MISMATCH');
    expect(mismatches.map((f) => f.ref).sort()).toEqual(['certificateAuthorities[0].isRootAuthority', 'certificateAuthorities[1].isRootAuthority']);
    expect(mismatches.every((f) => f.severity === 'warning')).toBe(true);
    expect(mismatches.find((f) => f.ref === 'certificateAuthorities[1].isRootAuthority')!.location?.source).toBe('inter.pem');
    expect(mismatches.find((f) => f.ref === 'certificateAuthorities[0].isRootAuthority')!.location?.source).toBe('root.pem');
  });

  it('an explicit isRootAuthority with a multi-certificate input is ERR_INVALID_ARGUMENT', () => {
    for (const certificate of [pemBundle([rootRsa, interRsa]), makePkcs7([rootRsa.der, interRsa.der]).der]) {
      for (const isRootAuthority of [true, false]) {
        expect(errorOf(() => create([{ certificate, isRootAuthority }])).code).toBe('ERR_INVALID_ARGUMENT');
      }
    }
    // One certificate in a PKCS#7 bundle is fine.
    expect(create([{ certificate: makePkcs7([rootRsa.der]).der, isRootAuthority: true }]).body.certificateAuthorities).toHaveLength(1);
  });
});

describe('buildCreate: CRL URLs', () => {
  it('are left out when not given and crlUrlFromCertificate is off', () => {
    const { body } = create([{ certificate: interRsa.pem }]);
    expect(Object.keys(body.certificateAuthorities[0]!).sort()).toEqual(['certificate', 'isRootAuthority']);
  });

  it('crlUrlFromCertificate takes the first CRL distribution point URL', () => {
    const { body } = create([{ certificate: rootRsa.pem }, { certificate: interRsa.pem }, { certificate: interEc.pem }], { now: NOW, crlUrlFromCertificate: true });
    const [r, i1, i2] = body.certificateAuthorities;
    expect(i1!.certificateRevocationListUrl).toBe('http://crl.example.test/inter-rsa.crl');
    expect(i2!.certificateRevocationListUrl).toBe('http://crl.example.test/inter-ec.crl');
    // Without a CDP the URL is sent as null; the delta URL is never guessed.
    expect(r!.certificateRevocationListUrl).toBeNull();
    for (const e of body.certificateAuthorities) expect(Object.hasOwn(e, 'deltaCertificateRevocationListUrl')).toBe(false);
  });

  it('a given URL wins over the certificate CDP', () => {
    const { body } = create([{ certificate: interRsa.pem, certificateRevocationListUrl: 'http://given.example.test/x.crl' }], { now: NOW, crlUrlFromCertificate: true });
    expect(body.certificateAuthorities[0]!.certificateRevocationListUrl).toBe('http://given.example.test/x.crl');
  });

  it('explicit null URLs are kept (also with crlUrlFromCertificate)', () => {
    for (const crlUrlFromCertificate of [false, true]) {
      const { body, findings } = create(
        [{ certificate: interRsa.pem, certificateRevocationListUrl: null, deltaCertificateRevocationListUrl: null }, { certificate: rootRsa.pem }],
        { now: NOW, crlUrlFromCertificate },
      );
      const entry = body.certificateAuthorities[0]!;
      expect(Object.hasOwn(entry, 'certificateRevocationListUrl')).toBe(true);
      expect(entry.certificateRevocationListUrl).toBeNull();
      expect(Object.hasOwn(entry, 'deltaCertificateRevocationListUrl')).toBe(true);
      expect(entry.deltaCertificateRevocationListUrl).toBeNull();
      expect(JSON.stringify(entry)).toContain('"certificateRevocationListUrl":null');
      expect(errorsOf(findings)).toEqual([]);
    }
  });

  it('a non-http URL given is passed on and warned about', () => {
    const { body, findings } = create([{ certificate: rootRsa.pem, certificateRevocationListUrl: 'https://crl.example.test/r.crl' }]);
    expect(body.certificateAuthorities[0]!.certificateRevocationListUrl).toBe('https://crl.example.test/r.crl');
    expect(findings.filter((f) => f.code === 'PAYLOAD_CRL_URL_NOT_HTTP').map((f) => f.ref)).toEqual(['certificateAuthorities[0].certificateRevocationListUrl']);
  });
});

describe('previewCertificateAuthority and CreateResult.authorities', () => {
  it('the docs sample: "CN=certauthority.com, OU=IoT Org, O=Microsoft Corporation, L=Redmond, S=WA, C=US"', () => {
    const p = previewCertificateAuthority(parseCertificate(docsRoot.der));
    expect(p.issuer).toBe('CN=certauthority.com, OU=IoT Org, O=Microsoft Corporation, L=Redmond, S=WA, C=US');
    expect(p.subject).toBe('CN=certauthority.com,OU=IoT Org,O=Microsoft Corporation,L=Redmond,ST=WA,C=US');
  });

  it('issuerSki is the upper-case hex of the SKI (40 characters for a SHA-1 key id)', () => {
    for (const g of [rootRsa, interRsa, rootEc, interEc]) {
      const p = previewCertificateAuthority(parseCertificate(g.der));
      expect(p.issuerSki).toBe(upperSki(g));
      expect(p.issuerSki).toMatch(/^[0-9A-F]{40}$/);
    }
  });

  it('without an SKI, issuerSki is what .NET computes (SHA-1 of the subjectPublicKey bits, RFC 5280 §4.2.1.2 method 1), marked computed', () => {
    const preview = previewCertificateAuthority(parseCertificate(rootNoSki.der));
    const bits = new X509Certificate(rootNoSki.der).publicKey.export({ type: 'spki', format: 'der' }).subarray(-65); // P-256: 04 || X || Y
    expect(preview.issuerSki).toBe(createHash('sha1').update(bits).digest('hex').toUpperCase());
    expect(preview.issuerSkiComputed).toBe(true);
    expect(previewCertificateAuthority(parseCertificate(rootEc.der)).issuerSkiComputed).toBe(false);
  });

  it('with selfSignatures, a key-rollover certificate is an intermediate and a root whose AKI differs from its SKI is a root', async () => {
    const subject = 'CN=Rollover Payload CA, O=graph-mtls tests';
    const oldRoot = await makeRootCa({ ...validity, subject, key: await getKey('p256', 6) });
    const newRoot = await makeRootCa({ ...validity, subject, key: await getKey('p256', 7) });
    const newWithOld = await makeRootCa({ ...validity, subject, key: newRoot.key, issuer: oldRoot, authorityKeyIdentifier: 'omit' });
    const oddRoot = await makeRootCa({ ...validity, key: await getKey('p256', 8), authorityKeyIdentifier: Uint8Array.of(9, 9, 9) });
    const certs = [oldRoot, newWithOld, oddRoot].map((g) => parseCertificate(g.der));
    const selfSignatures = await verifySelfSignatures(certs, createWebCryptoVerifier(globalThis.crypto.subtle));
    const inputs = [oldRoot, newWithOld, oddRoot].map((g) => ({ certificate: g.pem }));
    const verified = create(inputs, { ...OPTIONS, selfSignatures });
    expect(verified.authorities.map((a) => a.isRootAuthority)).toEqual([true, false, true]);
    expect(verified.body.certificateAuthorities.map((a) => a.isRootAuthority)).toEqual([true, false, true]);
    expect(verified.findings.map((f) => f.code)).not.toContain('PAYLOAD_ROOT_FLAG_MISMATCH');
    expect(verified.findings.map((f) => f.code)).not.toContain('PAYLOAD_ISSUER_NOT_IN_LIST');
    // Without them the key identifiers decide: the AKI-less rollover certificate looks like a root, the odd root like an intermediate.
    expect(create(inputs).authorities.map((a) => a.isRootAuthority)).toEqual([true, true, false]);
    // verifyAuthorities gathers them from the inputs and from the configuration GET returned.
    const gathered = await verifyAuthorities([{ certificate: oldRoot.pem }, { certificate: 'not a certificate' }], createWebCryptoVerifier(globalThis.crypto.subtle), getShaped([newWithOld, oddRoot]));
    expect(gathered).toEqual(selfSignatures);
  });

  it('derives isRootAuthority by default, and reports sha256 and the RFC 4514 subject', () => {
    const root = previewCertificateAuthority(parseCertificate(rootEc.der));
    expect(root).toEqual({
      sha256: sha256(rootEc),
      subject: 'CN=Payload Root EC,O=graph-mtls tests,C=US',
      issuer: 'CN=Payload Root EC, O=graph-mtls tests, C=US',
      issuerSki: upperSki(rootEc),
      issuerSkiComputed: false,
      isRootAuthority: true,
      derived: true,
    });
    expect(previewCertificateAuthority(parseCertificate(interEc.der)).isRootAuthority).toBe(false);
    const given = previewCertificateAuthority(parseCertificate(interEc.der), true, false);
    expect([given.isRootAuthority, given.derived]).toEqual([true, false]);
  });

  it('buildCreate returns one preview per entry', () => {
    const result = create([{ certificate: pemBundle([docsRoot]) }, { certificate: interRsa.der, isRootAuthority: false }]);
    expect(result.authorities).toHaveLength(2);
    expect(result.authorities[0]!.issuer).toBe('CN=certauthority.com, OU=IoT Org, O=Microsoft Corporation, L=Redmond, S=WA, C=US');
    expect(result.authorities[0]!.issuerSki).toBe(upperSki(docsRoot));
    expect(result.authorities[1]).toMatchObject({ isRootAuthority: false, derived: false, issuerSki: upperSki(interRsa) });
  });
});

describe('previewCertificateAuthority: .NET form', () => {
  it('"CN=x, OU=y, O=z, C=US"', async () => {
    const ca = await makeRootCa({ ...validity, key: 'p256', subject: [['C', 'US'], ['O', 'z'], ['OU', 'y'], ['CN', 'x']] });
    const p = previewCertificateAuthority(parseCertificate(ca.der));
    expect(p.issuer).toBe('CN=x, OU=y, O=z, C=US');
    expect(p.subject).toBe('CN=x,OU=y,O=z,C=US');
    expect(create([{ certificate: ca.pem }]).authorities[0]!.issuer).toBe('CN=x, OU=y, O=z, C=US');
  });
});

describe('buildCreate: findings located at the input each CA came from', () => {
  it('PEM bundle: the source, the block index and its BEGIN line', () => {
    const bundle = pemBundle([rootRsa, expiredInter]);
    const line = rootRsa.pem.split('\n').length; // the root's lines plus the trailing newline
    const result = create([{ certificate: bundle, source: 'chain.pem' }]);
    const expired = result.findings.find((f) => f.code === 'CERT_EXPIRED');
    expect(expired?.severity).toBe('error');
    expect(expired!.ref).toBe('certificateAuthorities[1].certificate');
    expect(expired!.location).toEqual({ source: 'chain.pem', index: 1, line });
  });

  it('separate inputs: each finding names its own input', () => {
    const result = create([
      { certificate: rootRsa.pem, source: 'root.pem' },
      { certificate: expiredInter.der, source: 'expired.der' },
      { certificate: parseCertificate(device.der), source: 'device-as-ca' },
    ]);
    const expired = result.findings.find((f) => f.code === 'CERT_EXPIRED')!;
    expect(expired.ref).toBe('certificateAuthorities[1].certificate');
    expect(expired.location?.source).toBe('expired.der');
    const notCa = result.findings.find((f) => f.code === 'CA_BASIC_CONSTRAINTS_NOT_CA' || f.code === 'CA_BASIC_CONSTRAINTS_MISSING')!;
    expect(notCa.ref).toBe('certificateAuthorities[2].certificate');
    expect(notCa.location).toEqual({ source: 'device-as-ca' });
  });

  it('without a source, the input index names it', () => {
    const result = create([{ certificate: rootRsa.pem }, { certificate: expiredInter.pem }]);
    const expired = result.findings.find((f) => f.code === 'CERT_EXPIRED')!;
    expect(expired.location?.source).toBe('certificateAuthorities input 1');
  });

  it('findings about the whole body keep no per-entry location', () => {
    const result = create([{ certificate: interRsa.pem, source: 'inter.pem' }]);
    const noRoot = result.findings.find((f) => f.code === 'PAYLOAD_NO_ROOT')!;
    expect(noRoot.ref).toBe('certificateAuthorities');
    expect(noRoot.location?.source).toBeUndefined();
    const notInList = result.findings.find((f) => f.code === 'PAYLOAD_ISSUER_NOT_IN_LIST')!;
    expect(notInList.ref).toBe('certificateAuthorities[0].certificate');
    expect(notInList.location?.source).toBe('inter.pem');
  });
});

describe('buildCreate: argument checks', () => {
  it('an invalid tlsClientAuthParameter is ERR_INVALID_PARAMETER', () => {
    for (const p of ['unknownFutureValue', 'tls_client_auth', 'TLS_CLIENT_AUTH_SAN_URI', '', 'tls_client_auth_san_uri '] as readonly string[] as TlsClientAuthParameter[]) {
      expect(errorOf(() => buildCreate({ tlsClientAuthParameter: p, certificateAuthorities: [{ certificate: rootRsa.pem }] }, OPTIONS)).code).toBe('ERR_INVALID_PARAMETER');
    }
    expect(errorOf(() => buildCreate({ tlsClientAuthParameter: 7 as unknown as TlsClientAuthParameter, certificateAuthorities: [] }, OPTIONS)).code).toBe('ERR_INVALID_PARAMETER');
  });

  it('every valid tlsClientAuthParameter is accepted', () => {
    for (const p of TLS_CLIENT_AUTH_PARAMETERS) {
      expect(buildCreate({ tlsClientAuthParameter: p, certificateAuthorities: [{ certificate: rootRsa.pem }] }, OPTIONS).body.tlsClientAuthParameter).toBe(p);
    }
  });

  it('a non-string displayName is ERR_INVALID_ARGUMENT', () => {
    expect(errorOf(() => buildCreate({ tlsClientAuthParameter: PARAM, displayName: 5 as unknown as string, certificateAuthorities: [] }, OPTIONS)).code).toBe('ERR_INVALID_ARGUMENT');
  });

  it('an empty list builds and is warned about', () => {
    const result = create([]);
    expect(result.body.certificateAuthorities).toEqual([]);
    expect(codes(result.findings)).toContain('PAYLOAD_NO_CERTIFICATE_AUTHORITIES');
  });
});

describe('buildCreate: a private key given as a CA', () => {
  const forms = async (): Promise<{ name: string; input: string | Uint8Array; secret: Uint8Array }[]> => {
    const rsa = await getKey('rsa2048');
    const ec = await getKey('p256');
    const pkcs8 = pkcs8Der(rsa.privateKey);
    const sec1 = ecPrivateKeyDer(ec.privateKey);
    const pkcs1 = rsaPrivateKeyDer(rsa.privateKey);
    return [
      { name: 'PKCS#8 PEM', input: toPem(pkcs8, 'PRIVATE KEY'), secret: pkcs8 },
      { name: 'SEC1 PEM', input: toPem(sec1, 'EC PRIVATE KEY'), secret: sec1 },
      { name: 'PKCS#1 PEM', input: toPem(pkcs1, 'RSA PRIVATE KEY'), secret: pkcs1 },
      { name: 'PKCS#8 DER', input: pkcs8, secret: pkcs8 },
      { name: 'SEC1 DER', input: sec1, secret: sec1 },
      { name: 'PKCS#8 bare base64', input: b64(pkcs8), secret: pkcs8 },
      { name: 'SEC1 bare base64 in lines', input: b64(sec1).replace(/.{64}/g, '$&\n'), secret: sec1 },
      { name: 'key PEM before a certificate', input: toPem(sec1, 'EC PRIVATE KEY') + rootEc.pem, secret: sec1 },
    ];
  };

  it('the key-material check itself detects a leak', async () => {
    const sec1 = ecPrivateKeyDer((await getKey('p256')).privateKey);
    expect(() => expectNoKeyMaterial(`x ${b64(sec1)} y`, sec1, 'self-test')).toThrow();
    expect(() => expectNoKeyMaterial(Buffer.from(sec1).toString('hex'), sec1, 'self-test')).toThrow();
    expect(() => expectNoKeyMaterial(b64(sec1).slice(0, 24), sec1, 'self-test')).toThrow();
  });

  it('throws ERR_PRIVATE_KEY whose message and fields never contain the key material', async () => {
    for (const { name, input, secret } of await forms()) {
      const error = errorOf(() => create([{ certificate: input, source: 'key.pem' }]));
      expect(error.code, name).toBe('ERR_PRIVATE_KEY');
      const exposed = JSON.stringify({ ...error, message: error.message, reason: error.reason, stack: error.stack, cause: String(error.cause) });
      expectNoKeyMaterial(exposed, secret, name);
    }
  });
});

/** No 8-byte run of the key (as base64 at any alignment, or hex) appears in `text`. */
function expectNoKeyMaterial(text: string, secret: Uint8Array, name: string): void {
  const hex = Buffer.from(secret).toString('hex');
  for (let i = 8; i + 8 <= secret.length; i += 4) {
    const run = secret.subarray(i, i + 8);
    expect(text.toLowerCase().includes(Buffer.from(run).toString('hex')), `${name}: hex run at ${i}`).toBe(false);
  }
  for (let shift = 0; shift < 3; shift++) {
    const b = Buffer.from(secret.subarray(shift)).toString('base64');
    for (let i = 8; i + 12 <= b.length - 4; i += 8) expect(text.includes(b.slice(i, i + 12)), `${name}: base64 run at ${shift}/${i}`).toBe(false);
  }
  expect(text.includes(hex)).toBe(false);
}

// ---------------------------------------------------------------------------------------------
// buildUpdate
// ---------------------------------------------------------------------------------------------

const CONFIG_ID = 'eec5ba11-2fc0-4113-83a2-ed986ed13cdb';

/** A configuration as GET returns it: annotations, id, deletedDateTime and issuer/issuerSki per CA. */
function getShaped(cas: readonly GeneratedCertificate[], displayName = 'DoorCamera_Model_X_TrustedCAs'): Record<string, unknown> {
  return {
    '@odata.context': 'https://graph.microsoft.com/beta/$metadata#directory/certificateAuthorities/mutualTlsOauthConfigurations/$entity',
    id: CONFIG_ID,
    deletedDateTime: null,
    displayName,
    tlsClientAuthParameter: PARAM,
    certificateAuthorities: cas.map((g, i) => {
      const p = previewCertificateAuthority(parseCertificate(g.der));
      return {
        '@odata.type': '#microsoft.graph.certificateAuthority',
        isRootAuthority: p.isRootAuthority,
        certificateRevocationListUrl: i === 0 ? null : `http://crl.example.test/current-${i}.crl`,
        deltaCertificateRevocationListUrl: i === 0 ? null : `http://crl.example.test/current-${i}-delta.crl`,
        certificate: b64(g.der),
        issuer: p.issuer,
        issuerSki: p.issuerSki,
      };
    }),
  };
}

/** What a kept entry must be re-sent as: the GET entry without issuer, issuerSki and annotations. */
function resent(current: Record<string, unknown>, i: number): Record<string, unknown> {
  const e = (current['certificateAuthorities'] as Record<string, unknown>[])[i]!;
  return {
    certificate: e['certificate'],
    isRootAuthority: e['isRootAuthority'],
    certificateRevocationListUrl: e['certificateRevocationListUrl'],
    deltaCertificateRevocationListUrl: e['deltaCertificateRevocationListUrl'],
  };
}

function summaryOf(g: GeneratedCertificate): { sha256: string; subject: string; issuerSki: string | null; isRootAuthority: boolean } {
  const p = previewCertificateAuthority(parseCertificate(g.der));
  return { sha256: p.sha256, subject: p.subject, issuerSki: p.issuerSki, isRootAuthority: p.isRootAuthority };
}

describe('buildUpdate: add', () => {
  const current = getShaped([rootRsa, interRsa]);

  it('appends a new CA and re-sends every kept entry with its CRL URLs, without read-only properties', () => {
    const u = buildUpdate(current, { add: [{ certificate: interRsa2.pem, certificateRevocationListUrl: 'http://crl.example.test/new.crl' }] }, OPTIONS);
    expect(u.changed).toBe(true);
    expect(Object.keys(u.body)).toEqual(['certificateAuthorities']);
    expect(u.body.certificateAuthorities).toEqual([
      resent(current, 0),
      resent(current, 1),
      { certificate: b64(interRsa2.der), isRootAuthority: false, certificateRevocationListUrl: 'http://crl.example.test/new.crl' },
    ]);
    for (const e of u.body.certificateAuthorities!) {
      for (const ro of ['issuer', 'issuerSki', '@odata.type']) expect(Object.hasOwn(e, ro)).toBe(false);
    }
    expect(u.added).toEqual([summaryOf(interRsa2)]);
    expect(u.kept).toEqual([summaryOf(rootRsa), summaryOf(interRsa)]);
    expect(u.removed).toEqual([]);
    expect(u.notFound).toEqual([]);
    expect(errorsOf(u.findings)).toEqual([]);
  });

  it('re-adding a CA already present keeps it once and changes nothing', () => {
    for (const certificate of [interRsa.pem, interRsa.der, parseCertificate(interRsa.der), b64(interRsa.der)]) {
      const u = buildUpdate(current, { add: [{ certificate }] }, OPTIONS);
      expect(u.body).toEqual({});
      expect(u.changed).toBe(false);
      expect(u.added).toEqual([]);
      expect(u.kept).toEqual([summaryOf(rootRsa), summaryOf(interRsa)]);
    }
  });

  it('re-adding a present CA together with a new one adds only the new one', () => {
    const u = buildUpdate(current, { add: [{ certificate: rootRsa.pem }, { certificate: interRsa2.pem }, { certificate: interRsa2.der }] }, OPTIONS);
    expect(u.body.certificateAuthorities).toHaveLength(3);
    expect(u.body.certificateAuthorities!.map((e) => e.certificate)).toEqual([b64(rootRsa.der), b64(interRsa.der), b64(interRsa2.der)]);
    expect(u.added).toEqual([summaryOf(interRsa2)]);
  });

  it('an added bundle expands into entries', () => {
    const u = buildUpdate(current, { add: [{ certificate: pemBundle([rootEc, interEc]) }] }, OPTIONS);
    expect(u.body.certificateAuthorities!.map((e) => e.certificate)).toEqual([b64(rootRsa.der), b64(interRsa.der), b64(rootEc.der), b64(interEc.der)]);
    expect(u.added).toEqual([summaryOf(rootEc), summaryOf(interEc)]);
  });

  it('findings about added entries are located at their input', () => {
    const u = buildUpdate(current, { add: [{ certificate: expiredInter.pem, source: 'new.pem' }] }, OPTIONS);
    const expired = u.findings.find((f) => f.code === 'CERT_EXPIRED')!;
    expect(expired.ref).toBe('certificateAuthorities[2].certificate');
    expect(expired.location).toMatchObject({ source: 'new.pem', index: 0 });
  });
});

describe('buildUpdate: remove', () => {
  const current = getShaped([rootRsa, interRsa, rootEc]);

  const expectRemovedInter = (u: ReturnType<typeof buildUpdate>): void => {
    expect(u.changed).toBe(true);
    expect(u.body).toEqual({ certificateAuthorities: [resent(current, 0), resent(current, 2)] });
    expect(u.removed).toEqual([summaryOf(interRsa)]);
    expect(u.kept).toEqual([summaryOf(rootRsa), summaryOf(rootEc)]);
    expect(u.added).toEqual([]);
    expect(u.notFound).toEqual([]);
  };

  it('by Certificate', () => {
    expectRemovedInter(buildUpdate(current, { remove: [parseCertificate(interRsa.der)] }, OPTIONS));
  });

  it('by SHA-256 hex (lower, upper, with colons)', () => {
    const hex = sha256(interRsa);
    for (const key of [hex, hex.toUpperCase(), hex.match(/../g)!.join(':')]) expectRemovedInter(buildUpdate(current, { remove: [key] }, OPTIONS));
  });

  it('by SKI hex (upper, lower, with colons)', () => {
    const ski = upperSki(interRsa);
    for (const key of [ski, ski.toLowerCase(), ski.match(/../g)!.join(':'), ski.toLowerCase().match(/../g)!.join(':')]) {
      expectRemovedInter(buildUpdate(current, { remove: [key] }, OPTIONS));
    }
  });

  it('by the issuerSki GET returned for a CA without an SKI extension (computed by Graph)', () => {
    const cur = getShaped([rootRsa, rootNoSki]);
    const entries = cur['certificateAuthorities'] as { issuerSki: string }[];
    const u = buildUpdate(cur, { remove: [entries[1]!.issuerSki] }, OPTIONS);
    expect(u.notFound).toEqual([]);
    expect(u.removed.map((r) => r.sha256)).toEqual([sha256(rootNoSki)]);
    // The value GET returned is matched as returned, even where it is not what graph-mtls computes.
    entries[1]!.issuerSki = 'AA'.repeat(20);
    expect(buildUpdate(cur, { remove: ['aa'.repeat(20)] }, OPTIONS).removed.map((r) => r.sha256)).toEqual([sha256(rootNoSki)]);
  });

  it('by the issuerSki value GET returned', () => {
    const ski = (current['certificateAuthorities'] as { issuerSki: string }[])[1]!.issuerSki;
    expectRemovedInter(buildUpdate(current, { remove: [ski] }, OPTIONS));
  });

  it('by SKI hex when the SKI is 32 bytes long (64 hex characters, the length of a SHA-256)', async () => {
    const longSki = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i);
    const ca = await makeIntermediateCa(rootRsa, { ...validity, key: await getKey('p256', 5), subjectKeyIdentifier: longSki });
    const cur = getShaped([rootRsa, ca]);
    const u = buildUpdate(cur, { remove: [Buffer.from(longSki).toString('hex').toUpperCase()] }, OPTIONS);
    expect(u.notFound).toEqual([]);
    expect(u.removed.map((r) => r.sha256)).toEqual([sha256(ca)]);
  });

  it('something absent is listed in notFound and changes nothing', () => {
    const absentSha = sha256(interEc);
    const absentCert = parseCertificate(interEc.der);
    const absentSki = upperSki(interEc);
    const u = buildUpdate(current, { remove: [absentSha, absentCert, absentSki] }, OPTIONS);
    expect(u.notFound).toEqual([absentSha, absentCert.sha256, absentSki]);
    expect(u.body).toEqual({});
    expect(u.changed).toBe(false);
    expect(u.removed).toEqual([]);
  });

  it('a partial hit removes what matched and lists the rest', () => {
    const u = buildUpdate(current, { remove: [sha256(interRsa), 'ab'.repeat(20)] }, OPTIONS);
    expect(u.removed).toEqual([summaryOf(interRsa)]);
    expect(u.notFound).toEqual(['ab'.repeat(20)]);
  });

  it('remove and add together', () => {
    const u = buildUpdate(current, { remove: [parseCertificate(rootEc.der)], add: [{ certificate: interRsa2.pem }] }, OPTIONS);
    expect(u.body.certificateAuthorities!.map((e) => e.certificate)).toEqual([b64(rootRsa.der), b64(interRsa.der), b64(interRsa2.der)]);
    expect(u.removed).toEqual([summaryOf(rootEc)]);
    expect(u.added).toEqual([summaryOf(interRsa2)]);
    expect(u.kept).toEqual([summaryOf(rootRsa), summaryOf(interRsa)]);
  });

  it('removing the root leaves warnings about the list', () => {
    const u = buildUpdate(getShaped([rootRsa, interRsa]), { remove: [sha256(rootRsa)] }, OPTIONS);
    expect(u.body.certificateAuthorities).toHaveLength(1);
    expect(codes(u.findings)).toEqual(expect.arrayContaining(['PAYLOAD_NO_ROOT', 'PAYLOAD_ISSUER_NOT_IN_LIST']));
  });

  it('a removal key that is neither a certificate nor hex is ERR_INVALID_ARGUMENT', () => {
    for (const key of ['', 'not-hex!', 'zz', ':::']) expect(errorOf(() => buildUpdate(current, { remove: [key] }, OPTIONS)).code).toBe('ERR_INVALID_ARGUMENT');
  });
});

describe('buildUpdate: whole-list replace', () => {
  const current = getShaped([rootRsa, interRsa]);

  it('replaces the list; added, kept and removed are reported', () => {
    const u = buildUpdate(current, { certificateAuthorities: [{ certificate: rootRsa.pem }, { certificate: pemBundle([rootEc, interEc]) }] }, OPTIONS);
    expect(u.changed).toBe(true);
    expect(u.body.certificateAuthorities!.map((e) => e.certificate)).toEqual([b64(rootRsa.der), b64(rootEc.der), b64(interEc.der)]);
    expect(u.added).toEqual([summaryOf(rootEc), summaryOf(interEc)]);
    expect(u.kept).toEqual([summaryOf(rootRsa)]);
    expect(u.removed).toEqual([summaryOf(interRsa)]);
    expect(u.notFound).toEqual([]);
  });

  it('replacing with an entirely new list removes every current entry', () => {
    const u = buildUpdate(current, { certificateAuthorities: [{ certificate: rootEc.der }] }, OPTIONS);
    expect(u.body).toEqual({ certificateAuthorities: [{ certificate: b64(rootEc.der), isRootAuthority: true }] });
    expect(u.removed).toEqual([summaryOf(rootRsa), summaryOf(interRsa)]);
    expect(u.kept).toEqual([]);
  });

  it('replacing with the same list as GET returned it changes nothing', () => {
    const same = (current['certificateAuthorities'] as Record<string, unknown>[]).map((e) => ({
      certificate: e['certificate'] as string,
      certificateRevocationListUrl: e['certificateRevocationListUrl'] as string | null,
      deltaCertificateRevocationListUrl: e['deltaCertificateRevocationListUrl'] as string | null,
    }));
    const u = buildUpdate(current, { certificateAuthorities: same }, OPTIONS);
    expect(u.body).toEqual({});
    expect(u.changed).toBe(false);
    expect(u.kept).toEqual([summaryOf(rootRsa), summaryOf(interRsa)]);
  });

  it('certificateAuthorities together with add or remove is ERR_INVALID_ARGUMENT', () => {
    expect(errorOf(() => buildUpdate(current, { certificateAuthorities: [{ certificate: rootEc.pem }], add: [{ certificate: interEc.pem }] }, OPTIONS)).code).toBe('ERR_INVALID_ARGUMENT');
    expect(errorOf(() => buildUpdate(current, { certificateAuthorities: [{ certificate: rootEc.pem }], remove: [sha256(rootRsa)] }, OPTIONS)).code).toBe('ERR_INVALID_ARGUMENT');
    expect(errorOf(() => buildUpdate(current, { certificateAuthorities: [], add: [] }, OPTIONS)).code).toBe('ERR_INVALID_ARGUMENT');
  });
});

describe('buildUpdate: displayName and no-op', () => {
  const current = getShaped([rootRsa, interRsa], 'Old name');

  it('a displayName change only gives exactly {displayName}', () => {
    const u = buildUpdate(current, { displayName: 'New name' }, OPTIONS);
    expect(u.body).toEqual({ displayName: 'New name' });
    expect(u.changed).toBe(true);
    expect(u.added).toEqual([]);
    expect(u.removed).toEqual([]);
    expect(u.kept).toEqual([summaryOf(rootRsa), summaryOf(interRsa)]);
    expect(u.findings).toEqual([]);
  });

  it('null clears displayName', () => {
    expect(buildUpdate(current, { displayName: null }, OPTIONS).body).toEqual({ displayName: null });
  });

  it('the same displayName is no change', () => {
    const u = buildUpdate(current, { displayName: 'Old name' }, OPTIONS);
    expect(u.body).toEqual({});
    expect(u.changed).toBe(false);
  });

  it('nothing asked gives {} and changed false', () => {
    const u = buildUpdate(current, {}, OPTIONS);
    expect(u.body).toEqual({});
    expect(u.changed).toBe(false);
    expect(u.added).toEqual([]);
    expect(u.removed).toEqual([]);
    expect(u.notFound).toEqual([]);
    expect(u.kept).toEqual([summaryOf(rootRsa), summaryOf(interRsa)]);
    expect(u.findings).toEqual([]);
  });

  it('empty add and remove lists are no change', () => {
    const u = buildUpdate(current, { add: [], remove: [] }, OPTIONS);
    expect(u.body).toEqual({});
    expect(u.changed).toBe(false);
  });

  it('displayName and a list change together', () => {
    const u = buildUpdate(current, { displayName: 'Both', remove: [sha256(interRsa)] }, OPTIONS);
    expect(u.body).toEqual({ displayName: 'Both', certificateAuthorities: [resent(current, 0)] });
  });
});

describe('buildUpdate: tlsClientAuthParameter and current', () => {
  const current = getShaped([rootRsa, interRsa]);

  it('a different tlsClientAuthParameter is ERR_IMMUTABLE_PROPERTY', () => {
    // Values a JavaScript caller could pass: the type refuses the last two at compile time.
    for (const p of ['tls_client_auth_subject_dn', 'unknownFutureValue', 'junk'] as readonly string[] as TlsClientAuthParameter[]) {
      expect(errorOf(() => buildUpdate(current, { tlsClientAuthParameter: p }, OPTIONS)).code).toBe('ERR_IMMUTABLE_PROPERTY');
    }
  });

  it('the same tlsClientAuthParameter is fine and is not sent', () => {
    const u = buildUpdate(current, { tlsClientAuthParameter: PARAM, displayName: 'x' }, OPTIONS);
    expect(u.body).toEqual({ displayName: 'x' });
    const none = buildUpdate(current, { tlsClientAuthParameter: PARAM }, OPTIONS);
    expect(none.body).toEqual({});
    expect(none.changed).toBe(false);
  });

  it('current given as JSON text works the same', () => {
    const text = JSON.stringify(current, null, 2);
    const fromText = buildUpdate(text, { add: [{ certificate: interRsa2.pem }], displayName: 'Text' }, OPTIONS);
    const fromObject = buildUpdate(current, { add: [{ certificate: interRsa2.pem }], displayName: 'Text' }, OPTIONS);
    expect(fromText.body).toEqual(fromObject.body);
    expect(fromText.kept).toEqual(fromObject.kept);
    expect(fromText.added).toEqual(fromObject.added);
    expect(errorOf(() => buildUpdate(text, { tlsClientAuthParameter: 'tls_client_auth_san_dns' }, OPTIONS)).code).toBe('ERR_IMMUTABLE_PROPERTY');
  });

  it('current that is not a configuration object is ERR_INVALID_ARGUMENT', () => {
    for (const bad of ['{not json', '[]', 'null', '42', null, 42, [current]]) {
      expect(errorOf(() => buildUpdate(bad, {}, OPTIONS)).code).toBe('ERR_INVALID_ARGUMENT');
    }
    expect(errorOf(() => buildUpdate({ ...current, certificateAuthorities: {} }, {}, OPTIONS)).code).toBe('ERR_INVALID_ARGUMENT');
    expect(errorOf(() => buildUpdate({ ...current, certificateAuthorities: [42] }, {}, OPTIONS)).code).toBe('ERR_INVALID_ARGUMENT');
  });

  it('a configuration without certificateAuthorities starts from an empty list', () => {
    const u = buildUpdate({ id: CONFIG_ID, tlsClientAuthParameter: PARAM }, { add: [{ certificate: rootEc.pem }] }, OPTIONS);
    expect(u.body).toEqual({ certificateAuthorities: [{ certificate: b64(rootEc.der), isRootAuthority: true }] });
  });

  it('a current entry whose certificate does not decode is kept as it was, summarised without sha256', () => {
    const cur = { ...current, certificateAuthorities: [...(current['certificateAuthorities'] as object[]), { certificate: 'AAAA', isRootAuthority: false, issuer: 'x' }] };
    const u = buildUpdate(cur, { add: [{ certificate: interRsa2.pem }] }, OPTIONS);
    expect(u.body.certificateAuthorities![2]).toEqual({ certificate: 'AAAA', isRootAuthority: false });
    expect(u.kept[2]).toEqual({ isRootAuthority: false });
    expect(codes(u.findings).some((c) => c.startsWith('INPUT_'))).toBe(true);
  });
});

describe('buildUpdate: hostile current', () => {
  it('prototype keys and unknown properties in the GET body are neither re-sent nor applied', () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const text =
      `{"tlsClientAuthParameter":"${PARAM}","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},` +
      `"certificateAuthorities":[{"certificate":"${b64(rootRsa.der)}","isRootAuthority":true,"__proto__":{"polluted":"yes","certificateRevocationListUrl":"http://evil.example/x.crl"},` +
      `"constructor":{"prototype":{"polluted":"yes"}},"issuerSubjectkeyIdentifier":"SKI","certificateRevocationListUrl":5}]}`;
    const u = buildUpdate(text, { add: [{ certificate: interRsa.pem }] }, OPTIONS);
    expect(u.body.certificateAuthorities).toEqual([
      { certificate: b64(rootRsa.der), isRootAuthority: true },
      { certificate: b64(interRsa.der), isRootAuthority: false },
    ]);
    expect(errorsOf(u.findings)).toEqual([]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
  });
});

describe('limits reach the builders', () => {
  it('a bundle with more certificates than limits.maxCertificates is ERR_LIMIT_EXCEEDED', () => {
    expect(errorOf(() => create([{ certificate: pemBundle([rootRsa, interRsa, interRsa2]) }], { now: NOW, limits: { maxCertificates: 2 } })).code).toBe('ERR_LIMIT_EXCEEDED');
    expect(errorOf(() => create([{ certificate: rootRsa.pem }, { certificate: interRsa.pem }, { certificate: interRsa2.pem }], { now: NOW, limits: { maxCertificates: 2 } })).code).toBe(
      'ERR_LIMIT_EXCEEDED',
    );
    expect(create([{ certificate: pemBundle([rootRsa, interRsa]) }], { now: NOW, limits: { maxCertificates: 2 } }).body.certificateAuthorities).toHaveLength(2);
  });

  it('payloadLimits are applied to the built body', () => {
    const result = create([{ certificate: rootRsa.pem }], { now: NOW, payloadLimits: { maxCertificateAuthorityBytes: 100, maxDisplayNameLength: 3 } }, 'long name');
    expect(codes(result.findings).sort()).toEqual(['PAYLOAD_CERTIFICATE_TOO_LARGE', 'PAYLOAD_DISPLAY_NAME_TOO_LONG']);
  });
});

// ---------------------------------------------------------------------------------------------
// Details pinned for mutation testing (issue 12, item 15)
// ---------------------------------------------------------------------------------------------

describe('buildUpdate: an expired CA that is only kept is a warning (spec/graph-api.md §3.4)', () => {
  const current = getShaped([rootRsa, interRsa, expiredInter]);
  const SUFFIX = "; it is already in the configuration (Entra's sibling CA store refuses uploads while any CA is expired, so remove it)";

  it('kept by add: CERT_EXPIRED at the kept entry is a warning without a Graph error body, its message says why', () => {
    const u = buildUpdate(current, { add: [{ certificate: rootEc.pem }] }, OPTIONS);
    const expired = u.findings.filter((f) => f.code === 'CERT_EXPIRED');
    expect(expired).toHaveLength(1);
    const f = expired[0]!;
    expect(f.ref).toBe('certificateAuthorities[2].certificate');
    expect(f.severity).toBe('warning');
    expect('graphError' in f).toBe(false);
    expect(f.message.endsWith(SUFFIX)).toBe(true);
    expect(errorsOf(u.findings)).toEqual([]);
  });

  it('kept by a whole-list replace that lists it again: a warning too', () => {
    const u = buildUpdate(current, { certificateAuthorities: [{ certificate: rootRsa.pem }, { certificate: expiredInter.pem }] }, OPTIONS);
    const f = u.findings.find((x) => x.code === 'CERT_EXPIRED')!;
    expect(f.ref).toBe('certificateAuthorities[1].certificate');
    expect(f.severity).toBe('warning');
    expect(f.message.endsWith(SUFFIX)).toBe(true);
  });

  it('an expired CA that is added stays an error with its Graph error body; other findings of a kept entry are left as they are', () => {
    const u = buildUpdate(getShaped([rootRsa, interRsa]), { add: [{ certificate: expiredInter.pem }] }, OPTIONS);
    const f = u.findings.find((x) => x.code === 'CERT_EXPIRED')!;
    expect(f.ref).toBe('certificateAuthorities[2].certificate');
    expect(f.severity).toBe('error');
    expect(f.graphError).toEqual(GRAPH_CERTIFICATE_ERROR);
    expect(f.message).not.toContain('already in the configuration');
    // Replacing the list with only the expired CA: it is now added, not kept.
    const r = buildUpdate(getShaped([rootRsa]), { certificateAuthorities: [{ certificate: expiredInter.pem }, { certificate: rootRsa.pem }] }, OPTIONS);
    expect(r.findings.find((x) => x.code === 'CERT_EXPIRED')!.severity).toBe('error');
  });

  it('a kept expired CA in a list the update does not send (displayName only) gives no finding', () => {
    const u = buildUpdate(current, { displayName: 'Renamed' }, OPTIONS);
    expect(u.body).toEqual({ displayName: 'Renamed' });
    expect(u.findings).toEqual([]);
  });
});

describe('buildCreate and buildUpdate: details', () => {
  it('a CA input without a source is named by its index; with one, by its source', () => {
    const e = inputErrorOf(() => create([{ certificate: rootRsa.pem }, { certificate: 'not a certificate at all!' }]));
    expect(e.code).toBe('ERR_NOT_A_CERTIFICATE');
    expect(e.source).toBe('certificateAuthorities input 1');
    const named = inputErrorOf(() => create([{ certificate: 'not a certificate at all!', source: 'ca.pem' }]));
    expect(named.source).toBe('ca.pem');
  });

  it('an explicit isRootAuthority with a bundle names the source and the count', () => {
    const e = errorOf(() => create([{ certificate: pemBundle([rootRsa, interRsa]), isRootAuthority: true, source: 'b.pem' }]));
    expect(e.code).toBe('ERR_INVALID_ARGUMENT');
    if (e.kind !== 'argument') throw new Error(`expected an ArgumentError, received ${e.kind}`);
    expect(e.source).toBe('b.pem');
    expect(e.reason).toMatch(/expected one certificate when isRootAuthority is given, received 2$/);
    expect(create([{ certificate: pemBundle([rootRsa]), isRootAuthority: true }]).body.certificateAuthorities).toHaveLength(1);
  });

  it('a displayName that is not a string names its type', () => {
    expect(errorOf(() => buildCreate({ tlsClientAuthParameter: PARAM, certificateAuthorities: [], displayName: 5 as unknown as string }, OPTIONS)).message).toBe(
      'displayName: expected a string, received number',
    );
    expect(buildCreate({ tlsClientAuthParameter: PARAM, certificateAuthorities: [], displayName: '' }, OPTIONS).body).toEqual({ displayName: '', tlsClientAuthParameter: PARAM, certificateAuthorities: [] });
  });

  it('a deltaCertificateRevocationListUrl given is sent; crlUrlFromCertificate false or absent leaves the CRL URL out', () => {
    const r = create([{ certificate: rootRsa.pem, deltaCertificateRevocationListUrl: 'http://crl.example.test/d.crl' }], { now: NOW, crlUrlFromCertificate: false });
    expect(r.body.certificateAuthorities[0]).toEqual({ certificate: b64(rootRsa.der), isRootAuthority: true, deltaCertificateRevocationListUrl: 'http://crl.example.test/d.crl' });
  });

  it('buildUpdate refuses current values that are not a configuration, naming what they are', () => {
    expect(errorOf(() => buildUpdate([], {}, OPTIONS)).message).toBe('buildUpdate current: expected the configuration object as GET returns it, received a list');
    expect(errorOf(() => buildUpdate(null, {}, OPTIONS)).message).toBe('buildUpdate current: expected the configuration object as GET returns it, received null');
    expect(errorOf(() => buildUpdate('"text"', {}, OPTIONS)).message).toBe('buildUpdate current: expected the configuration object as GET returns it, received text');
    const bad = errorOf(() => buildUpdate('{', {}, OPTIONS));
    expect(bad.message).toBe('buildUpdate current: expected JSON text, received text that does not parse');
    expect(bad.cause).toBeInstanceOf(SyntaxError);
    expect(errorOf(() => buildUpdate({ certificateAuthorities: 'x' }, {}, OPTIONS)).message).toBe('buildUpdate current.certificateAuthorities: expected a list, received string');
    expect(errorOf(() => buildUpdate({ certificateAuthorities: [null] }, {}, OPTIONS)).message).toBe(
      'buildUpdate current.certificateAuthorities[0]: expected an object with a base64 certificate, received null',
    );
    expect(errorOf(() => buildUpdate({ certificateAuthorities: [{ certificate: 5 }] }, {}, OPTIONS)).message).toBe(
      'buildUpdate current.certificateAuthorities[0]: expected an object with a base64 certificate, received object',
    );
    expect(errorOf(() => buildUpdate({ certificateAuthorities: ['AAAA'] }, {}, OPTIONS)).code).toBe('ERR_INVALID_ARGUMENT');
  });

  it('a null certificateAuthorities in current is an empty list', () => {
    const u = buildUpdate({ tlsClientAuthParameter: PARAM, certificateAuthorities: null }, { add: [{ certificate: rootRsa.pem }] }, OPTIONS);
    expect(u.body).toEqual({ certificateAuthorities: [{ certificate: b64(rootRsa.der), isRootAuthority: true }] });
    expect(u.kept).toEqual([]);
  });

  it('a current isRootAuthority that is not literally true is sent as false; CRL URLs of other types are dropped', () => {
    const cur = { tlsClientAuthParameter: PARAM, certificateAuthorities: [{ certificate: b64(rootRsa.der), isRootAuthority: 'true', certificateRevocationListUrl: 5, deltaCertificateRevocationListUrl: null }] };
    const u = buildUpdate(cur, { add: [{ certificate: interRsa.pem }] }, OPTIONS);
    expect(u.body.certificateAuthorities![0]).toEqual({ certificate: b64(rootRsa.der), isRootAuthority: false, deltaCertificateRevocationListUrl: null });
    expect(u.kept).toEqual([{ ...summaryOf(rootRsa), isRootAuthority: false }]);
  });

  it('the immutable-parameter error quotes both values', () => {
    const e = errorOf(() => buildUpdate(getShaped([rootRsa]), { tlsClientAuthParameter: 'tls_client_auth_subject_dn' }, OPTIONS));
    expect(e.code).toBe('ERR_IMMUTABLE_PROPERTY');
    expect(e.message).toBe(
      `tlsClientAuthParameter: expected no change (it is set once at create), received 'tls_client_auth_subject_dn' for a configuration with '${PARAM}'; delete the configuration and create it again`,
    );
    expect(errorOf(() => buildUpdate(getShaped([rootRsa]), { certificateAuthorities: [], remove: [] }, OPTIONS)).code).toBe('ERR_INVALID_ARGUMENT');
  });

  it('a removal key of only colons and spaces, or with non-hex characters, is refused and quoted', () => {
    for (const bad of [':', ' : ', 'xyz', 'ab:cd:zz', '']) {
      const e = errorOf(() => buildUpdate(getShaped([rootRsa]), { remove: [bad] }, OPTIONS));
      expect(e.code, bad).toBe('ERR_INVALID_ARGUMENT');
      expect(e.message).toBe(`buildUpdate remove: expected a certificate, a SHA-256 or a subjectKeyIdentifier in hex, received '${bad}'`);
    }
  });

  it('a removal key does not match an entry without an SKI by accident, and a partial hex does not match', () => {
    const cur = getShaped([rootRsa, rootNoSki]);
    const u = buildUpdate(cur, { remove: [upperSki(rootRsa).slice(0, 10), 'AB'] }, OPTIONS);
    expect(u.changed).toBe(false);
    expect(u.notFound).toEqual([upperSki(rootRsa).slice(0, 10), 'AB']);
    const bySha = buildUpdate(cur, { remove: [sha256(rootNoSki)] }, OPTIONS);
    expect(bySha.removed).toEqual([summaryOf(rootNoSki)]);
  });

  it('a whole-list replace reports a current entry that does not decode as removed', () => {
    const cur = { tlsClientAuthParameter: PARAM, certificateAuthorities: [{ certificate: 'AAAA', isRootAuthority: true }, { certificate: b64(rootRsa.der), isRootAuthority: true }] };
    const u = buildUpdate(cur, { certificateAuthorities: [{ certificate: rootRsa.pem }] }, OPTIONS);
    expect(u.removed).toEqual([{ isRootAuthority: true }]);
    expect(u.kept).toEqual([summaryOf(rootRsa)]);
    expect(u.added).toEqual([]);
    expect(u.body).toEqual({ certificateAuthorities: [{ certificate: b64(rootRsa.der), isRootAuthority: true }] });
  });

  it('an absent and a null CRL URL are the same to Graph: a list that differs only so is no change', () => {
    const cur = { tlsClientAuthParameter: PARAM, certificateAuthorities: [{ certificate: b64(rootRsa.der), isRootAuthority: true, certificateRevocationListUrl: null }] };
    const u = buildUpdate(cur, { certificateAuthorities: [{ certificate: rootRsa.pem }] }, OPTIONS);
    expect(u.changed).toBe(false);
    expect(u.body).toEqual({});
    const v = buildUpdate(cur, { certificateAuthorities: [{ certificate: rootRsa.pem, certificateRevocationListUrl: 'http://crl.example.test/x.crl' }] }, OPTIONS);
    expect(v.changed).toBe(true);
  });

  it('a notFound Certificate is named by its SHA-256', () => {
    const u = buildUpdate(getShaped([rootRsa]), { remove: [parseCertificate(rootEc.der)] }, OPTIONS);
    expect(u.notFound).toEqual([sha256(rootEc)]);
  });
});
