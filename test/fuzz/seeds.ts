// Seeds for the fuzz harness, generated in-process and deterministically: the same bytes on
// every run and machine, so a seed and an iteration number name one input. Ed25519 and Ed448
// keys come from fixed private seeds (EdDSA signatures are deterministic, so those
// certificates verify); P-256/P-384 public keys from fixed scalars; RSA keys are public only
// (a fixed odd modulus). Signatures by keys we cannot sign with deterministically (ECDSA, RSA)
// are well-formed but do not verify, which the parser never looks at and lint reports.

import { createHash, createPrivateKey, createPublicKey, sign as nodeSign, type KeyObject } from 'node:crypto';
import {
  buildCreate,
  buildUpdate,
  formatDotNet,
  formatRfc4514,
  parseCertificate,
} from '../../packages/core/src/index.ts';
import { encodeBase64 } from '../../packages/core/src/encoding/index.ts';
import {
  algId,
  atv,
  authorityKeyIdentifierValue,
  basicConstraintsValue,
  bits,
  bmp,
  buildTbsCertificate,
  concat,
  crlDistributionPointsValue,
  dn,
  explicit,
  extKeyUsageValue,
  generalNamesValue,
  genTime,
  gnDirectoryName,
  gnDns,
  gnEdiParty,
  gnEmail,
  gnIp,
  gnOtherName,
  gnRegisteredId,
  gnUri,
  gnX400,
  ia5,
  implicit,
  int,
  keyIdentifier,
  keyUsageValue,
  makePkcs7,
  malformedCertificates,
  namedBits,
  octet,
  oid,
  OID_UPN,
  OIDS,
  printable,
  pssParams,
  seq,
  set,
  setUnsorted,
  subjectKeyIdentifierValue,
  tlv,
  toIndefinite,
  toPem,
  unsignedIntegerContent,
  utcTime,
  utf8,
  type ExtensionSpec,
  type KeyUsageName,
} from '../fixtures/der-builder.ts';
import { Rng } from './rng.ts';

/** The time every check of the harness is made at (fixed: findings must not depend on the day). */
export const FUZZ_NOW = new Date(Date.UTC(2026, 5, 1));

export interface LabelledBytes {
  readonly label: string;
  readonly der: Uint8Array;
}

export interface SeedSet {
  /** Certificates, valid and catalogued-malformed, as DER. */
  readonly certificates: readonly LabelledBytes[];
  /** PKCS#7 certs-only bundles (DER, one BER). */
  readonly pkcs7: readonly LabelledBytes[];
  /** PEM and base64 texts: single certificates, bundles, odd layouts, non-certificate blocks. */
  readonly pem: readonly string[];
  /** JSON bodies: create and update payloads and GET answers. */
  readonly payloads: readonly string[];
  /** Distinguished names in every text form the parser reads. */
  readonly dns: readonly string[];
  readonly ips: readonly string[];
  /** Graph answer bodies, Retry-After values and access tokens. */
  readonly graph: readonly string[];
  /** The parsed root, intermediate and device (for identity matching). */
  readonly root: Uint8Array;
  readonly intermediate: Uint8Array;
  readonly device: Uint8Array;
}

// ---------------------------------------------------------------------------------------------
// Deterministic keys and signers
// ---------------------------------------------------------------------------------------------

function ed25519Key(n: number): KeyObject {
  const prefix = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
  return createPrivateKey({ key: Buffer.from(concat(prefix, new Rng(n).bytes(32))), format: 'der', type: 'pkcs8' });
}

function ed448Key(n: number): KeyObject {
  const prefix = Uint8Array.from([0x30, 0x47, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x71, 0x04, 0x3b, 0x04, 0x39]);
  return createPrivateKey({ key: Buffer.from(concat(prefix, new Rng(n).bytes(57))), format: 'der', type: 'pkcs8' });
}

/** The SPKI of an EC key with a fixed private scalar (SEC 1 ECPrivateKey without its public key; OpenSSL derives it). */
function ecSpki(curve: 'P-256' | 'P-384', n: number): Uint8Array {
  const size = curve === 'P-256' ? 32 : 48;
  const d = new Rng(n).bytes(size);
  d[0] = (d[0]! & 0x3f) | 0x01;
  const curveOid = curve === 'P-256' ? '1.2.840.10045.3.1.7' : '1.3.132.0.34';
  const sec1 = seq(int(1), octet(d), explicit(0, oid(curveOid)));
  const key = createPrivateKey({ key: Buffer.from(sec1), format: 'der', type: 'sec1' });
  return spkiOfKey(key);
}

function spkiOfKey(key: KeyObject): Uint8Array {
  return new Uint8Array(createPublicKey(key).export({ type: 'spki', format: 'der' }));
}

/** An RSA SubjectPublicKeyInfo with a fixed odd modulus of `bitLength` bits (public only). */
function rsaSpki(bitLength: number, n: number, pss = false): Uint8Array {
  const m = new Rng(n).bytes(bitLength / 8);
  m[0]! |= 0x80;
  m[m.length - 1]! |= 0x01;
  const key = seq(int(unsignedIntegerContent(m)), int(65537));
  return seq(pss ? algId(OIDS.rsassaPss) : algId(OIDS.rsaEncryption, null), bits(key));
}

interface Signer {
  readonly algorithm: Uint8Array;
  sign(tbs: Uint8Array): Uint8Array;
}

function edSigner(key: KeyObject, ed448 = false): Signer {
  return { algorithm: algId(ed448 ? OIDS.ed448 : OIDS.ed25519), sign: (tbs) => new Uint8Array(nodeSign(null, tbs, key)) };
}

function digest(data: Uint8Array, n: number): Uint8Array {
  const out: Uint8Array[] = [];
  for (let i = 0; out.length * 32 < n; i++) out.push(new Uint8Array(createHash('sha256').update(data).update(String(i)).digest()));
  return concat(...out).subarray(0, n);
}

/** A well-formed ECDSA-Sig-Value made from a hash of the TBS: it does not verify. */
function fakeEcdsaSigner(algorithmOid: string, size: number): Signer {
  return {
    algorithm: algId(algorithmOid),
    sign: (tbs) => seq(int(unsignedIntegerContent(digest(tbs, size))), int(unsignedIntegerContent(digest(concat(tbs, Uint8Array.of(1)), size)))),
  };
}

/** RSA signature bytes made from a hash of the TBS: the right size, and they do not verify. */
function fakeRsaSigner(algorithm: Uint8Array, modulusBytes: number): Signer {
  return { algorithm, sign: (tbs) => digest(tbs, modulusBytes) };
}

// ---------------------------------------------------------------------------------------------
// Certificates
// ---------------------------------------------------------------------------------------------

interface Party {
  readonly name: Uint8Array;
  readonly spki: Uint8Array;
  readonly signer: Signer;
}

interface CertSpec {
  readonly subject: Party;
  readonly issuer?: Party;
  readonly serial?: number | Uint8Array;
  readonly notBefore?: Date | Uint8Array;
  readonly notAfter?: Date | Uint8Array;
  readonly version?: number;
  readonly extensions?: readonly ExtensionSpec[];
  readonly ski?: boolean;
  readonly aki?: boolean;
  readonly issuerUniqueId?: Uint8Array;
  readonly subjectUniqueId?: Uint8Array;
}

const KEY_CA: readonly KeyUsageName[] = ['keyCertSign', 'cRLSign'];
const KEY_DEVICE: readonly KeyUsageName[] = ['digitalSignature', 'keyEncipherment'];

function makeCert(spec: CertSpec): Uint8Array {
  const issuer = spec.issuer ?? spec.subject;
  const version = spec.version ?? 3;
  const exts: ExtensionSpec[] = [];
  if (version === 3) {
    if (spec.ski !== false) exts.push({ oid: OIDS.subjectKeyIdentifier, value: subjectKeyIdentifierValue(keyIdentifier(spec.subject.spki)) });
    if (spec.aki !== false) exts.push({ oid: OIDS.authorityKeyIdentifier, value: authorityKeyIdentifierValue({ keyIdentifier: keyIdentifier(issuer.spki) }) });
    exts.push(...(spec.extensions ?? []));
  }
  const tbs = buildTbsCertificate({
    version,
    serialNumber: spec.serial ?? 0x1234,
    signatureAlgorithm: issuer.signer.algorithm,
    issuer: issuer.name,
    notBefore: spec.notBefore ?? new Date(Date.UTC(2024, 0, 1)),
    notAfter: spec.notAfter ?? new Date(Date.UTC(2034, 0, 1)),
    subject: spec.subject.name,
    spki: spec.subject.spki,
    ...(spec.issuerUniqueId === undefined ? {} : { issuerUniqueId: spec.issuerUniqueId }),
    ...(spec.subjectUniqueId === undefined ? {} : { subjectUniqueId: spec.subjectUniqueId }),
    ...(version === 3 && exts.length > 0 ? { extensions: exts } : {}),
  });
  return seq(tbs, issuer.signer.algorithm, bits(issuer.signer.sign(tbs)));
}

const bc = (ca: boolean, pathLen?: number): ExtensionSpec => ({ oid: OIDS.basicConstraints, critical: true, value: basicConstraintsValue(ca, pathLen) });
const ku = (usages: readonly KeyUsageName[]): ExtensionSpec => ({ oid: OIDS.keyUsage, critical: true, value: keyUsageValue(usages) });
const eku = (purposes: readonly string[]): ExtensionSpec => ({ oid: OIDS.extKeyUsage, value: extKeyUsageValue(purposes) });
const san = (names: readonly Uint8Array[], critical = false): ExtensionSpec => ({ oid: OIDS.subjectAltName, critical, value: generalNamesValue(names) });

const DEVICE_ID = '6f2d4e1a-0b3c-4d5e-8f90-a1b2c3d4e5f6';

function buildCertificates(): { list: LabelledBytes[]; root: Uint8Array; intermediate: Uint8Array; device: Uint8Array } {
  const rootKey = ed25519Key(101);
  const root: Party = { name: dn([['C', 'US'], ['O', 'Contoso Ltd'], ['CN', 'Contoso Root CA']]), spki: spkiOfKey(rootKey), signer: edSigner(rootKey) };
  const intermediate: Party = {
    name: dn([['C', 'US'], ['O', 'Contoso Ltd'], ['OU', 'Devices'], ['CN', 'Contoso Device CA']]),
    spki: ecSpki('P-256', 102),
    signer: fakeEcdsaSigner(OIDS.ecdsaWithSha256, 32),
  };
  const rsa: Party = {
    name: dn([
      ['DC', 'com'],
      ['DC', 'contoso'],
      ['C', 'GB', 'printable'],
      ['ST', 'Région Île', 'bmp'],
      ['L', 'Zürich', 'teletex'],
      [['O', 'Multi'], ['OU', 'Valued+RDN'], ['CN', 'Three']],
      ['CN', 'Näme, with "specials" <#>;\\', 'universal'],
      ['E', 'pki@contoso.example'],
      ['SERIALNUMBER', '12345'],
      ['UID', 'jsmith'],
    ]),
    spki: rsaSpki(2048, 103),
    signer: fakeRsaSigner(algId(OIDS.sha256WithRSAEncryption, null), 256),
  };
  const rootDer = makeCert({ subject: root, extensions: [bc(true), ku(KEY_CA)] });
  const intermediateDer = makeCert({
    subject: intermediate,
    issuer: root,
    serial: 2,
    extensions: [
      bc(true, 0),
      ku(KEY_CA),
      { oid: OIDS.crlDistributionPoints, value: crlDistributionPointsValue(['http://crl.contoso.example/root.crl']) },
      { oid: OIDS.authorityInfoAccess, value: seq(seq(oid('1.3.6.1.5.5.7.48.2'), gnUri('http://pki.contoso.example/root.cer')), seq(oid('1.3.6.1.5.5.7.48.1'), gnUri('http://ocsp.contoso.example'))) },
      { oid: OIDS.certificatePolicies, value: seq(seq(oid('2.5.29.32.0')), seq(oid('1.3.6.1.4.1.99999.1'))) },
    ],
  });
  const devicePublic = ecSpki('P-256', 104);
  const deviceDer = makeCert({
    subject: { name: dn([['CN', DEVICE_ID]]), spki: devicePublic, signer: fakeEcdsaSigner(OIDS.ecdsaWithSha256, 32) },
    issuer: intermediate,
    serial: unsignedIntegerContent(new Rng(105).bytes(16)),
    notBefore: new Date(Date.UTC(2026, 0, 1)),
    notAfter: new Date(Date.UTC(2027, 0, 1)),
    extensions: [
      ku(KEY_DEVICE),
      eku([OIDS.clientAuth]),
      san([
        gnUri(`IntuneDeviceId://${DEVICE_ID}`),
        gnDns('device-1.contoso.example'),
        gnDns('*.wild.contoso.example'),
        gnEmail('device@contoso.example'),
        gnIp('192.0.2.10'),
        gnIp('2001:db8::10'),
        gnIp('::ffff:198.51.100.7'),
        gnOtherName(OID_UPN, utf8('device@contoso.example')),
        gnDirectoryName(dn([['O', 'Contoso'], ['CN', 'Dir Name']])),
        gnRegisteredId('1.3.6.1.4.1.99999.7'),
        gnEdiParty('party', 'assigner'),
        gnX400(seq(printable('x'))),
        gnUri('urn:uuid:6f2d4e1a-0b3c-4d5e-8f90-a1b2c3d4e5f6'),
        gnUri('HTTPS://User@Host.Example:8443/p?q#f'),
      ]),
    ],
  });

  const ed448 = ed448Key(106);
  const ed448Party: Party = { name: dn([['CN', 'Ed448 Root']]), spki: spkiOfKey(ed448), signer: edSigner(ed448, true) };
  const p384: Party = { name: dn([['O', 'P-384 CA'], ['CN', 'P-384 CA']]), spki: ecSpki('P-384', 107), signer: fakeEcdsaSigner(OIDS.ecdsaWithSha384, 48) };
  const pss: Party = {
    name: dn([['CN', 'PSS CA']]),
    spki: rsaSpki(3072, 108, true),
    signer: fakeRsaSigner(algId(OIDS.rsassaPss, pssParams('SHA-384')), 384),
  };
  const weak: Party = { name: dn([['CN', 'Weak RSA']]), spki: rsaSpki(1024, 109), signer: fakeRsaSigner(algId(OIDS.sha1WithRSAEncryption, null), 128) };
  const v1Key = ed25519Key(110);
  const v1: Party = { name: dn([['CN', 'Version One']]), spki: spkiOfKey(v1Key), signer: edSigner(v1Key) };
  const emptySubject: Party = { name: seq(), spki: ecSpki('P-256', 111), signer: intermediate.signer };

  const list: LabelledBytes[] = [
    { label: 'root-ed25519', der: rootDer },
    { label: 'intermediate-p256', der: intermediateDer },
    { label: 'device-p256-all-san-types', der: deviceDer },
    { label: 'rsa-root-rich-names', der: makeCert({ subject: rsa, serial: unsignedIntegerContent(new Rng(112).bytes(20)), extensions: [bc(true, 3), ku([...KEY_CA, 'digitalSignature'])] }) },
    { label: 'ed448-root', der: makeCert({ subject: ed448Party, extensions: [bc(true), ku(KEY_CA)] }) },
    { label: 'p384-intermediate', der: makeCert({ subject: p384, issuer: root, extensions: [bc(true), ku(KEY_CA), eku([OIDS.clientAuth, OIDS.serverAuth, OIDS.anyExtendedKeyUsage])] }) },
    { label: 'rsa-pss', der: makeCert({ subject: pss, extensions: [bc(true), ku(KEY_CA)] }) },
    { label: 'rsa-1024-sha1', der: makeCert({ subject: weak, issuer: pss, notBefore: new Date(Date.UTC(2020, 0, 1)), notAfter: new Date(Date.UTC(2026, 5, 15)) }) },
    { label: 'v1', der: makeCert({ subject: v1, version: 1 }) },
    { label: 'v2-unique-ids', der: makeCert({ subject: v1, version: 2, issuerUniqueId: Uint8Array.of(1, 2), subjectUniqueId: Uint8Array.of(3) }) },
    { label: 'generalized-times', der: makeCert({ subject: v1, notBefore: genTime('19491231235959Z'), notAfter: genTime('20500101000000Z'), extensions: [bc(true)] }) },
    { label: 'utc-boundaries', der: makeCert({ subject: v1, notBefore: utcTime('500101000000Z'), notAfter: utcTime('491231235959Z') }) },
    { label: 'empty-subject-critical-san', der: makeCert({ subject: emptySubject, issuer: intermediate, extensions: [san([gnDns('only.san.example'), gnIp('10.0.0.1')], true), eku([OIDS.clientAuth])] }) },
    {
      label: 'many-extensions',
      der: makeCert({
        subject: { ...v1, name: dn([['CN', 'Many Extensions'], ['OU', ' padded '], ['O', '#hash'], ['L', '']]) },
        extensions: [
          bc(false),
          ku(['digitalSignature', 'decipherOnly']),
          { oid: OIDS.nameConstraints, critical: true, value: seq(implicit(0, seq(seq(implicit(2, ia5('contoso.example')))))) },
          { oid: '1.3.6.1.4.1.99999.42', critical: true, value: utf8('unknown critical') },
          { oid: '1.3.6.1.4.1.311.20.2', value: bmp('Machine') },
          { oid: OIDS.issuerAltName, value: generalNamesValue([gnEmail('ca@contoso.example')]) },
          { oid: OIDS.keyUsage, value: keyUsageValue(['keyCertSign']) },
          { oid: OIDS.crlDistributionPoints, value: seq(seq(explicit(0, implicit(1, set(atv(['CN', 'relative'])))), implicit(1, namedBits([1, 2, 8])))) },
        ],
      }),
    },
    { label: 'unsorted-rdn-and-string-kinds', der: makeCert({ subject: { ...v1, name: seq(setUnsorted(atv(['OU', 'z']), atv(['CN', 'a'])), set(atv(['CN', 'ü', 'universal'])), set(atv(['2.5.4.97', 'VATGB-123', 'printable']))) } }) },
  ];
  const malformed = malformedCertificates(ed25519Key(120));
  for (const [kind, der] of Object.entries(malformed)) list.push({ label: `malformed-${kind}`, der });
  return { list, root: rootDer, intermediate: intermediateDer, device: deviceDer };
}

// ---------------------------------------------------------------------------------------------
// Texts
// ---------------------------------------------------------------------------------------------

/** The marker that fills private-key bodies: no message may ever show it. */
export const SECRET_MARKER = 'SECRETKEYMATERIAL';

function secretBody(lines: number): string {
  return Array.from({ length: lines }, () => `${SECRET_MARKER}${SECRET_MARKER}${SECRET_MARKER}0123456789ab`.slice(0, 64)).join('\n');
}

function buildPem(certs: readonly LabelledBytes[], bundle: Uint8Array, root: Uint8Array, intermediate: Uint8Array, device: Uint8Array): string[] {
  const b64 = (d: Uint8Array): string => encodeBase64(d);
  const chain = [device, intermediate, root];
  const out: string[] = [
    toPem(root),
    chain.map((d) => toPem(d)).join(''),
    chain.map((d) => toPem(d, 'CERTIFICATE', { eol: '\r\n' })).join('\r\n'),
    `\ufeff${toPem(intermediate)}`,
    toPem(root, 'CERTIFICATE', { lineLength: 76 }) + toPem(device, 'CERTIFICATE', { lineLength: 17 }),
    // openssl s_client -showcerts
    `CONNECTED(00000003)\ndepth=1 C = US, O = Contoso Ltd, CN = Contoso Device CA\n---\nCertificate chain\n 0 s:CN = device\n   i:CN = ca\n${toPem(device)} 1 s:CN = ca\n${toPem(intermediate)}---\nServer certificate\nsubject=CN = device\n`,
    `subject=CN = Contoso Root CA\nissuer=CN = Contoso Root CA\n\n${toPem(root)}\nBag Attributes\n    localKeyID: 01 00 00 00\n${toPem(intermediate)}`,
    toPem(bundle, 'PKCS7'),
    toPem(bundle, 'CMS') + toPem(bundle, 'CERTIFICATE'),
    toPem(root, 'X509 CERTIFICATE') + toPem(root, 'TRUSTED CERTIFICATE'),
    `-----BEGIN PRIVATE KEY-----\n${secretBody(3)}\n-----END PRIVATE KEY-----\n${toPem(root)}`,
    `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n${secretBody(2)}\n-----END RSA PRIVATE KEY-----\n`,
    `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${secretBody(2)}\n-----END ENCRYPTED PRIVATE KEY-----\n${toPem(intermediate)}-----BEGIN EC PRIVATE KEY-----\n${secretBody(1)}\n-----END EC PRIVATE KEY-----\n`,
    toPem(root, 'CERTIFICATE REQUEST') + toPem(root, 'X509 CRL') + toPem(root, 'PUBLIC KEY') + toPem(root, 'SOMETHING ELSE'),
    `-----BEGIN CERTIFICATE-----\nProc-Type: 4,CRL\n\n${b64(root)}\n-----END CERTIFICATE-----\n`,
    `-----BEGIN CERTIFICATE-----\n${b64(root)}\n-----END CERTIFICATE-----`,
    `  \t-----BEGIN CERTIFICATE-----  \n ${b64(intermediate).replace(/(.{64})/g, '$1 \n\t')}\n-----END CERTIFICATE-----\t\n`,
    b64(root),
    b64(device).replace(/(.{76})/g, '$1\r\n'),
    b64(bundle),
    `-----BEGIN CERTIFICATE-----\n${b64(root)}\n-----BEGIN CERTIFICATE-----\n${b64(device)}\n-----END CERTIFICATE-----\n-----END CERTIFICATE-----\n`,
  ];
  for (const c of certs.slice(0, 12)) out.push(toPem(c.der));
  return out;
}

function buildPayloads(root: Uint8Array, intermediate: Uint8Array, device: Uint8Array, others: readonly LabelledBytes[]): string[] {
  const create = buildCreate(
    {
      displayName: 'Contoso devices',
      tlsClientAuthParameter: 'tls_client_auth_san_uri',
      certificateAuthorities: [{ certificate: root }, { certificate: intermediate, certificateRevocationListUrl: 'http://crl.contoso.example/root.crl' }],
    },
    { now: FUZZ_NOW },
  ).body;
  const current = {
    '@odata.context': 'https://graph.microsoft.com/beta/$metadata#directory/certificateAuthorities/mutualTlsOauthConfigurations/$entity',
    id: '11111111-2222-3333-4444-555555555555',
    deletedDateTime: null,
    displayName: 'Contoso devices',
    tlsClientAuthParameter: 'tls_client_auth_subject_dn',
    certificateAuthorities: [
      { isRootAuthority: true, certificate: encodeBase64(root), issuer: 'CN=Contoso Root CA, O=Contoso Ltd, C=US', issuerSki: 'AB', certificateRevocationListUrl: null, deltaCertificateRevocationListUrl: null },
    ],
  };
  const update = buildUpdate(current, { add: [{ certificate: intermediate }], displayName: 'Renamed' }, { now: FUZZ_NOW }).body;
  const many = {
    tlsClientAuthParameter: 'tls_client_auth_subject_dn',
    certificateAuthorities: others.slice(0, 8).map((c, i) => ({ certificate: encodeBase64(c.der), isRootAuthority: i % 2 === 0 })),
  };
  return [
    JSON.stringify(create),
    JSON.stringify(create, null, 2),
    JSON.stringify(update),
    JSON.stringify(current),
    JSON.stringify(many),
    JSON.stringify({ '@odata.type': '#microsoft.graph.mutualTlsOauthConfiguration', displayName: 'x', tlsClientAuthParameter: 'unknownFutureValue', certificateAuthorities: [{ '@odata.type': '#microsoft.graph.certificateAuthority', certificate: encodeBase64(device), isRootAuthority: false, 'certificate@odata.mediaEditLink': 'x' }] }),
    JSON.stringify({ displayName: null, certificateAuthorities: null }),
    JSON.stringify({ tlsClientAuthParameter: 'tls_client_auth_san_dns', certificateAuthorities: [] }),
    JSON.stringify({ certificateAuthorities: [{ certificate: toPem(root), isRootAuthority: true }, { certificate: `-----BEGIN PRIVATE KEY-----\n${secretBody(1)}\n-----END PRIVATE KEY-----`, isRootAuthority: false }] }),
    '{}',
    '[]',
    '{"displayName": "a", "displayName": "b"}',
  ];
}

const DN_SEEDS: readonly string[] = [
  'CN=Test',
  'CN=Steve Kille,O=Isode Limited,C=GB',
  'OU=Sales+CN=J. Smith,DC=example,DC=net',
  'CN=James \\"Jim\\" Smith\\, III,DC=example,DC=net',
  'CN=Before\\0dAfter,DC=example,DC=net',
  '1.3.6.1.4.1.1466.0=#04024869',
  'CN=Lu\\C4\\8Di\\C4\\87',
  'UID=jsmith,DC=example,DC=net',
  'CN=\\ leading and trailing\\ ,O=x',
  'CN=\\#hash,O=a\\+b\\;c\\<d\\>e\\\\f',
  'CN=emoji 😀,O=日本語,L=Zürich,ST=Île',
  'E=admin@contoso.example, CN=Contoso Root CA, O=Contoso Ltd, S=WA, C=US',
  'CN="Quoted, Value", O="Say ""hi""", OU=""',
  'CN=x + OU=y, O=z',
  'C = US, O = Example, CN = x',
  '/C=US/O=Example Org/CN=x+OU=y',
  'CN=a;O=b;C=c',
  'OID.2.5.4.3=dotted, OID.1.2.840.113549.1.9.1=a@b',
  '2.5.4.3=#0c0461626364,2.5.4.6=#13025553',
  'CN=#1e0400e40041,O=#1c0000000041',
  'SERIALNUMBER=123, G=Given, SN=Surname, T=Title, I=JS, DC=com',
  'organizationIdentifier=VATGB-123,jurisdictionC=GB,businessCategory=Private Organization',
  'TPMManufacturer=id:414D4400, TPMModel=AMD, TPMVersion=id:00030001',
  'CN=\\00\\01\\1f\\7f',
  'CN=ß,CN=İ,CN=ﬁ',
  'cn=lower,commonName=long,oU=mixed',
  '',
  '   ',
  'CN=',
  'CN=a+CN=a+CN=b',
  'CN=tab\there,O=new\nline',
];

const IP_SEEDS: readonly string[] = [
  '192.0.2.1',
  '0.0.0.0',
  '255.255.255.255',
  '10.1.2.3',
  '::',
  '::1',
  '1::',
  '2001:db8::1',
  '2001:DB8:0:0:8:800:200C:417A',
  '2001:db8:0:0:1:0:0:1',
  'fe80::1%eth0',
  '::ffff:192.0.2.128',
  '::192.0.2.1',
  '64:ff9b::192.0.2.33',
  '1:2:3:4:5:6:7:8',
  '1:2:3:4:5:6:1.2.3.4',
  '1:2:3:4:5:6:7::',
  '::2:3:4:5:6:7:8',
  '0:0:0:0:0:0:0:0',
  'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  '01.2.3.4',
  '[::1]',
  '10.0.0.0/8',
  ' 1.2.3.4',
  '1.2.3',
  '1.2.3.4.5',
  '256.1.1.1',
  '1:2:3:4:5:6:7:8:9',
  '1::2::3',
  'a:b:c:d:e:f:0:1',
  '0000:0000:0000:0000:0000:0000:0000:0001',
];

function base64url(text: string): string {
  return encodeBase64(new TextEncoder().encode(text)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function buildGraph(): string[] {
  const jwt = (claims: unknown): string => `${base64url('{"alg":"RS256","typ":"JWT"}')}.${base64url(JSON.stringify(claims))}.c2lnbmF0dXJl`;
  return [
    JSON.stringify({ error: { code: 'Request_BadRequest', message: 'Invalid value specified for property certificate.', innerError: { date: '2026-06-01T00:00:00', 'request-id': 'a', 'client-request-id': 'b' } } }),
    JSON.stringify({ error: { code: 'Directory_ConcurrencyViolation', message: 'x', innererror: { 'request-id': 1 } } }),
    JSON.stringify({ value: [{ id: '1', tlsClientAuthParameter: 'tls_client_auth_san_uri', certificateAuthorities: [] }], '@odata.nextLink': 'https://graph.microsoft.com/beta/next' }),
    JSON.stringify({ id: '1', displayName: 'x', tlsClientAuthParameter: 'tls_client_auth_subject_dn', certificateAuthorities: [] }),
    '120',
    'Wed, 21 Oct 2026 07:28:00 GMT',
    'Sun Nov  6 08:49:37 1994',
    'Sunday, 06-Nov-94 08:49:37 GMT',
    jwt({ aud: 'https://graph.microsoft.com', scp: 'MutualTlsOauthConfiguration.ReadWrite.All User.Read', exp: 1780000000, tid: 'x' }),
    jwt({ aud: '00000003-0000-0000-c000-000000000000', roles: ['MutualTlsOauthConfiguration.Read.All', 5], exp: 1, tid: '9188040d-6c67-4c5b-b112-36a304b66dad', idp: 'live.com' }),
    jwt({ aud: 'https://graph.microsoft.us/' }),
    'opaque-token',
    "displayName eq 'Contoso'",
  ];
}

let cached: SeedSet | undefined;

/** The seeds (built once per process; about 100 ms). */
export function seeds(): SeedSet {
  if (cached !== undefined) return cached;
  const { list, root, intermediate, device } = buildCertificates();
  const valid = list.filter((c) => !c.label.startsWith('malformed-') || c.label === 'malformed-valid');
  const bundle = makePkcs7([device, intermediate, root]).der;
  const pkcs7: LabelledBytes[] = [
    { label: 'chain', der: bundle },
    { label: 'single', der: makePkcs7([root]).der },
    { label: 'empty', der: makePkcs7([]).der },
    { label: 'with-crl', der: makePkcs7([intermediate], { crls: [seq(seq(int(1), algId(OIDS.sha256WithRSAEncryption, null)))] }).der },
    { label: 'many', der: makePkcs7(valid.map((c) => c.der)).der },
    { label: 'other-choices', der: makePkcs7([tlv(0xa1, seq(int(2))), root, tlv(0xa3, seq(oid('1.2.3'), int(0)))]).der },
    { label: 'ber-indefinite', der: toIndefinite(bundle) },
    { label: 'not-signed-data', der: seq(oid('1.2.840.113549.1.7.1'), explicit(0, octet(Uint8Array.of(1, 2, 3)))) },
  ];
  // Names as the core writes them, fed back to its parser.
  const names: string[] = [];
  for (const c of valid) {
    try {
      const cert = parseCertificate(c.der);
      names.push(formatRfc4514(cert.subject), formatDotNet(cert.subject));
    } catch {
      // A seed that does not parse gives no name.
    }
  }
  cached = {
    certificates: list,
    pkcs7,
    pem: buildPem(valid, bundle, root, intermediate, device),
    payloads: buildPayloads(root, intermediate, device, valid),
    dns: [...DN_SEEDS, ...names],
    ips: IP_SEEDS,
    graph: buildGraph(),
    root,
    intermediate,
    device,
  };
  return cached;
}
