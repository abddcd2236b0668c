// Tests of checkPayload (payload/check.ts): every PAYLOAD_* rule of checks/rules.ts has a
// body that fires it and one that does not, with the JSON path it names (`ref`) and, for what
// Graph answers with a 400, the reproduced error body ({error:{code,message}}, spec/graph-api.md
// §3). The CA checks reach through to each `certificate`; hostile JSON (prototype keys, wrong
// kinds, deep nesting, oversized bodies) ends in findings or in a thrown limit error, never in a
// polluted prototype or a leaked private key. The docs' example payloads are judged as the spec
// (§1.7, §2.1, §7) says.

import type { KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Finding, GraphErrorBody } from '../../src/checks/finding.ts';
import {
  GRAPH_CERTIFICATE_ERROR,
  GRAPH_INVALID_JSON_ERROR,
  GRAPH_INVALID_VALUES_ERROR,
  graphConversionError,
  graphNullError,
  graphUnresolvedTypeError,
  graphUnexpectedNodeError,
  graphUnknownPropertyError,
} from '../../src/checks/graph-errors.ts';
import { getRule, RULES, type RuleCode } from '../../src/checks/rules.ts';
import { decodeBase64, decodeBase64Lenient } from '../../src/encoding/base64.ts';
import { GraphMtlsError } from '../../src/errors.ts';
import { checkPayload, DEFAULT_PAYLOAD_LIMITS, type PayloadCheckOptions, type PayloadKind } from '../../src/payload/check.ts';
import { parseCertificate } from '../../src/x509/certificate.ts';
import {
  ecPrivateKeyDer,
  getKey,
  makeCrl,
  makeCsr,
  makeDeviceCert,
  makeIntermediateCa,
  makePkcs7,
  makeRootCa,
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
const OPTIONS: PayloadCheckOptions = { now: NOW };
const PARAM = 'tls_client_auth_san_uri';
const CONFIG_TYPE = 'microsoft.graph.mutualTlsOauthConfiguration';
const CA_TYPE = 'microsoft.graph.certificateAuthority';

const validity: CertificateOptions = { notBefore: NOT_BEFORE, notAfter: NOT_AFTER };

const root = await makeRootCa({ ...validity, key: 'p256', subject: 'CN=Check Root, O=graph-mtls tests, C=US' });
const inter = await makeIntermediateCa(root, { ...validity, key: await getKey('p256', 1) });
const root2 = await makeRootCa({ ...validity, key: await getKey('p256', 2), subject: 'CN=Check Root 2, O=graph-mtls tests, C=US' });
const inter2 = await makeIntermediateCa(root2, { ...validity, key: await getKey('p256', 3) });
/** An intermediate without AKI: its issuer can only be found by DN. */
const interNoAki = await makeIntermediateCa(root, { ...validity, key: await getKey('p256', 4), authorityKeyIdentifier: 'omit' });
const interNoAki2 = await makeIntermediateCa(root2, { ...validity, key: await getKey('p256', 5), authorityKeyIdentifier: 'omit' });
/** AKI = root's SKI, but an issuer DN that names nobody in the list: found by AKI. */
const interAkiOnly = await makeIntermediateCa(root, { ...validity, key: await getKey('p256', 6), issuerName: 'CN=Somebody Else, O=Elsewhere' });
/** Issuer DN = root's subject, but an AKI that matches no SKI: the AKI decides, so not found. */
const interWrongAki = await makeIntermediateCa(root, { ...validity, key: await getKey('p256', 7), authorityKeyIdentifier: Uint8Array.from({ length: 20 }, (_, i) => i + 1) });
/** Two different roots sharing one SKI. */
const sharedSki = Uint8Array.from({ length: 20 }, (_, i) => 0xc0 + i);
const skiTwinA = await makeRootCa({ ...validity, key: await getKey('p256', 8), subject: 'CN=Twin A', subjectKeyIdentifier: sharedSki });
const skiTwinB = await makeRootCa({ ...validity, key: await getKey('p256', 9), subject: 'CN=Twin B', subjectKeyIdentifier: sharedSki });
// A root whose base64 ends in '=' padding (DER lengths vary with the generated keys), so a padding bit can be set.
let paddedRoot = await makeRootCa({ ...validity, key: await getKey('p256', 40) });
for (let slot = 41; paddedRoot.der.length % 3 === 0; slot++) paddedRoot = await makeRootCa({ ...validity, key: await getKey('p256', slot) });
const expiredRoot = await makeRootCa({ key: await getKey('p256', 10), notBefore: new Date(Date.UTC(2015, 0, 1)), notAfter: new Date(Date.UTC(2020, 0, 1)) });
const endEntity = await makeDeviceCert(inter, { ...validity, key: await getKey('p256', 11), basicConstraints: { ca: false, critical: true } });
const rsaRoot = await makeRootCa({ ...validity, subject: 'CN=Check Root RSA, O=graph-mtls tests, C=US' });

const b64 = (der: Uint8Array): string => Buffer.from(der).toString('base64');

interface CaEntry {
  certificate?: unknown;
  isRootAuthority?: unknown;
  [key: string]: unknown;
}

function ca(g: GeneratedCertificate, isRootAuthority: boolean, extra: Record<string, unknown> = {}): CaEntry {
  return { certificate: b64(g.der), isRootAuthority, ...extra };
}

/** A clean create body: a root and its intermediate. */
function cleanCreate(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { displayName: 'Check payload', tlsClientAuthParameter: PARAM, certificateAuthorities: [ca(root, true), ca(inter, false)], ...extra };
}

function check(json: unknown, kind: PayloadKind = 'create', options: PayloadCheckOptions = OPTIONS): Finding[] {
  return checkPayload(json, kind, options);
}

function withCode(findings: readonly Finding[], code: string): Finding[] {
  return findings.filter((f) => f.code === code);
}

function refsOf(findings: readonly Finding[], code: string): (string | undefined)[] {
  return withCode(findings, code).map((f) => f.ref);
}

function codes(findings: readonly Finding[]): RuleCode[] {
  return findings.map((f) => f.code);
}

/** The one finding of `code`; fails when there is none or several. */
function one(findings: readonly Finding[], code: string): Finding {
  const found = withCode(findings, code);
  expect(found, `${code} in ${JSON.stringify(codes(findings))}`).toHaveLength(1);
  return found[0]!;
}

function expectGraphErrorShape(body: GraphErrorBody | undefined): void {
  expect(body).toBeTypeOf('object');
  expect(Object.keys(body!)).toEqual(['error']);
  expect(typeof body!.error.code).toBe('string');
  expect(typeof body!.error.message).toBe('string');
  expect(body!.error.code.length).toBeGreaterThan(0);
  expect(body!.error.message.length).toBeGreaterThan(0);
}

/**
 * No run of `secret` appears in `text`: 8 bytes as hex, or 9 bytes as base64 at any of the three
 * alignments. Runs start at `from` (8 skips the DER header of a whole key file, which is the
 * same for every key of a kind; 0 for a bare secret such as an EC private scalar).
 */
function expectNoKeyMaterial(text: string, secret: Uint8Array, name: string, from = 8): void {
  for (let i = from; i + 8 <= secret.length; i += 2) {
    expect(text.toLowerCase().includes(Buffer.from(secret.subarray(i, i + 8)).toString('hex')), `${name}: hex run at ${i}`).toBe(false);
  }
  for (let shift = 0; shift < 3; shift++) {
    const b = Buffer.from(secret.subarray(from + shift)).toString('base64');
    for (let i = 0; i + 12 <= b.length - 4; i += 4) expect(text.includes(b.slice(i, i + 12)), `${name}: base64 run at ${from + shift}/${i}`).toBe(false);
  }
}

/** The secret part of an EC key: the private scalar d (RFC 5915 privateKey OCTET STRING). */
function ecScalar(key: KeyObject): Uint8Array {
  return new Uint8Array(Buffer.from(key.export({ format: 'jwk' }).d!, 'base64url'));
}

/** The secret part of an RSA key: the private exponent d (RFC 8017 §3.2). */
function rsaExponent(key: KeyObject): Uint8Array {
  return new Uint8Array(Buffer.from(key.export({ format: 'jwk' }).d!, 'base64url'));
}

function nested(depth: number, open = '[', close = ']', inner = ''): string {
  return open.repeat(depth) + inner + close.repeat(depth);
}

// ---------------------------------------------------------------------------------------------
// Baseline
// ---------------------------------------------------------------------------------------------

describe('checkPayload: baseline', () => {
  it('a clean create body gives no findings, as an object, JSON text or UTF-8 bytes (with or without BOM)', () => {
    const text = JSON.stringify(cleanCreate());
    const bytes = new TextEncoder().encode(text);
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]);
    for (const form of [cleanCreate(), text, bytes, bom]) expect(check(form)).toEqual([]);
  });

  it('a clean update body gives no findings', () => {
    expect(check({ certificateAuthorities: [ca(root, true), ca(inter, false)] }, 'update')).toEqual([]);
    expect(check({ displayName: 'Renamed' }, 'update')).toEqual([]);
    expect(check({}, 'update')).toEqual([]);
  });

  it('an unknown kind is a thrown ERR_INVALID_ARGUMENT', () => {
    expect(errorOf(() => checkPayload(cleanCreate(), 'patch' as PayloadKind, OPTIONS)).code).toBe('ERR_INVALID_ARGUMENT');
  });

  it('the source option names the body in every finding location', () => {
    const findings = check({ tlsClientAuthParameter: PARAM, certificateAuthorities: [] }, 'create', { now: NOW, source: 'body.json' });
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(f.location).toEqual({ source: 'body.json' });
  });

  it('every finding of a rule that rejects carries a Graph error body', () => {
    const rejecting = new Set(RULES.filter((r) => r.rejects).map((r) => r.code));
    const messy = {
      tlsClientAuthParameter: 'unknownFutureValue',
      displayName: 5,
      bogus: 1,
      certificateAuthorities: [
        { '@odata.type': CA_TYPE },
        { certificate: '-----BEGIN CERTIFICATE-----', isRootAuthority: 'yes' },
        { certificate: null, isRootAuthority: null, issuerSubjectkeyIdentifier: 'SKI' },
        [1],
        ca(expiredRoot, true),
      ],
    };
    const findings = check(messy);
    expect(findings.some((f) => rejecting.has(f.code))).toBe(true);
    for (const f of findings) {
      if (rejecting.has(f.code)) expectGraphErrorShape(f.graphError);
      expect(getRule(f.code).code).toBe(f.code);
      expect(f.severity).toBe(getRule(f.code).severity);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// One rule at a time
// ---------------------------------------------------------------------------------------------

describe('PAYLOAD_INVALID_JSON', () => {
  it('fires for text that is not JSON', () => {
    for (const text of ['{', '', 'not json', "{'a':1}", '{"a":1,}', '{"a":1} trailing']) {
      const findings = check(text);
      expect(findings).toHaveLength(1);
      const f = findings[0]!;
      expect(f.code).toBe('PAYLOAD_INVALID_JSON');
      expect(f.severity).toBe('error');
      expect(f.ref).toBe('$');
      expect(f.graphError).toEqual(GRAPH_INVALID_JSON_ERROR);
      expectGraphErrorShape(f.graphError);
    }
  });

  it('fires for bytes that are not UTF-8', () => {
    for (const bytes of [new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), new Uint8Array([0x7b, 0x22, 0xc3, 0x22, 0x7d]), new Uint8Array([0xed, 0xa0, 0x80])]) {
      expect(codes(check(bytes))).toEqual(['PAYLOAD_INVALID_JSON']);
    }
  });

  it('does not fire for JSON text or bytes, nor for a value already parsed', () => {
    expect(codes(check(JSON.stringify(cleanCreate())))).not.toContain('PAYLOAD_INVALID_JSON');
    expect(codes(check(new TextEncoder().encode(JSON.stringify({ displayName: 'Ünïcødé 🔐' })), 'update'))).toEqual([]);
    expect(codes(check(cleanCreate()))).not.toContain('PAYLOAD_INVALID_JSON');
  });
});

describe('PAYLOAD_NOT_AN_OBJECT', () => {
  it('fires for an array, string, number, boolean or null body (value or JSON text)', () => {
    const cases: readonly (readonly [unknown, string])[] = [
      [[], 'StartArray'],
      ['[1,2]', 'StartArray'],
      [[cleanCreate()], 'StartArray'],
      ['"a string"', 'PrimitiveValue'],
      ['42', 'PrimitiveValue'],
      [42, 'PrimitiveValue'],
      ['true', 'PrimitiveValue'],
      [null, 'PrimitiveValue'],
      ['null', 'PrimitiveValue'],
    ];
    for (const [body, node] of cases) {
      const findings = check(body);
      expect(findings, JSON.stringify(body)).toHaveLength(1);
      const f = findings[0]!;
      expect(f.code).toBe('PAYLOAD_NOT_AN_OBJECT');
      expect(f.ref).toBe('$');
      expectGraphErrorShape(f.graphError);
      expect(f.graphError!.error.message).toContain(`'${node}'`);
      expect(f.graphError!.error.message).toContain("'StartObject'");
    }
  });

  it('fires for an array, number, string or null as a CA entry, at its index', () => {
    const findings = check(cleanCreate({ certificateAuthorities: [ca(root, true), [ca(inter, false)], 7, 'x', null] }));
    expect(refsOf(findings, 'PAYLOAD_NOT_AN_OBJECT')).toEqual(['certificateAuthorities[1]', 'certificateAuthorities[2]', 'certificateAuthorities[3]', 'certificateAuthorities[4]']);
    const arr = withCode(findings, 'PAYLOAD_NOT_AN_OBJECT').find((f) => f.ref === 'certificateAuthorities[1]')!;
    expect(arr.graphError!.error.message).toContain("'StartArray'");
    const num = withCode(findings, 'PAYLOAD_NOT_AN_OBJECT').find((f) => f.ref === 'certificateAuthorities[2]')!;
    expect(num.graphError!.error.message).toContain("'PrimitiveValue'");
  });

  it('does not fire for objects', () => {
    expect(codes(check(cleanCreate()))).not.toContain('PAYLOAD_NOT_AN_OBJECT');
    expect(codes(check('{}', 'update'))).toEqual([]);
  });
});

describe('PAYLOAD_UNKNOWN_PROPERTY', () => {
  it('fires at top level, naming the property and the type in the Graph body', () => {
    const f = one(check(cleanCreate({ description: 'x' })), 'PAYLOAD_UNKNOWN_PROPERTY');
    expect(f.ref).toBe('description');
    expect(f.severity).toBe('error');
    expectGraphErrorShape(f.graphError);
    expect(f.graphError!.error.message).toContain("'description'");
    expect(f.graphError!.error.message).toContain(`'${CONFIG_TYPE}'`);
  });

  it('fires inside a CA: the docs issuerSubjectkeyIdentifier', () => {
    const findings = check(cleanCreate({ certificateAuthorities: [ca(root, true), ca(inter, false, { issuerSubjectkeyIdentifier: 'SKI' })] }));
    const f = one(findings, 'PAYLOAD_UNKNOWN_PROPERTY');
    expect(f.ref).toBe('certificateAuthorities[1].issuerSubjectkeyIdentifier');
    expect(f.graphError!.error.message).toContain("'issuerSubjectkeyIdentifier'");
    expect(f.graphError!.error.message).toContain(`'${CA_TYPE}'`);
  });

  it('fires for the singular certificateAuthority of the docs tables', () => {
    const body = { tlsClientAuthParameter: PARAM, certificateAuthority: [ca(root, true)] };
    const findings = check(body);
    expect(refsOf(findings, 'PAYLOAD_UNKNOWN_PROPERTY')).toEqual(['certificateAuthority']);
    expect(codes(findings)).toContain('PAYLOAD_NO_CERTIFICATE_AUTHORITIES');
  });

  it('does not fire for the declared properties, @odata.type or instance annotations', () => {
    const body = cleanCreate({
      '@odata.type': `#${CONFIG_TYPE}`,
      'displayName@odata.type': '#String',
      certificateAuthorities: [
        ca(root, true, { '@odata.type': `#${CA_TYPE}`, certificateRevocationListUrl: 'http://c/r.crl', deltaCertificateRevocationListUrl: null }),
        ca(inter, false, { 'isRootAuthority@odata.type': '#Boolean' }),
      ],
    });
    expect(check(body)).toEqual([]);
  });

  it('truncates a long property name in ref and message', () => {
    const key = 'k'.repeat(5000);
    const f = one(check(cleanCreate({ [key]: 1 })), 'PAYLOAD_UNKNOWN_PROPERTY');
    expect(f.ref!.length).toBeLessThanOrEqual(60);
    expect(JSON.stringify(f).length).toBeLessThan(2000);
  });
});

describe('PAYLOAD_READ_ONLY_PROPERTY', () => {
  it('fires for id, deletedDateTime and @odata.context at top level', () => {
    const findings = check(cleanCreate({ id: 'eec5ba11-2fc0-4113-83a2-ed986ed13cdb', deletedDateTime: null, '@odata.context': 'https://graph.microsoft.com/beta/$metadata#x' }));
    expect(refsOf(findings, 'PAYLOAD_READ_ONLY_PROPERTY').sort()).toEqual(['@odata.context', 'deletedDateTime', 'id']);
    for (const f of withCode(findings, 'PAYLOAD_READ_ONLY_PROPERTY')) expect(f.severity).toBe('warning');
    expect(codes(findings)).not.toContain('PAYLOAD_UNKNOWN_PROPERTY');
  });

  it('fires for issuer and issuerSki inside a CA', () => {
    const findings = check(cleanCreate({ certificateAuthorities: [ca(root, true, { issuer: 'CN=Check Root, O=graph-mtls tests, C=US', issuerSki: 'AB' }), ca(inter, false)] }));
    expect(refsOf(findings, 'PAYLOAD_READ_ONLY_PROPERTY').sort()).toEqual(['certificateAuthorities[0].issuer', 'certificateAuthorities[0].issuerSki']);
  });

  it('does not fire without them', () => {
    expect(codes(check(cleanCreate()))).not.toContain('PAYLOAD_READ_ONLY_PROPERTY');
  });
});

describe('PAYLOAD_WRONG_TYPE', () => {
  it('a string for isRootAuthority', () => {
    const f = one(check(cleanCreate({ certificateAuthorities: [ca(root, 'true' as unknown as boolean), ca(inter, false)] })), 'PAYLOAD_WRONG_TYPE');
    expect(f.ref).toBe('certificateAuthorities[0].isRootAuthority');
    expectGraphErrorShape(f.graphError);
    expect(f.graphError!.error.message).toContain("'Edm.Boolean'");
  });

  it('an object for certificate', () => {
    const findings = check(cleanCreate({ certificateAuthorities: [ca(root, true), { certificate: { data: b64(inter.der) }, isRootAuthority: false }] }));
    const f = one(findings, 'PAYLOAD_WRONG_TYPE');
    expect(f.ref).toBe('certificateAuthorities[1].certificate');
    expect(f.graphError!.error.message).toContain("'StartObject'");
    expect(f.graphError!.error.message).toContain("'certificate'");
    expect(codes(findings)).not.toContain('PAYLOAD_MISSING_PROPERTY');
  });

  it('a number for displayName', () => {
    const f = one(check(cleanCreate({ displayName: 42 })), 'PAYLOAD_WRONG_TYPE');
    expect(f.ref).toBe('displayName');
    expect(f.graphError!.error.message).toContain("'Edm.String'");
  });

  it('an object for certificateAuthorities', () => {
    const f = one(check(cleanCreate({ certificateAuthorities: { 0: ca(root, true) } })), 'PAYLOAD_WRONG_TYPE');
    expect(f.ref).toBe('certificateAuthorities');
    expect(f.graphError!.error.message).toContain("'StartObject'");
    expect(f.graphError!.error.message).toContain("'StartArray'");
    expect(f.graphError!.error.message).toContain("'certificateAuthorities'");
  });

  it('a number for tlsClientAuthParameter, a boolean for a CRL URL, a number for certificate', () => {
    const findings = check(cleanCreate({ tlsClientAuthParameter: 3, certificateAuthorities: [ca(root, true, { certificateRevocationListUrl: true }), { certificate: 5, isRootAuthority: false }] }));
    expect(refsOf(findings, 'PAYLOAD_WRONG_TYPE').sort()).toEqual(['certificateAuthorities[0].certificateRevocationListUrl', 'certificateAuthorities[1].certificate', 'tlsClientAuthParameter']);
  });

  it('does not fire for the right types', () => {
    expect(codes(check(cleanCreate()))).not.toContain('PAYLOAD_WRONG_TYPE');
  });
});

describe('PAYLOAD_NULL_NOT_ALLOWED', () => {
  it('fires for null tlsClientAuthParameter, certificateAuthorities, certificate and isRootAuthority', () => {
    const top = check({ tlsClientAuthParameter: null, certificateAuthorities: null });
    expect(refsOf(top, 'PAYLOAD_NULL_NOT_ALLOWED').sort()).toEqual(['certificateAuthorities', 'tlsClientAuthParameter']);
    const entries = check(cleanCreate({ certificateAuthorities: [ca(root, true), { certificate: null, isRootAuthority: null }] }));
    expect(refsOf(entries, 'PAYLOAD_NULL_NOT_ALLOWED').sort()).toEqual(['certificateAuthorities[1].certificate', 'certificateAuthorities[1].isRootAuthority']);
    expect(codes(entries)).not.toContain('PAYLOAD_MISSING_PROPERTY');
    for (const f of [...withCode(top, 'PAYLOAD_NULL_NOT_ALLOWED'), ...withCode(entries, 'PAYLOAD_NULL_NOT_ALLOWED')]) {
      expectGraphErrorShape(f.graphError);
      expect(f.graphError!.error.message).toContain('Nullable=False');
    }
    const cert = withCode(entries, 'PAYLOAD_NULL_NOT_ALLOWED').find((f) => f.ref!.endsWith('.certificate'))!;
    expect(cert.graphError!.error.message).toContain("'certificate'");
    expect(cert.graphError!.error.message).toContain('Edm.Binary');
  });

  it('fires for null issuer and issuerSki: read-only, but non-nullable Edm.String, so the OData reader refuses null', () => {
    const findings = check(cleanCreate({ certificateAuthorities: [ca(root, true, { issuer: null, issuerSki: null }), ca(inter, false, { issuer: 'CN=x', issuerSki: 'AB' })] }));
    expect(withCode(findings, 'PAYLOAD_NULL_NOT_ALLOWED').map((f) => [f.ref, f.severity, f.graphError])).toEqual([
      ['certificateAuthorities[0].issuer', 'error', graphNullError('issuer', 'Edm.String')],
      ['certificateAuthorities[0].issuerSki', 'error', graphNullError('issuerSki', 'Edm.String')],
    ]);
    expect(refsOf(findings, 'PAYLOAD_READ_ONLY_PROPERTY')).toEqual(['certificateAuthorities[1].issuer', 'certificateAuthorities[1].issuerSki']);
    expect(refsOf(check(cleanCreate({ certificateAuthorities: [ca(root, true, { issuer: 5 })] })), 'PAYLOAD_WRONG_TYPE')).toEqual(['certificateAuthorities[0].issuer']);
  });

  it('does not fire for the nullable displayName and CRL URLs', () => {
    const findings = check(cleanCreate({ displayName: null, certificateAuthorities: [ca(root, true, { certificateRevocationListUrl: null, deltaCertificateRevocationListUrl: null }), ca(inter, false)] }));
    expect(findings).toEqual([]);
    expect(check({ displayName: null }, 'update')).toEqual([]);
  });
});

describe('PAYLOAD_MISSING_PROPERTY', () => {
  it('tlsClientAuthParameter on create', () => {
    const { tlsClientAuthParameter: _, ...body } = cleanCreate();
    const f = one(check(body), 'PAYLOAD_MISSING_PROPERTY');
    expect(f.ref).toBe('tlsClientAuthParameter');
    expect(f.graphError).toEqual(GRAPH_INVALID_VALUES_ERROR);
  });

  it('not tlsClientAuthParameter on update', () => {
    expect(codes(check({ displayName: 'x' }, 'update'))).not.toContain('PAYLOAD_MISSING_PROPERTY');
  });

  it('certificate and isRootAuthority per CA', () => {
    const findings = check(cleanCreate({ certificateAuthorities: [ca(root, true), { isRootAuthority: false }, { certificate: b64(inter.der) }] }));
    expect(refsOf(findings, 'PAYLOAD_MISSING_PROPERTY').sort()).toEqual(['certificateAuthorities[1].certificate', 'certificateAuthorities[2].isRootAuthority']);
    const cert = withCode(findings, 'PAYLOAD_MISSING_PROPERTY').find((f) => f.ref === 'certificateAuthorities[1].certificate')!;
    expect(cert.graphError).toEqual(GRAPH_CERTIFICATE_ERROR);
    const flag = withCode(findings, 'PAYLOAD_MISSING_PROPERTY').find((f) => f.ref === 'certificateAuthorities[2].isRootAuthority')!;
    expectGraphErrorShape(flag.graphError);
  });

  it("the docs' placeholder entry: missing certificate and isRootAuthority, and PAYLOAD_ODATA_TYPE", () => {
    const findings = check({ displayName: 'x', tlsClientAuthParameter: PARAM, certificateAuthorities: [{ '@odata.type': CA_TYPE }] });
    expect(refsOf(findings, 'PAYLOAD_MISSING_PROPERTY').sort()).toEqual(['certificateAuthorities[0].certificate', 'certificateAuthorities[0].isRootAuthority']);
    // The docs write the type without '#', which the OData reader takes as well.
    expect(refsOf(findings, 'PAYLOAD_ODATA_TYPE')).toEqual([]);
    expect(withCode(findings, 'PAYLOAD_MISSING_PROPERTY').every((f) => f.severity === 'error')).toBe(true);
  });

  it('inherited properties do not count as present', () => {
    const entry = Object.create({ certificate: b64(root.der), isRootAuthority: true }) as Record<string, unknown>;
    const findings = check({ tlsClientAuthParameter: PARAM, certificateAuthorities: [entry] });
    expect(refsOf(findings, 'PAYLOAD_MISSING_PROPERTY').sort()).toEqual(['certificateAuthorities[0].certificate', 'certificateAuthorities[0].isRootAuthority']);
    const body = Object.create({ tlsClientAuthParameter: PARAM }) as Record<string, unknown>;
    body['certificateAuthorities'] = [ca(root, true)];
    expect(refsOf(check(body), 'PAYLOAD_MISSING_PROPERTY')).toEqual(['tlsClientAuthParameter']);
  });

  it('does not fire for complete entries', () => {
    expect(codes(check(cleanCreate()))).not.toContain('PAYLOAD_MISSING_PROPERTY');
  });
});

describe('PAYLOAD_ENUM_INVALID', () => {
  it('fires for an unknown string and for unknownFutureValue', () => {
    for (const value of ['tls_client_auth', 'TLS_CLIENT_AUTH_SAN_URI', '', 'unknownFutureValue', 'tls_client_auth_san_uri ']) {
      const f = one(check(cleanCreate({ tlsClientAuthParameter: value })), 'PAYLOAD_ENUM_INVALID');
      expect(f.ref).toBe('tlsClientAuthParameter');
      expect(f.severity).toBe('error');
      expect(f.graphError).toEqual(GRAPH_INVALID_VALUES_ERROR);
    }
  });

  it('does not fire for the five members', () => {
    for (const value of ['tls_client_auth_subject_dn', 'tls_client_auth_san_dns', 'tls_client_auth_san_uri', 'tls_client_auth_san_ip', 'tls_client_auth_san_email']) {
      expect(check(cleanCreate({ tlsClientAuthParameter: value }))).toEqual([]);
    }
  });
});

describe('PAYLOAD_PARAMETER_IN_UPDATE', () => {
  it('fires when an update sends tlsClientAuthParameter, whatever its value', () => {
    for (const value of [PARAM, 'unknownFutureValue', null, 3]) {
      const findings = check({ tlsClientAuthParameter: value, displayName: 'x' }, 'update');
      expect(codes(findings)).toEqual(['PAYLOAD_PARAMETER_IN_UPDATE']);
      expect(findings[0]!.ref).toBe('tlsClientAuthParameter');
      expect(findings[0]!.graphError).toEqual({ error: { code: 'Request_BadRequest', message: "Property 'tlsClientAuthParameter' is read-only and cannot be set." } });
      expect([findings[0]!.severity, findings[0]!.evidence]).toEqual(['error', 'inferred']);
    }
  });

  it('does not fire on create, nor on an update without it', () => {
    expect(codes(check(cleanCreate()))).not.toContain('PAYLOAD_PARAMETER_IN_UPDATE');
    expect(check({ displayName: 'x' }, 'update')).toEqual([]);
  });
});

describe('PAYLOAD_CERTIFICATE_NOT_BASE64: what .NET Convert.FromBase64String refuses', () => {
  const std = b64(inter.der);
  const cases: readonly (readonly [string, string])[] = [
    ['PEM armour', inter.pem],
    ['PEM armour without line breaks', inter.pem.replace(/\n/g, '')],
    ['base64url', Buffer.from(inter.der).toString('base64url')],
    ['a misplaced padding character', `${std.slice(0, 8)}=${std.slice(9)}`],
    // The DER's length decides whether its base64 has padding; without, append one unpadded byte ('QQ' for 0x41).
    ['missing padding', std.endsWith('=') ? std.replace(/=+$/, '') : `${std}QQ`],
    ['the docs literal', 'joGrWL+Yqkik/CABWG0d1w....'],
  ];

  it('the test data really differs from standard base64 in each case', () => {
    expect(Buffer.from(inter.der).toString('base64url')).toMatch(/[-_]/);
  });

  for (const [name, value] of cases) {
    it(`fires for ${name}`, () => {
      const findings = check(cleanCreate({ certificateAuthorities: [ca(root, true), { certificate: value, isRootAuthority: false }] }));
      const f = one(findings, 'PAYLOAD_CERTIFICATE_NOT_BASE64');
      expect(f.ref).toBe('certificateAuthorities[1].certificate');
      expect(f.severity).toBe('error');
      expect(f.errorCode).toBe('ERR_BASE64_INVALID');
      expectGraphErrorShape(f.graphError);
      expect(f.graphError!.error.message).toContain("'Edm.Binary'");
      expect(JSON.stringify(f).length).toBeLessThan(2000);
    });
  }

  it('does not fire for standard padded base64', () => {
    expect(check(cleanCreate({ certificateAuthorities: [ca(root, true), { certificate: std, isRootAuthority: false }] }))).toEqual([]);
  });
});

describe('PAYLOAD_CERTIFICATE_BASE64_NOT_CANONICAL: what .NET reads but strict readers refuse (no 400)', () => {
  const std = b64(inter.der);
  // The last data character before '=' padding with a bit set that the padding drops.
  const padded = b64(paddedRoot.der);
  const at = padded.endsWith('==') ? padded.length - 3 : padded.length - 2;
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const dirty = padded.slice(0, at) + ALPHABET[ALPHABET.indexOf(padded[at]!) | 1] + padded.slice(at + 1);
  const cases: readonly (readonly [string, string, string])[] = [
    ['embedded LF line breaks', std.replace(/.{64}/g, '$&\n'), 'white space'],
    ['embedded CRLF line breaks', std.replace(/.{64}/g, '$&\r\n'), 'white space'],
    ['a leading space and a trailing tab', ` ${std}\t`, 'white space'],
    ['set bits before the padding', dirty, 'set bits before the padding'],
  ];

  it('the test data really has set padding bits', () => {
    expect(dirty).not.toBe(padded);
    expect(() => decodeBase64(dirty)).toThrow(/non-zero bits before the padding/);
  });

  for (const [name, value, what] of cases) {
    it(`warns for ${name}, and checks the certificate it holds`, () => {
      const list = [ca(root, true), { certificate: value, isRootAuthority: value === dirty }];
      const findings = check(cleanCreate({ certificateAuthorities: list }));
      const f = one(findings, 'PAYLOAD_CERTIFICATE_BASE64_NOT_CANONICAL');
      expect([f.severity, f.evidence]).toEqual(['warning', 'inferred']);
      expect(f).not.toHaveProperty('graphError');
      expect(f.message).toContain(` holds ${what}; Graph's Edm.Binary reader (.NET Convert.FromBase64String) skips them`);
      expect(codes(findings)).toEqual(['PAYLOAD_CERTIFICATE_BASE64_NOT_CANONICAL']);
    });
  }

  it('an expired certificate behind line-wrapped base64 is still checked', () => {
    const findings = check(cleanCreate({ certificateAuthorities: [ca(root, true), { certificate: b64(expiredRoot.der).replace(/.{64}/g, '$&\n'), isRootAuthority: true }] }));
    expect(codes(findings)).toContain('CERT_EXPIRED');
  });
});

describe('PAYLOAD_ODATA_TYPE', () => {
  it("fires for annotations naming another type, not for the right type with or without '#'", () => {
    const findings = check(
      cleanCreate({
        '@odata.type': CONFIG_TYPE,
        certificateAuthorities: [ca(root, true, { '@odata.type': CA_TYPE }), ca(inter, false, { '@odata.type': '#microsoft.graph.certificateAuthorityAsEntity' }), ca(root2, true, { '@odata.type': `#${CA_TYPE}` })],
      }),
    );
    expect(refsOf(findings, 'PAYLOAD_ODATA_TYPE').sort()).toEqual(['certificateAuthorities[1].@odata.type']);
    expect(withCode(findings, 'PAYLOAD_ODATA_TYPE').map((f) => [f.severity, f.graphError])).toEqual([['error', graphUnresolvedTypeError('microsoft.graph.certificateAuthorityAsEntity')]]);
    const other = one(check(cleanCreate({ '@odata.type': `#${CONFIG_TYPE}x` })), 'PAYLOAD_ODATA_TYPE');
    expect([other.ref, other.graphError]).toEqual([
      '@odata.type',
      { error: { code: 'BadRequest', message: `A type named '${CONFIG_TYPE}x' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.` } },
    ]);
  });

  it('fires for a non-string annotation', () => {
    expect(refsOf(check(cleanCreate({ '@odata.type': 5 })), 'PAYLOAD_ODATA_TYPE')).toEqual(['@odata.type']);
  });

  it("does not fire for the '#'-prefixed types or no annotation", () => {
    expect(check(cleanCreate({ '@odata.type': `#${CONFIG_TYPE}`, certificateAuthorities: [ca(root, true, { '@odata.type': `#${CA_TYPE}` }), ca(inter, false)] }))).toEqual([]);
  });
});

describe('PAYLOAD_ROOT_FLAG_MISMATCH', () => {
  it('fires for true on an intermediate and false on a root', () => {
    const findings = check(cleanCreate({ certificateAuthorities: [ca(root, false), ca(inter, true)] }));
    expect(refsOf(findings, 'PAYLOAD_ROOT_FLAG_MISMATCH').sort()).toEqual(['certificateAuthorities[0].isRootAuthority', 'certificateAuthorities[1].isRootAuthority']);
    for (const f of withCode(findings, 'PAYLOAD_ROOT_FLAG_MISMATCH')) expect(f.severity).toBe('warning');
  });

  it('does not fire when the flag matches', () => {
    expect(codes(check(cleanCreate()))).not.toContain('PAYLOAD_ROOT_FLAG_MISMATCH');
  });

  it('follows selfSignatures where given, and says when the key identifiers decided instead', async () => {
    const odd = await makeRootCa({ ...validity, key: await getKey('p256', 30), authorityKeyIdentifier: Uint8Array.of(9, 9, 9) });
    const body = cleanCreate({ certificateAuthorities: [ca(root, true), ca(odd, true)] });
    const message = (findings: readonly Finding[]): string | undefined => findings.find((f) => f.code === 'PAYLOAD_ROOT_FLAG_MISMATCH')?.message;
    expect(message(check(body))).toBe('certificateAuthorities[1].isRootAuthority is true, but the certificate is self-issued with an AKI that differs from its SKI (presumed a key-rollover certificate, an intermediate; its signature was not verified)');
    const sha = parseCertificate(odd.der).sha256;
    expect(message(checkPayload(body, 'create', { now: NOW, selfSignatures: new Map([[sha, 'valid']]) }))).toBeUndefined();
    expect(message(checkPayload(body, 'create', { now: NOW, selfSignatures: new Map([[sha, 'invalid']]) }))).toBe(
      'certificateAuthorities[1].isRootAuthority is true, but the certificate is a key-rollover certificate (self-issued, but its own key does not verify it: an intermediate)',
    );
  });
});

describe('PAYLOAD_DUPLICATE_CERTIFICATE', () => {
  it('fires for the second copy of a certificate', () => {
    const findings = check(cleanCreate({ certificateAuthorities: [ca(root, true), ca(inter, false), ca(inter, false)] }));
    expect(refsOf(findings, 'PAYLOAD_DUPLICATE_CERTIFICATE')).toEqual(['certificateAuthorities[2].certificate']);
    // The copy is not also reported as a second certificate with the same SKI.
    expect(codes(findings)).not.toContain('PAYLOAD_DUPLICATE_SKI');
  });

  it('does not fire for different certificates', () => {
    expect(codes(check(cleanCreate({ certificateAuthorities: [ca(root, true), ca(inter, false), ca(root2, true)] })))).not.toContain('PAYLOAD_DUPLICATE_CERTIFICATE');
  });
});

describe('PAYLOAD_DUPLICATE_SKI', () => {
  it('fires for two different certificates sharing a subjectKeyIdentifier', () => {
    const findings = check(cleanCreate({ certificateAuthorities: [ca(skiTwinA, true), ca(root, true), ca(skiTwinB, true)] }));
    expect(refsOf(findings, 'PAYLOAD_DUPLICATE_SKI')).toEqual(['certificateAuthorities[2].certificate']);
    expect(codes(findings)).not.toContain('PAYLOAD_DUPLICATE_CERTIFICATE');
  });

  it('does not fire for distinct SKIs', () => {
    expect(codes(check(cleanCreate({ certificateAuthorities: [ca(skiTwinA, true), ca(root2, true)] })))).not.toContain('PAYLOAD_DUPLICATE_SKI');
  });
});

describe('PAYLOAD_ISSUER_NOT_IN_LIST', () => {
  it('fires for an intermediate without its root', () => {
    const findings = check(cleanCreate({ certificateAuthorities: [ca(root, true), ca(inter2, false)] }));
    expect(refsOf(findings, 'PAYLOAD_ISSUER_NOT_IN_LIST')).toEqual(['certificateAuthorities[1].certificate']);
    expect(withCode(findings, 'PAYLOAD_ISSUER_NOT_IN_LIST')[0]!.severity).toBe('warning');
  });

  it('does not fire when the issuer is found by AKI (even when the issuer DN names nobody listed)', () => {
    expect(codes(check(cleanCreate({ certificateAuthorities: [ca(root, true), ca(inter, false)] })))).not.toContain('PAYLOAD_ISSUER_NOT_IN_LIST');
    expect(codes(check(cleanCreate({ certificateAuthorities: [ca(interAkiOnly, false), ca(root, true)] })))).not.toContain('PAYLOAD_ISSUER_NOT_IN_LIST');
  });

  it('an AKI that matches no SKI fires even when the issuer DN matches', () => {
    expect(refsOf(check(cleanCreate({ certificateAuthorities: [ca(root, true), ca(interWrongAki, false)] })), 'PAYLOAD_ISSUER_NOT_IN_LIST')).toEqual([
      'certificateAuthorities[1].certificate',
    ]);
  });

  it('without AKI, the issuer is found by DN', () => {
    expect(codes(check(cleanCreate({ certificateAuthorities: [ca(root, true), ca(interNoAki, false)] })))).not.toContain('PAYLOAD_ISSUER_NOT_IN_LIST');
    expect(refsOf(check(cleanCreate({ certificateAuthorities: [ca(root, true), ca(interNoAki2, false)] })), 'PAYLOAD_ISSUER_NOT_IN_LIST')).toEqual([
      'certificateAuthorities[1].certificate',
    ]);
  });

  it('a certificate is not its own issuer by DN', () => {
    // interNoAki alone: its issuer DN is root's subject, which is not listed.
    expect(refsOf(check(cleanCreate({ certificateAuthorities: [ca(interNoAki, false)] })), 'PAYLOAD_ISSUER_NOT_IN_LIST')).toEqual(['certificateAuthorities[0].certificate']);
  });

  it('does not fire for roots', () => {
    expect(codes(check(cleanCreate({ certificateAuthorities: [ca(root, true), ca(root2, true)] })))).not.toContain('PAYLOAD_ISSUER_NOT_IN_LIST');
  });
});

describe('PAYLOAD_NO_ROOT', () => {
  it('fires when no entry has isRootAuthority true', () => {
    const f = one(check(cleanCreate({ certificateAuthorities: [ca(inter, false)] })), 'PAYLOAD_NO_ROOT');
    expect(f.ref).toBe('certificateAuthorities');
    expect(f.severity).toBe('warning');
    expect(codes(check({ certificateAuthorities: [ca(inter, false)] }, 'update'))).toContain('PAYLOAD_NO_ROOT');
  });

  it('does not fire with a root, nor for an empty list', () => {
    expect(codes(check(cleanCreate()))).not.toContain('PAYLOAD_NO_ROOT');
    expect(codes(check({ certificateAuthorities: [] }, 'update'))).not.toContain('PAYLOAD_NO_ROOT');
  });
});

describe('PAYLOAD_NO_CERTIFICATE_AUTHORITIES', () => {
  it('fires on create when the list is missing or empty', () => {
    const missing = one(check({ tlsClientAuthParameter: PARAM }), 'PAYLOAD_NO_CERTIFICATE_AUTHORITIES');
    expect(missing.ref).toBe('certificateAuthorities');
    expect(missing.severity).toBe('warning');
    expect(one(check({ tlsClientAuthParameter: PARAM, certificateAuthorities: [] }), 'PAYLOAD_NO_CERTIFICATE_AUTHORITIES').ref).toBe('certificateAuthorities');
  });

  it('fires for an update that removes every CA, saying every device would fail to authenticate', () => {
    const f = one(check({ certificateAuthorities: [] }, 'update'), 'PAYLOAD_NO_CERTIFICATE_AUTHORITIES');
    expect([f.ref, f.severity]).toEqual(['certificateAuthorities', 'warning']);
    expect(f.message).toBe('certificateAuthorities is empty: the update removes every CA, so every device of this configuration would fail to authenticate');
  });

  it('does not fire for an update that leaves the list alone, nor with entries', () => {
    expect(check({ displayName: 'x' }, 'update')).toEqual([]);
    expect(codes(check(cleanCreate()))).not.toContain('PAYLOAD_NO_CERTIFICATE_AUTHORITIES');
  });
});

describe('PAYLOAD_TOO_MANY_CERTIFICATE_AUTHORITIES', () => {
  it('fires above maxCertificateAuthorities', () => {
    const body = cleanCreate({ certificateAuthorities: [ca(root, true), ca(inter, false), ca(root2, true)] });
    const f = one(check(body, 'create', { now: NOW, payloadLimits: { maxCertificateAuthorities: 2 } }), 'PAYLOAD_TOO_MANY_CERTIFICATE_AUTHORITIES');
    expect(f.ref).toBe('certificateAuthorities');
    expect(f.severity).toBe('warning');
  });

  it('does not fire at the limit, nor with the default of 250', () => {
    expect(codes(check(cleanCreate(), 'create', { now: NOW, payloadLimits: { maxCertificateAuthorities: 2 } }))).not.toContain('PAYLOAD_TOO_MANY_CERTIFICATE_AUTHORITIES');
    expect(DEFAULT_PAYLOAD_LIMITS.maxCertificateAuthorities).toBe(250);
  });
});

describe('PAYLOAD_CERTIFICATE_TOO_LARGE', () => {
  it('fires above maxCertificateAuthorityBytes, per entry', () => {
    const limit = Math.min(root.der.length, inter.der.length, rsaRoot.der.length) - 1;
    const findings = check(cleanCreate({ certificateAuthorities: [ca(root, true), ca(rsaRoot, true)] }), 'create', { now: NOW, payloadLimits: { maxCertificateAuthorityBytes: limit } });
    expect(refsOf(findings, 'PAYLOAD_CERTIFICATE_TOO_LARGE')).toEqual(['certificateAuthorities[0].certificate', 'certificateAuthorities[1].certificate']);
    // Between the two sizes only the larger fires.
    const between = Math.max(root.der.length, rsaRoot.der.length) - 1;
    const big = root.der.length > rsaRoot.der.length ? 0 : 1;
    expect(refsOf(check(cleanCreate({ certificateAuthorities: [ca(root, true), ca(rsaRoot, true)] }), 'create', { now: NOW, payloadLimits: { maxCertificateAuthorityBytes: between } }), 'PAYLOAD_CERTIFICATE_TOO_LARGE')).toEqual([
      `certificateAuthorities[${big}].certificate`,
    ]);
  });

  it('does not fire at the limit exactly, nor with the default 8 KiB', () => {
    expect(codes(check(cleanCreate({ certificateAuthorities: [ca(root, true)] }), 'create', { now: NOW, payloadLimits: { maxCertificateAuthorityBytes: root.der.length } }))).not.toContain(
      'PAYLOAD_CERTIFICATE_TOO_LARGE',
    );
    expect(codes(check(cleanCreate()))).not.toContain('PAYLOAD_CERTIFICATE_TOO_LARGE');
  });
});

describe('PAYLOAD_DISPLAY_NAME_TOO_LONG and PAYLOAD_DISPLAY_NAME_EMPTY', () => {
  it('TOO_LONG fires above maxDisplayNameLength (small limit and the default 256)', () => {
    const f = one(check(cleanCreate({ displayName: 'abcdef' }), 'create', { now: NOW, payloadLimits: { maxDisplayNameLength: 5 } }), 'PAYLOAD_DISPLAY_NAME_TOO_LONG');
    expect(f.ref).toBe('displayName');
    expect(f.severity).toBe('warning');
    expect(refsOf(check({ displayName: 'x'.repeat(257) }, 'update'), 'PAYLOAD_DISPLAY_NAME_TOO_LONG')).toEqual(['displayName']);
  });

  it('TOO_LONG does not fire at the limit', () => {
    expect(check(cleanCreate({ displayName: 'abcde' }), 'create', { now: NOW, payloadLimits: { maxDisplayNameLength: 5 } })).toEqual([]);
    expect(check({ displayName: 'x'.repeat(256) }, 'update')).toEqual([]);
  });

  it('EMPTY fires for an empty or white-space name', () => {
    for (const name of ['', ' ', '\t\n ']) {
      const f = one(check(cleanCreate({ displayName: name })), 'PAYLOAD_DISPLAY_NAME_EMPTY');
      expect(f.ref).toBe('displayName');
      expect(f.severity).toBe('warning');
    }
  });

  it('EMPTY does not fire for a name, a null or a missing one', () => {
    expect(codes(check(cleanCreate({ displayName: ' x ' })))).not.toContain('PAYLOAD_DISPLAY_NAME_EMPTY');
    expect(check(cleanCreate({ displayName: null }))).toEqual([]);
    const { displayName: _, ...noName } = cleanCreate();
    expect(check(noName)).toEqual([]);
  });
});

describe('PAYLOAD_CRL_URL_NOT_HTTP', () => {
  it('fires for https, ldap and relative URLs in either CRL property', () => {
    const findings = check(
      cleanCreate({
        certificateAuthorities: [
          ca(root, true, { certificateRevocationListUrl: 'https://crl.example.test/r.crl', deltaCertificateRevocationListUrl: 'ldap://ldap.example.test/cn=CRL' }),
          ca(inter, false, { certificateRevocationListUrl: 'crl.example.test/i.crl' }),
        ],
      }),
    );
    expect(refsOf(findings, 'PAYLOAD_CRL_URL_NOT_HTTP').sort()).toEqual([
      'certificateAuthorities[0].certificateRevocationListUrl',
      'certificateAuthorities[0].deltaCertificateRevocationListUrl',
      'certificateAuthorities[1].certificateRevocationListUrl',
    ]);
    for (const f of withCode(findings, 'PAYLOAD_CRL_URL_NOT_HTTP')) expect(f.severity).toBe('warning');
  });

  it('does not fire for http URLs (any case) or null', () => {
    const findings = check(
      cleanCreate({
        certificateAuthorities: [
          ca(root, true, { certificateRevocationListUrl: 'http://crl.example.test/r.crl', deltaCertificateRevocationListUrl: 'HTTP://CRL.EXAMPLE.TEST/D.CRL' }),
          ca(inter, false, { certificateRevocationListUrl: null, deltaCertificateRevocationListUrl: null }),
        ],
      }),
    );
    expect(findings).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Certificate checks reach through
// ---------------------------------------------------------------------------------------------

describe('certificate checks inside a payload', () => {
  it('an expired CA gives CERT_EXPIRED at its certificate, with the Graph certificate error', () => {
    const findings = check(cleanCreate({ certificateAuthorities: [ca(root, true), ca(inter, false), ca(expiredRoot, true)] }));
    const f = one(findings, 'CERT_EXPIRED');
    expect(f.ref).toBe('certificateAuthorities[2].certificate');
    expect(f.severity).toBe('error');
    expect(f.graphError).toEqual(GRAPH_CERTIFICATE_ERROR);
  });

  it('a non-CA certificate gives CA_BASIC_CONSTRAINTS_NOT_CA at its certificate', () => {
    const findings = check(cleanCreate({ certificateAuthorities: [ca(root, true), ca(inter, false), ca(endEntity, false)] }));
    const f = one(findings, 'CA_BASIC_CONSTRAINTS_NOT_CA');
    expect(f.ref).toBe('certificateAuthorities[2].certificate');
    expect(f.graphError).toEqual(GRAPH_CERTIFICATE_ERROR);
  });

  it('the expiry-warning window is passed through', () => {
    const soon = check(cleanCreate({ certificateAuthorities: [ca(root, true)] }), 'create', { now: new Date(NOT_AFTER.getTime() - 10 * 86_400_000), expiryWarningDays: 30 });
    expect(refsOf(soon, 'CERT_EXPIRING_SOON')).toEqual(['certificateAuthorities[0].certificate']);
    const quiet = check(cleanCreate({ certificateAuthorities: [ca(root, true)] }), 'create', { now: new Date(NOT_AFTER.getTime() - 10 * 86_400_000), expiryWarningDays: 5 });
    expect(codes(quiet)).not.toContain('CERT_EXPIRING_SOON');
  });

  it('base64 of a CSR or a CRL gives INPUT_NOT_A_CERTIFICATE', async () => {
    const key = await getKey('p256');
    const csr = await makeCsr(key.webCrypto!);
    const crl = await makeCrl(key.webCrypto!.privateKey);
    const findings = check(cleanCreate({ certificateAuthorities: [ca(root, true), { certificate: b64(csr.der), isRootAuthority: false }, { certificate: b64(crl.der), isRootAuthority: false }] }));
    const notCert = withCode(findings, 'INPUT_NOT_A_CERTIFICATE');
    expect(notCert.map((f) => [f.ref, f.errorCode])).toEqual([
      ['certificateAuthorities[1].certificate', 'ERR_CSR'],
      ['certificateAuthorities[2].certificate', 'ERR_CRL'],
    ]);
    for (const f of notCert) expect(f.graphError).toEqual(GRAPH_CERTIFICATE_ERROR);
  });

  it('base64 of a PKCS#7 bundle gives INPUT_NOT_A_CERTIFICATE', () => {
    const p7 = makePkcs7([root.der, inter.der]);
    const f = one(check(cleanCreate({ certificateAuthorities: [ca(root, true), { certificate: b64(p7.der), isRootAuthority: false }] })), 'INPUT_NOT_A_CERTIFICATE');
    expect(f.ref).toBe('certificateAuthorities[1].certificate');
  });

  it('base64 of a truncated certificate gives INPUT_UNREADABLE', () => {
    const f = one(check(cleanCreate({ certificateAuthorities: [ca(root, true), { certificate: b64(inter.der.subarray(0, inter.der.length - 3)), isRootAuthority: false }] })), 'INPUT_UNREADABLE');
    expect(f.ref).toBe('certificateAuthorities[1].certificate');
    expect(f.errorCode).toMatch(/^ERR_DER_/);
  });

  it('base64 of a private key gives INPUT_PRIVATE_KEY without key content', async () => {
    const rsa = await getKey('rsa2048');
    const ec = await getKey('p256');
    for (const secret of [pkcs8Der(rsa.privateKey), rsaPrivateKeyDer(rsa.privateKey), ecPrivateKeyDer(ec.privateKey), pkcs8Der(ec.privateKey)]) {
      const findings = check(cleanCreate({ certificateAuthorities: [ca(root, true), { certificate: b64(secret), isRootAuthority: false }] }));
      const f = one(findings, 'INPUT_PRIVATE_KEY');
      expect(f.ref).toBe('certificateAuthorities[1].certificate');
      expect(f.errorCode).toBe('ERR_PRIVATE_KEY');
      expect(f.severity).toBe('error');
      expectNoKeyMaterial(JSON.stringify(findings), secret, 'base64 key');
      expectNoKeyMaterial(JSON.stringify(findings), ecScalar(ec.privateKey), 'base64 key: EC scalar', 0);
      expectNoKeyMaterial(JSON.stringify(findings), rsaExponent(rsa.privateKey), 'base64 key: RSA exponent', 0);
    }
  });

  it('a PEM private key pasted into certificate gives INPUT_PRIVATE_KEY and no key content anywhere', async () => {
    const rsa = await getKey('rsa2048');
    const ec = await getKey('p256');
    const keys: readonly (readonly [Uint8Array, string])[] = [
      [pkcs8Der(rsa.privateKey), 'PRIVATE KEY'],
      [rsaPrivateKeyDer(rsa.privateKey), 'RSA PRIVATE KEY'],
      [ecPrivateKeyDer(ec.privateKey), 'EC PRIVATE KEY'],
      [pkcs8Der(ec.privateKey), 'PRIVATE KEY'],
    ];
    for (const [secret, label] of keys) {
      for (const pem of [toPem(secret, label), toPem(secret, label, { eol: '\r\n' }), toPem(secret, label).replace(/\n/g, '')]) {
        const text = JSON.stringify(cleanCreate({ certificateAuthorities: [ca(root, true), { certificate: pem, isRootAuthority: false }] }));
        const findings = check(text);
        const f = one(findings, 'INPUT_PRIVATE_KEY');
        expect(f.ref).toBe('certificateAuthorities[1].certificate');
        expect(f.errorCode).toBe('ERR_PRIVATE_KEY');
        expect(codes(findings)).not.toContain('PAYLOAD_CERTIFICATE_NOT_BASE64');
        expectNoKeyMaterial(JSON.stringify(findings), secret, label);
        expectNoKeyMaterial(JSON.stringify(findings), ecScalar(ec.privateKey), `${label}: EC scalar`, 0);
        expectNoKeyMaterial(JSON.stringify(findings), rsaExponent(rsa.privateKey), `${label}: RSA exponent`, 0);
      }
    }
  });

  it('the key-material check itself detects a quoted run', async () => {
    const ec = await getKey('p256');
    const sec1 = ecPrivateKeyDer(ec.privateKey);
    expect(() => expectNoKeyMaterial(b64(sec1).slice(0, 24), ecScalar(ec.privateKey), 'self-test', 0)).toThrow();
    expect(() => expectNoKeyMaterial(`x${b64(sec1)}x`, sec1, 'self-test')).toThrow();
  });

  // What a user gets by copying the lines between BEGIN and END: base64 with line breaks, or
  // the same without padding or in base64url. None of it is standard base64, so the value is
  // reported as PAYLOAD_CERTIFICATE_NOT_BASE64 (or as a key); either way nothing of the key's
  // secret may be quoted.
  const unarmoured = (der: Uint8Array): string[] =>
    [b64(der).replace(/.{64}/g, '$&\n'), b64(der).replace(/=+$/, ''), Buffer.from(der).toString('base64url')].filter((t) => t !== b64(der));

  it('a SEC1 EC private key body pasted without its armour lines quotes nothing of the private scalar', async () => {
    for (const slot of [0, 1, 2]) {
      const ec = await getKey('p256', slot);
      const sec1 = ecPrivateKeyDer(ec.privateKey);
      for (const body of unarmoured(sec1)) {
        const findings = check(cleanCreate({ certificateAuthorities: [ca(root, true), { certificate: body, isRootAuthority: false }] }));
        expect(findings.some((f) => f.severity === 'error' && f.ref === 'certificateAuthorities[1].certificate')).toBe(true);
        expectNoKeyMaterial(JSON.stringify(findings), ecScalar(ec.privateKey), 'SEC1 body: private scalar', 0);
      }
    }
  });

  it('PKCS#8 and PKCS#1 private key bodies pasted without armour quote nothing of the secret', async () => {
    const ec = await getKey('p256');
    const rsa = await getKey('rsa2048');
    const cases: readonly (readonly [Uint8Array, Uint8Array])[] = [
      [pkcs8Der(ec.privateKey), ecScalar(ec.privateKey)],
      [pkcs8Der(rsa.privateKey), rsaExponent(rsa.privateKey)],
      [rsaPrivateKeyDer(rsa.privateKey), rsaExponent(rsa.privateKey)],
    ];
    for (const [der, secret] of cases) {
      for (const body of unarmoured(der)) {
        const findings = check(cleanCreate({ certificateAuthorities: [ca(root, true), { certificate: body, isRootAuthority: false }] }));
        expect(findings.some((f) => f.severity === 'error' && f.ref === 'certificateAuthorities[1].certificate')).toBe(true);
        expectNoKeyMaterial(JSON.stringify(findings), secret, 'key body: secret', 0);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Hostile JSON
// ---------------------------------------------------------------------------------------------

describe('hostile JSON', () => {
  const snapshot = (): string[] => Object.getOwnPropertyNames(Object.prototype).sort();

  it('__proto__ and constructor keys (own properties from JSON.parse) are unknown properties and pollute nothing', () => {
    const before = snapshot();
    const cert = b64(root.der);
    const text =
      `{"tlsClientAuthParameter":"${PARAM}","__proto__":{"polluted":"yes","isAdmin":true},"constructor":{"prototype":{"polluted":"yes"}},` +
      `"certificateAuthorities":[{"certificate":"${cert}","isRootAuthority":true,"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}]}`;
    for (const form of [text, new TextEncoder().encode(text)]) {
      const findings = check(form);
      expect(refsOf(findings, 'PAYLOAD_UNKNOWN_PROPERTY').sort()).toEqual(['__proto__', 'certificateAuthorities[0].__proto__', 'certificateAuthorities[0].constructor', 'constructor']);
      const proto = withCode(findings, 'PAYLOAD_UNKNOWN_PROPERTY').find((f) => f.ref === '__proto__')!;
      expect(proto.graphError!.error.message).toContain("'__proto__'");
      expect(proto.graphError!.error.message).toContain(`'${CONFIG_TYPE}'`);
      const caProto = withCode(findings, 'PAYLOAD_UNKNOWN_PROPERTY').find((f) => f.ref === 'certificateAuthorities[0].constructor')!;
      expect(caProto.graphError!.error.message).toContain(`'${CA_TYPE}'`);
      expect(findings.filter((f) => f.code !== 'PAYLOAD_UNKNOWN_PROPERTY')).toEqual([]);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
    expect(snapshot()).toEqual(before);
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it('a __proto__ entry that carries the required properties does not supply them', () => {
    const text = `{"tlsClientAuthParameter":"${PARAM}","certificateAuthorities":[{"__proto__":{"certificate":"${b64(root.der)}","isRootAuthority":true}}]}`;
    const findings = check(text);
    expect(refsOf(findings, 'PAYLOAD_MISSING_PROPERTY').sort()).toEqual(['certificateAuthorities[0].certificate', 'certificateAuthorities[0].isRootAuthority']);
    expect(refsOf(findings, 'PAYLOAD_UNKNOWN_PROPERTY')).toEqual(['certificateAuthorities[0].__proto__']);
    expect(({} as Record<string, unknown>)['certificate']).toBeUndefined();
  });

  it('other Object.prototype names as keys are unknown properties', () => {
    const findings = check(`{"tlsClientAuthParameter":"${PARAM}","hasOwnProperty":1,"toString":"x","valueOf":{},"certificateAuthorities":[]}`);
    expect(refsOf(findings, 'PAYLOAD_UNKNOWN_PROPERTY').sort()).toEqual(['hasOwnProperty', 'toString', 'valueOf']);
  });

  it('arrays where objects belong', () => {
    expect(codes(check('[{"tlsClientAuthParameter":"tls_client_auth_san_uri"}]'))).toEqual(['PAYLOAD_NOT_AN_OBJECT']);
    const findings = check(`{"tlsClientAuthParameter":"${PARAM}","certificateAuthorities":[[], [[]], [{"certificate":"x"}]]}`);
    expect(refsOf(findings, 'PAYLOAD_NOT_AN_OBJECT')).toEqual(['certificateAuthorities[0]', 'certificateAuthorities[1]', 'certificateAuthorities[2]']);
    expect(refsOf(check(`{"tlsClientAuthParameter":["${PARAM}"]}`), 'PAYLOAD_WRONG_TYPE')).toEqual(['tlsClientAuthParameter']);
    expect(refsOf(check('{"displayName":["a"]}', 'update'), 'PAYLOAD_WRONG_TYPE')).toEqual(['displayName']);
  });

  describe('deeply nested junk values end in findings', () => {
    const DEPTH = 100_000;
    const deepArray = nested(DEPTH);
    const deepObject = nested(DEPTH, '{"a":', '}', '1');
    const cert = `"certificate":"${b64(root.der)}","isRootAuthority":true`;

    const cases: readonly (readonly [string, string, PayloadKind, string, string])[] = [
      ['displayName', `{"displayName":${deepArray}}`, 'update', 'PAYLOAD_WRONG_TYPE', 'displayName'],
      ['tlsClientAuthParameter', `{"tlsClientAuthParameter":${deepObject},"certificateAuthorities":[{${cert}}]}`, 'create', 'PAYLOAD_WRONG_TYPE', 'tlsClientAuthParameter'],
      ['certificateAuthorities', `{"certificateAuthorities":${deepObject}}`, 'update', 'PAYLOAD_WRONG_TYPE', 'certificateAuthorities'],
      ['a CA entry', `{"certificateAuthorities":[${deepArray}]}`, 'update', 'PAYLOAD_NOT_AN_OBJECT', 'certificateAuthorities[0]'],
      ['certificate', `{"certificateAuthorities":[{"certificate":${deepArray},"isRootAuthority":true}]}`, 'update', 'PAYLOAD_WRONG_TYPE', 'certificateAuthorities[0].certificate'],
      ['isRootAuthority', `{"certificateAuthorities":[{"certificate":"${b64(root.der)}","isRootAuthority":${deepObject}}]}`, 'update', 'PAYLOAD_WRONG_TYPE', 'certificateAuthorities[0].isRootAuthority'],
      ['a CRL URL', `{"certificateAuthorities":[{${cert},"certificateRevocationListUrl":${deepArray}}]}`, 'update', 'PAYLOAD_WRONG_TYPE', 'certificateAuthorities[0].certificateRevocationListUrl'],
      ['an unknown property', `{"junk":${deepObject}}`, 'update', 'PAYLOAD_UNKNOWN_PROPERTY', 'junk'],
      ['an unknown CA property', `{"certificateAuthorities":[{${cert},"junk":${deepArray}}]}`, 'update', 'PAYLOAD_UNKNOWN_PROPERTY', 'certificateAuthorities[0].junk'],
      ['a read-only property', `{"id":${deepArray}}`, 'update', 'PAYLOAD_READ_ONLY_PROPERTY', 'id'],
      ['the body @odata.type', `{"@odata.type":${deepArray}}`, 'update', 'PAYLOAD_ODATA_TYPE', '@odata.type'],
      ['a CA @odata.type', `{"certificateAuthorities":[{${cert},"@odata.type":${deepObject}}]}`, 'update', 'PAYLOAD_ODATA_TYPE', 'certificateAuthorities[0].@odata.type'],
    ];
    for (const [name, text, kind, code, ref] of cases) {
      it(`in ${name}`, () => {
        let findings: Finding[] = [];
        expect(() => {
          findings = check(text, kind);
        }).not.toThrow();
        expect(refsOf(findings, code)).toEqual([ref]);
        expect(JSON.stringify(findings).length).toBeLessThan(10_000);
      });
    }
  });

  it('an oversized string or byte body is refused with ERR_INPUT_TOO_LARGE (small maxPayloadBytes)', () => {
    const options: PayloadCheckOptions = { now: NOW, payloadLimits: { maxPayloadBytes: 64 }, source: 'big.json' };
    const text = `{"displayName":"${'x'.repeat(100)}"}`;
    const textError = inputErrorOf(() => checkPayload(text, 'update', options));
    expect(textError.code).toBe('ERR_INPUT_TOO_LARGE');
    expect(textError.source).toBe('big.json');
    expect(errorOf(() => checkPayload(new TextEncoder().encode(text), 'update', options)).code).toBe('ERR_INPUT_TOO_LARGE');
    // Not-JSON text past the limit is refused too, before parsing.
    expect(errorOf(() => checkPayload('x'.repeat(65), 'update', options)).code).toBe('ERR_INPUT_TOO_LARGE');
    // At the limit it is read.
    const exact = `{"displayName":"${'x'.repeat(64 - 18)}"}`;
    expect(exact.length).toBe(64);
    expect(checkPayload(exact, 'update', options)).toEqual([]);
    expect(checkPayload(new TextEncoder().encode(exact), 'update', options)).toEqual([]);
  });

  it('the default limit refuses more than 16 MiB and reads 16 MiB', () => {
    expect(DEFAULT_PAYLOAD_LIMITS.maxPayloadBytes).toBe(16 * 1024 * 1024);
    const limit = 16 * 1024 * 1024;
    const fits = '{}' + ' '.repeat(limit - 2);
    expect(checkPayload(fits, 'update', OPTIONS)).toEqual([]);
    expect(errorOf(() => checkPayload(fits + ' ', 'update', OPTIONS)).code).toBe('ERR_INPUT_TOO_LARGE');
    const bytes = new Uint8Array(limit + 1).fill(0x20);
    bytes[0] = 0x7b;
    bytes[1] = 0x7d;
    expect(errorOf(() => checkPayload(bytes, 'update', OPTIONS)).code).toBe('ERR_INPUT_TOO_LARGE');
    expect(checkPayload(bytes.subarray(0, limit), 'update', OPTIONS)).toEqual([]);
  });

  it('too many entries for the core limits.maxCertificates is a thrown ERR_LIMIT_EXCEEDED', () => {
    const entries = [ca(root, true), ca(inter, false), ca(root2, true), ca(inter2, false)];
    expect(errorOf(() => checkPayload(cleanCreate({ certificateAuthorities: entries }), 'create', { now: NOW, limits: { maxCertificates: 3 } })).code).toBe('ERR_LIMIT_EXCEEDED');
    // Junk entries count as well: the limit applies before anything is read.
    const junk = JSON.stringify({ certificateAuthorities: Array.from({ length: 4 }, () => ({})) });
    expect(errorOf(() => checkPayload(junk, 'update', { now: NOW, limits: { maxCertificates: 3 } })).code).toBe('ERR_LIMIT_EXCEEDED');
    expect(() => checkPayload(cleanCreate({ certificateAuthorities: entries.slice(0, 3) }), 'create', { now: NOW, limits: { maxCertificates: 3 } })).not.toThrow();
  });
});

// ---------------------------------------------------------------------------------------------
// The spec's and the docs' example payloads
// ---------------------------------------------------------------------------------------------

describe('example payloads', () => {
  it("the spec's recommended create payload (§7), with a real certificate, is clean", () => {
    const text = `{
      "displayName": "DoorCamera_Model_X_TrustedCAs",
      "tlsClientAuthParameter": "tls_client_auth_san_uri",
      "certificateAuthorities": [
        { "certificate": "${b64(root.der)}",
          "isRootAuthority": true,
          "certificateRevocationListUrl": "http://pki.example.com/root.crl",
          "deltaCertificateRevocationListUrl": null }
      ]
    }`;
    expect(check(text)).toEqual([]);
  });

  it("the spec's recommended PATCH payloads (§7) are clean", () => {
    expect(check('{"displayName":"DoorCamera_Model_X_TrustedCAs_v2"}', 'update')).toEqual([]);
    expect(check(JSON.stringify({ certificateAuthorities: [ca(root, true, { certificateRevocationListUrl: 'http://pki.example.com/root.crl', deltaCertificateRevocationListUrl: null }), ca(inter, false)] }), 'update')).toEqual([]);
  });

  it("the docs' create request (seed documents, en and de): placeholder entry without certificate", () => {
    const text = `{
  "displayName": "DoorCamera_Model_X_TrustedCAs",
  "tlsClientAuthParameter": "tls_client_auth_san_uri",
  "certificateAuthorities": [
    {
      "@odata.type": "microsoft.graph.certificateAuthority"
    }
  ]
}`;
    const findings = check(text);
    expect(codes(findings).sort()).toEqual(['PAYLOAD_MISSING_PROPERTY', 'PAYLOAD_MISSING_PROPERTY', 'PAYLOAD_NO_ROOT']);
    const missing = withCode(findings, 'PAYLOAD_MISSING_PROPERTY');
    expect(missing.map((f) => f.ref).sort()).toEqual(['certificateAuthorities[0].certificate', 'certificateAuthorities[0].isRootAuthority']);
    expect(missing.find((f) => f.ref === 'certificateAuthorities[0].certificate')!.graphError).toEqual(GRAPH_CERTIFICATE_ERROR);
  });

  it("the docs' 201 response sent back as an update: read-only properties and the parameter", () => {
    const text = `{
  "@odata.context": "https://graph.microsoft.com/beta/$metadata#directory/certificateAuthorities/mutualTlsOauthConfigurations/$entity",
  "id":"eec5ba11-2fc0-4113-83a2-ed986ed13cdb",
  "displayName": "DoorCamera_Model_X_TrustedCAs",
  "tlsClientAuthParameter": "tls_client_auth_san_uri",
  "certificateAuthorities": [
    {
      "@odata.type": "microsoft.graph.certificateAuthority"
    }
  ]
}`;
    const findings = check(text, 'update');
    expect(refsOf(findings, 'PAYLOAD_READ_ONLY_PROPERTY').sort()).toEqual(['@odata.context', 'id']);
    expect(refsOf(findings, 'PAYLOAD_PARAMETER_IN_UPDATE')).toEqual(['tlsClientAuthParameter']);
    expect(refsOf(findings, 'PAYLOAD_MISSING_PROPERTY').sort()).toEqual(['certificateAuthorities[0].certificate', 'certificateAuthorities[0].isRootAuthority']);
  });

  it("the docs' remove-certificate update example: issuer is read-only, issuerSubjectkeyIdentifier unknown, 'Binary' not base64", () => {
    const docs = {
      certificateAuthorities: [
        {
          isRootAuthority: true,
          certificateRevocationListUrl: 'http://acme.com/root.crl',
          deltaCertificateRevocationListUrl: null,
          certificate: 'Binary',
          issuer: 'acme Inc',
          issuerSubjectkeyIdentifier: 'SKI',
        },
      ],
    };
    const findings = check(docs, 'update');
    expect(codes(findings).sort()).toEqual(['PAYLOAD_CERTIFICATE_NOT_BASE64', 'PAYLOAD_READ_ONLY_PROPERTY', 'PAYLOAD_UNKNOWN_PROPERTY']);
    expect(one(findings, 'PAYLOAD_READ_ONLY_PROPERTY').ref).toBe('certificateAuthorities[0].issuer');
    const unknown = one(findings, 'PAYLOAD_UNKNOWN_PROPERTY');
    expect(unknown.ref).toBe('certificateAuthorities[0].issuerSubjectkeyIdentifier');
    expect(unknown.graphError!.error.message).toContain("'issuerSubjectkeyIdentifier'");
    expect(unknown.graphError!.error.message).toContain(`'${CA_TYPE}'`);

    // With a real root in place of 'Binary' only the two property findings remain.
    const real = { certificateAuthorities: [{ ...docs.certificateAuthorities[0]!, certificate: b64(root.der) }] };
    expect(codes(check(real, 'update')).sort()).toEqual(['PAYLOAD_READ_ONLY_PROPERTY', 'PAYLOAD_UNKNOWN_PROPERTY']);
  });
});

describe('issuer certificates for the ISSUER_NOT_IN_LIST fixtures are what they claim', () => {
  it('AKI and DN shapes', () => {
    expect(parseCertificate(interNoAki.der).authorityKeyIdentifier).toBeUndefined();
    expect(parseCertificate(interAkiOnly.der).issuerDn).not.toBe(parseCertificate(root.der).subjectDn);
    expect(Buffer.from(parseCertificate(interAkiOnly.der).authorityKeyIdentifier!.keyIdentifier!).equals(Buffer.from(root.subjectKeyId!))).toBe(true);
    expect(parseCertificate(interWrongAki.der).issuerDn).toBe(parseCertificate(root.der).subjectDn);
    expect(parseCertificate(skiTwinA.der).subjectKeyIdentifier).toEqual(parseCertificate(skiTwinB.der).subjectKeyIdentifier);
  });
});

// ---------------------------------------------------------------------------------------------
// Gaps named by issue 12 (item 15): behaviour the mutation run showed unpinned
// ---------------------------------------------------------------------------------------------

describe('lenient private-key detection (no PEM armour, not strict base64)', () => {
  /** The entry at index 1 holds `value`; the only finding must be the refused key at its ref. */
  function expectRefusedKey(value: string, label: string): void {
    const findings = check(cleanCreate({ certificateAuthorities: [ca(root, true), { certificate: value, isRootAuthority: false }] }));
    expect(findings.map((f) => [f.code, f.ref, f.errorCode]), label).toEqual([['INPUT_PRIVATE_KEY', 'certificateAuthorities[1].certificate', 'ERR_PRIVATE_KEY']]);
    expect(findings[0]!.message).not.toContain(value.slice(8, 24));
  }

  it('a PKCS#8 key as line-wrapped base64 (LF and CRLF) is INPUT_PRIVATE_KEY, not PAYLOAD_CERTIFICATE_NOT_BASE64', async () => {
    for (const [kind, slot] of [['p256', 0], ['rsa2048', 0]] as const) {
      const der = pkcs8Der((await getKey(kind, slot)).privateKey);
      expectRefusedKey(b64(der).replace(/.{64}/g, '$&\n'), `${kind} LF`);
      expectRefusedKey(b64(der).replace(/.{64}/g, '$&\r\n'), `${kind} CRLF`);
      expectRefusedKey(b64(der).replace(/.{4}/g, '$& \t'), `${kind} spaces and tabs`);
    }
  });

  /** A PKCS#8 key of `kind` whose base64url text holds both - and _ (keys are random: try slots). */
  async function urlKey(kind: 'p256' | 'p384' | 'p521'): Promise<Uint8Array> {
    for (let slot = 0; slot < 40; slot++) {
      const der = pkcs8Der((await getKey(kind, slot)).privateKey);
      const url = Buffer.from(der).toString('base64url');
      if (url.includes('-') && url.includes('_')) return der;
    }
    throw new Error(`no ${kind} key with both - and _ in 40 tries`);
  }

  it('a PKCS#8 key as base64url (with - and _), wrapped or not, with 0, 1 or 2 padding characters missing, is INPUT_PRIVATE_KEY', async () => {
    // PKCS#8 of P-256, P-384 and P-521 is 138, 185 and 241 bytes: base64 padding of 0, 1 and 2.
    for (const [kind, padding] of [['p256', ''], ['p384', '='], ['p521', '==']] as const) {
      const der = await urlKey(kind);
      const url = Buffer.from(der).toString('base64url');
      expect(b64(der).length - b64(der).replace(/=+$/, '').length, kind).toBe(padding.length);
      expectRefusedKey(url, `${kind} base64url`);
      expectRefusedKey(url.replace(/.{64}/g, '$&\n'), `${kind} wrapped base64url`);
      expectRefusedKey(`${url}${padding}`, `${kind} base64url with padding`);
      expectRefusedKey(`${url}${padding}`.replace(/.{64}/g, '$&\r\n'), `${kind} wrapped base64url with padding`);
      expectRefusedKey(b64(der).replace(/=+$/, '').replace(/.{64}/g, '$&\n'), `${kind} wrapped base64 without padding`);
    }
  });

  it('line-wrapped base64 of a certificate is read as a certificate, never a key', () => {
    const findings = check(cleanCreate({ certificateAuthorities: [ca(root, true), { certificate: b64(inter.der).replace(/.{64}/g, '$&\n'), isRootAuthority: false }] }));
    expect(findings.map((f) => [f.code, f.ref])).toEqual([['PAYLOAD_CERTIFICATE_BASE64_NOT_CANONICAL', 'certificateAuthorities[1].certificate']]);
  });

  it('a PEM certificate names the armour; text that is not base64 at all is not a key', () => {
    const pem = toPem(inter.der, 'CERTIFICATE');
    const armoured = one(check(cleanCreate({ certificateAuthorities: [ca(root, true), { certificate: pem, isRootAuthority: false }] })), 'PAYLOAD_CERTIFICATE_NOT_BASE64');
    expect(armoured.message).toContain('PEM armour');
    expect(armoured.ref).toBe('certificateAuthorities[1].certificate');
    for (const junk of ['not base64 at all!', '****', 'a']) {
      const findings = check(cleanCreate({ certificateAuthorities: [ca(root, true), { certificate: junk, isRootAuthority: false }] }));
      expect(codes(findings)).toEqual(['PAYLOAD_CERTIFICATE_NOT_BASE64']);
    }
  });
});

describe('PKCS#7 inside a payload entry', () => {
  it('a single-certificate PKCS#7 is INPUT_NOT_A_CERTIFICATE: an entry takes one DER certificate', () => {
    const p7 = makePkcs7([inter.der]);
    const findings = check(cleanCreate({ certificateAuthorities: [ca(root, true), { certificate: b64(p7.der), isRootAuthority: false }] }));
    expect(findings.map((f) => [f.code, f.ref, f.errorCode])).toEqual([['INPUT_NOT_A_CERTIFICATE', 'certificateAuthorities[1].certificate', 'ERR_NOT_A_CERTIFICATE']]);
    expect(findings[0]!.graphError).toEqual(GRAPH_CERTIFICATE_ERROR);
    expect(findings[0]!.severity).toBe('error');
    expect(findings[0]!.message).toContain('1 certificates');
  });

  it('a single-certificate PKCS#7 of an expired root is not read as that root: no CERT_* findings', () => {
    const p7 = makePkcs7([expiredRoot.der]);
    const findings = check(cleanCreate({ certificateAuthorities: [{ certificate: b64(p7.der), isRootAuthority: true }] }));
    expect(codes(findings)).toEqual(['INPUT_NOT_A_CERTIFICATE']);
  });

  it('a two-certificate PKCS#7 names both in its message and its entry takes part in no list check', () => {
    const p7 = makePkcs7([root.der, inter.der]);
    const findings = check(cleanCreate({ certificateAuthorities: [{ certificate: b64(p7.der), isRootAuthority: false }, ca(inter2, false)] }));
    const f = one(findings, 'INPUT_NOT_A_CERTIFICATE');
    expect(f.message).toContain('2 certificates');
    expect(f.errorCode).toBe('ERR_NOT_A_CERTIFICATE');
    expect(refsOf(findings, 'PAYLOAD_ISSUER_NOT_IN_LIST')).toEqual(['certificateAuthorities[1].certificate']);
  });
});

describe('a missing isRootAuthority', () => {
  it('is PAYLOAD_MISSING_PROPERTY per entry, never a root flag mismatch, and no entry counts as root', () => {
    const findings = check({ tlsClientAuthParameter: PARAM, certificateAuthorities: [{ certificate: b64(root.der) }, { certificate: b64(inter.der) }] });
    expect(findings.map((f) => [f.code, f.ref])).toEqual([
      ['PAYLOAD_MISSING_PROPERTY', 'certificateAuthorities[0].isRootAuthority'],
      ['PAYLOAD_MISSING_PROPERTY', 'certificateAuthorities[1].isRootAuthority'],
      ['PAYLOAD_NO_ROOT', 'certificateAuthorities'],
    ]);
    for (const f of withCode(findings, 'PAYLOAD_MISSING_PROPERTY')) expect(f.graphError).toEqual(GRAPH_INVALID_VALUES_ERROR);
  });

  it('with another entry flagged as root, only the missing property is reported; the certificate is still checked', () => {
    const findings = check({ tlsClientAuthParameter: PARAM, certificateAuthorities: [ca(root, true), { certificate: b64(expiredRoot.der) }] });
    expect(findings.map((f) => [f.code, f.ref]).sort()).toEqual([
      ['CERT_EXPIRED', 'certificateAuthorities[1].certificate'],
      ['PAYLOAD_MISSING_PROPERTY', 'certificateAuthorities[1].isRootAuthority'],
    ]);
  });

  it('a null or wrongly typed flag counts as missing for the root check but is reported as what it is', () => {
    const findings = check({ tlsClientAuthParameter: PARAM, certificateAuthorities: [{ certificate: b64(root.der), isRootAuthority: null }, { certificate: b64(inter.der), isRootAuthority: 'false' }] });
    expect(findings.map((f) => [f.code, f.ref])).toEqual([
      ['PAYLOAD_NULL_NOT_ALLOWED', 'certificateAuthorities[0].isRootAuthority'],
      ['PAYLOAD_WRONG_TYPE', 'certificateAuthorities[1].isRootAuthority'],
      ['PAYLOAD_NO_ROOT', 'certificateAuthorities'],
    ]);
  });
});

describe('OData read-only properties', () => {
  it('@odata.etag, @odata.editLink and @odata.id are read-only at top level, with their ref', () => {
    const findings = check(cleanCreate({ '@odata.etag': 'W/"1"', '@odata.editLink': 'x/y', '@odata.id': 'https://graph.microsoft.com/beta/x' }));
    expect(findings.map((f) => [f.code, f.ref, f.severity])).toEqual([
      ['PAYLOAD_READ_ONLY_PROPERTY', '@odata.editLink', 'warning'],
      ['PAYLOAD_READ_ONLY_PROPERTY', '@odata.etag', 'warning'],
      ['PAYLOAD_READ_ONLY_PROPERTY', '@odata.id', 'warning'],
    ].sort());
    expect(one(check(cleanCreate({ '@odata.etag': 'W/"1"' }), 'update'), 'PAYLOAD_READ_ONLY_PROPERTY').message).toContain('@odata.etag');
  });

  it('other instance annotations are neither read-only nor unknown, at top level or in an entry', () => {
    expect(check(cleanCreate({ '@odata.nextLink': 'x', '@odata.count': 3, 'displayName@odata.type': '#String', '@custom.note': 1 }))).toEqual([]);
    expect(check(cleanCreate({ certificateAuthorities: [ca(root, true, { '@odata.etag': 'x', 'certificate@odata.mediaType': 'y' }), ca(inter, false)] }))).toEqual([]);
  });
});

describe('certificateRevocationListUrl: the rule is "starts with http:// (any case)"', () => {
  const urlFindings = (url: string): Finding[] =>
    check(cleanCreate({ certificateAuthorities: [ca(root, true, { certificateRevocationListUrl: url }), ca(inter, false, { deltaCertificateRevocationListUrl: url })] }));

  it('http only later in the string fires, in either property, with each entry ref', () => {
    for (const url of ['ftp://x/http', 'xhttp://crl.example.test/r.crl', 'ftp://http://x', ' http://crl.example.test/r.crl', 'http:/crl.example.test', 'http:crl', 'http', 'https://x', '']) {
      const findings = urlFindings(url);
      expect(findings.map((f) => [f.code, f.ref]), url).toEqual([
        ['PAYLOAD_CRL_URL_NOT_HTTP', 'certificateAuthorities[0].certificateRevocationListUrl'],
        ['PAYLOAD_CRL_URL_NOT_HTTP', 'certificateAuthorities[1].deltaCertificateRevocationListUrl'],
      ]);
    }
  });

  it('a value that starts with http:// does not fire, whatever follows', () => {
    for (const url of ['http://', 'http://crl.example.test/ftp://x', 'Http://crl.example.test/r.crl']) expect(urlFindings(url), url).toEqual([]);
  });

  it('a number or an object is PAYLOAD_WRONG_TYPE with the Edm.String conversion error, not a URL finding', () => {
    const findings = check(cleanCreate({ certificateAuthorities: [ca(root, true, { certificateRevocationListUrl: 5 }), ca(inter, false, { deltaCertificateRevocationListUrl: {} })] }));
    expect(findings.map((f) => [f.code, f.ref])).toEqual([
      ['PAYLOAD_WRONG_TYPE', 'certificateAuthorities[0].certificateRevocationListUrl'],
      ['PAYLOAD_WRONG_TYPE', 'certificateAuthorities[1].deltaCertificateRevocationListUrl'],
    ]);
    expect(findings[0]!.message).toContain('Edm.String');
  });
});

describe('Graph error bodies and refs, exactly', () => {
  it('a wrongly typed property names itself in the Graph body, at top level and in an entry', () => {
    const findings = check(cleanCreate({ displayName: { a: 1 }, certificateAuthorities: [ca(root, true, { certificateRevocationListUrl: [] }), { certificate: b64(inter.der), isRootAuthority: {} }] }));
    const byRef = new Map(withCode(findings, 'PAYLOAD_WRONG_TYPE').map((f) => [f.ref, f.graphError]));
    expect([...byRef.keys()].sort()).toEqual(['certificateAuthorities[0].certificateRevocationListUrl', 'certificateAuthorities[1].isRootAuthority', 'displayName']);
    expect(byRef.get('displayName')).toEqual(graphUnexpectedNodeError('StartObject', 'PrimitiveValue', 'displayName'));
    expect(byRef.get('certificateAuthorities[0].certificateRevocationListUrl')).toEqual(graphUnexpectedNodeError('StartArray', 'PrimitiveValue', 'certificateRevocationListUrl'));
    expect(byRef.get('certificateAuthorities[1].isRootAuthority')).toEqual(graphUnexpectedNodeError('StartObject', 'PrimitiveValue', 'isRootAuthority'));
    const primitive = one(check(cleanCreate({ displayName: true })), 'PAYLOAD_WRONG_TYPE');
    expect(primitive.graphError).toEqual(graphConversionError(undefined, 'Edm.String'));
    expect(primitive.message).toBe('displayName is a boolean; expected Edm.String');
  });

  it('the null, unknown-property, not-an-object and not-base64 bodies', () => {
    const findings = check({ tlsClientAuthParameter: null, bogus: 1, certificateAuthorities: [ca(root, true, { extra: 1, certificate: null }), 'x', { certificate: 'not base64!', isRootAuthority: false }] });
    const nulls = withCode(findings, 'PAYLOAD_NULL_NOT_ALLOWED');
    expect(nulls.map((f) => [f.ref, f.graphError])).toEqual([
      ['certificateAuthorities[0].certificate', graphNullError('certificate', 'Edm.Binary')],
      ['tlsClientAuthParameter', graphNullError('tlsClientAuthParameter', 'microsoft.graph.tlsClientRegistrationMetadata')],
    ]);
    const unknown = withCode(findings, 'PAYLOAD_UNKNOWN_PROPERTY');
    expect(unknown.map((f) => [f.ref, f.graphError])).toEqual([
      ['bogus', graphUnknownPropertyError('bogus', CONFIG_TYPE)],
      ['certificateAuthorities[0].extra', graphUnknownPropertyError('extra', CA_TYPE)],
    ]);
    expect(one(findings, 'PAYLOAD_NOT_AN_OBJECT')).toMatchObject({ ref: 'certificateAuthorities[1]', graphError: graphUnexpectedNodeError('PrimitiveValue', 'StartObject') });
    expect(one(findings, 'PAYLOAD_CERTIFICATE_NOT_BASE64')).toMatchObject({ ref: 'certificateAuthorities[2].certificate', graphError: graphConversionError('…', 'Edm.Binary') });
  });

  it('a long property name inside an entry is cut to 60 characters in the ref', () => {
    const key = 'k'.repeat(100);
    const f = one(check(cleanCreate({ certificateAuthorities: [ca(root, true, { [key]: 1 }), ca(inter, false)] })), 'PAYLOAD_UNKNOWN_PROPERTY');
    expect(f.ref).toBe(`certificateAuthorities[0].${'k'.repeat(60)}`);
    expect(one(check(cleanCreate({ [key]: 1 })), 'PAYLOAD_UNKNOWN_PROPERTY').ref).toBe('k'.repeat(60));
  });

  it('an inherited certificateAuthorities does not count as present', () => {
    const body = Object.create({ certificateAuthorities: [ca(root, true)] }) as Record<string, unknown>;
    body['tlsClientAuthParameter'] = PARAM;
    expect(check(body).map((f) => [f.code, f.ref])).toEqual([['PAYLOAD_NO_CERTIFICATE_AUTHORITIES', 'certificateAuthorities']]);
  });

  it('UTF-8 bytes are read from offset 0 unless all three BOM bytes lead', () => {
    // "¿" is C2 BF: the third byte of this body is 0xBF, which alone must not be taken for a BOM.
    const bytes = new TextEncoder().encode('"¿"');
    expect(bytes[2]).toBe(0xbf);
    expect(codes(check(bytes))).toEqual(['PAYLOAD_NOT_AN_OBJECT']);
    const bomOnly = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{}')]);
    expect(check(bomOnly, 'update')).toEqual([]);
  });

  it('an unknown kind is quoted, cut to 40 characters', () => {
    const e = errorOf(() => checkPayload({}, 'x'.repeat(100) as PayloadKind, OPTIONS));
    expect(e.message).toBe(`checkPayload kind: expected 'create' or 'update', received '${'x'.repeat(40)}'`);
  });
});

describe('exact refs, paths and messages', () => {
  it('without a source option, a finding location has no source key at all', () => {
    const [f] = check({ tlsClientAuthParameter: PARAM, certificateAuthorities: [] });
    expect(Object.keys(f!.location!)).toEqual([]);
  });

  it('tlsClientAuthParameter: the wrong-type body, the sentinel note, and a long value cut to 60 characters', () => {
    expect(one(check(cleanCreate({ tlsClientAuthParameter: 3 })), 'PAYLOAD_WRONG_TYPE').graphError).toEqual(graphConversionError(undefined, 'microsoft.graph.tlsClientRegistrationMetadata'));
    const members = 'tls_client_auth_subject_dn, tls_client_auth_san_dns, tls_client_auth_san_uri, tls_client_auth_san_ip, tls_client_auth_san_email';
    expect(one(check(cleanCreate({ tlsClientAuthParameter: 'unknownFutureValue' })), 'PAYLOAD_ENUM_INVALID').message).toBe(
      `tlsClientAuthParameter 'unknownFutureValue' (the evolvable-enum sentinel, not a real choice) is not one of ${members}`,
    );
    expect(one(check(cleanCreate({ tlsClientAuthParameter: 'bogus' })), 'PAYLOAD_ENUM_INVALID').message).toBe(`tlsClientAuthParameter 'bogus' is not one of ${members}`);
    expect(one(check(cleanCreate({ tlsClientAuthParameter: 'v'.repeat(100) })), 'PAYLOAD_ENUM_INVALID').message).toBe(`tlsClientAuthParameter '${'v'.repeat(60)}' is not one of ${members}`);
  });

  it('null certificateAuthorities, a number certificate and a null flag: their Graph bodies', () => {
    expect(one(check(cleanCreate({ certificateAuthorities: null })), 'PAYLOAD_NULL_NOT_ALLOWED').graphError).toEqual(graphNullError('certificateAuthorities', `Collection(${CA_TYPE})`));
    expect(one(check(cleanCreate({ certificateAuthorities: [ca(root, true), { certificate: 5, isRootAuthority: false }] })), 'PAYLOAD_WRONG_TYPE').graphError).toEqual(graphConversionError(undefined, 'Edm.Binary'));
    expect(one(check(cleanCreate({ certificateAuthorities: [ca(root, true), ca(inter, null as unknown as boolean)] })), 'PAYLOAD_NULL_NOT_ALLOWED').graphError).toEqual(graphNullError('isRootAuthority', 'Edm.Boolean'));
  });

  it('ERR_LIMIT_EXCEEDED for too many entries names the source', () => {
    const e = inputErrorOf(() => checkPayload(cleanCreate(), 'create', { now: NOW, source: 'body.json', limits: { maxCertificates: 1 } }));
    expect(e.code).toBe('ERR_LIMIT_EXCEEDED');
    expect(e.source).toBe('body.json');
  });

  it('long values are cut in messages: a CRL URL to 200 characters, a CA property name to 60 (200 in the Graph body)', () => {
    const url = `https://${'u'.repeat(300)}`;
    const crl = one(check(cleanCreate({ certificateAuthorities: [ca(root, true, { certificateRevocationListUrl: url }), ca(inter, false)] })), 'PAYLOAD_CRL_URL_NOT_HTTP');
    expect(crl.message).toBe(`certificateAuthorities[0].certificateRevocationListUrl '${url.slice(0, 200)}' is not an http: URL`);
    const key = 'q'.repeat(300);
    const unknown = one(check(cleanCreate({ certificateAuthorities: [ca(root, true, { [key]: 1 }), ca(inter, false)] })), 'PAYLOAD_UNKNOWN_PROPERTY');
    expect(unknown.message).toBe(`'${'q'.repeat(60)}' is not a property of ${CA_TYPE}`);
    expect(unknown.graphError).toEqual(graphUnknownPropertyError('q'.repeat(200), CA_TYPE));
  });

  it('a value that is not base64 is reported with the decoder reason, and nothing else', () => {
    let reason = '';
    try {
      decodeBase64Lenient('AB$D', 'certificateAuthorities[1].certificate');
    } catch (error) {
      reason = (error as GraphMtlsError).reason;
    }
    expect(reason).not.toBe('');
    const f = one(check(cleanCreate({ certificateAuthorities: [ca(root, true), { certificate: 'AB$D', isRootAuthority: false }] })), 'PAYLOAD_CERTIFICATE_NOT_BASE64');
    expect(f.message).toBe(reason);
    expect(f.errorCode).toBe('ERR_BASE64_INVALID');
    const pem = one(check(cleanCreate({ certificateAuthorities: [ca(root, true), { certificate: '-----BEGIN CERTIFICATE-----', isRootAuthority: false }] })), 'PAYLOAD_CERTIFICATE_NOT_BASE64');
    expect(pem.message.endsWith(' (PEM armour: send the base64 body alone, without BEGIN/END lines and line breaks)')).toBe(true);
  });

  it('the core limits reach the certificate reader: a certificate over maxCertificateBytes is refused at its entry', () => {
    const findings = check(cleanCreate({ certificateAuthorities: [ca(root, true), ca(inter, false)] }), 'create', { now: NOW, limits: { maxCertificateBytes: 100 } });
    expect(findings.map((f) => [f.code, f.ref, f.errorCode])).toEqual([
      ['INPUT_UNREADABLE', 'certificateAuthorities[0].certificate', 'ERR_LIMIT_EXCEEDED'],
      ['INPUT_UNREADABLE', 'certificateAuthorities[1].certificate', 'ERR_LIMIT_EXCEEDED'],
    ]);
  });

  it('the duplicate-SKI message shows the SKI in upper-case hex', () => {
    const f = one(check(cleanCreate({ certificateAuthorities: [ca(skiTwinA, true), ca(skiTwinB, true)] })), 'PAYLOAD_DUPLICATE_SKI');
    const hex = Buffer.from(sharedSki).toString('hex').toUpperCase();
    expect(f.message).toBe(`certificateAuthorities[1].certificate has the same subjectKeyIdentifier ${hex} as certificateAuthorities[0].certificate`);
  });

  it('a root without AKI is never looked up as an intermediate', async () => {
    const rootNoAki = await makeRootCa({ ...validity, key: await getKey('p256', 12), authorityKeyIdentifier: 'omit' });
    expect(check(cleanCreate({ certificateAuthorities: [ca(rootNoAki, true)] }))).toEqual([]);
  });

  it('ISSUER_NOT_IN_LIST names the issuer DN, or "an empty name"', async () => {
    const f = one(check(cleanCreate({ certificateAuthorities: [ca(inter, false)] })), 'PAYLOAD_ISSUER_NOT_IN_LIST');
    expect(f.message).toBe(`the issuer of certificateAuthorities[0].certificate (${parseCertificate(inter.der).issuerDn}) is not among the certificate authorities`);
    expect(parseCertificate(inter.der).issuerDn).not.toBe('');
    const emptyIssuer = await makeIntermediateCa(root, { ...validity, key: await getKey('p256', 13), issuerName: [], authorityKeyIdentifier: 'omit' });
    const g = one(check(cleanCreate({ certificateAuthorities: [ca(root, true), ca(emptyIssuer, false)] })), 'PAYLOAD_ISSUER_NOT_IN_LIST');
    expect(g.message).toBe('the issuer of certificateAuthorities[1].certificate (an empty name) is not among the certificate authorities');
  });

  it('the byte limit counts UTF-8 bytes, not characters', () => {
    const text = JSON.stringify({ displayName: 'é'.repeat(40) });
    const bytes = new TextEncoder().encode(text);
    expect(bytes.length).toBeGreaterThan(text.length);
    const e = errorOf(() => checkPayload(bytes, 'update', { now: NOW, payloadLimits: { maxPayloadBytes: text.length } }));
    expect(e.code).toBe('ERR_INPUT_TOO_LARGE');
    expect(e.message).toBe(`payload: expected at most ${text.length} bytes, received ${bytes.length}`);
    expect(checkPayload(bytes, 'update', { now: NOW, payloadLimits: { maxPayloadBytes: bytes.length } })).toEqual([]);
  });

  it('bytes that only partly look like a BOM are not skipped (they are not UTF-8 either)', () => {
    const tail = [...new TextEncoder().encode('{}')];
    for (const head of [[0x20, 0xbb, 0xbf], [0xef, 0x20, 0xbf], [0xef, 0xbb, 0x20], [0x20, 0xbb, 0x20]]) {
      expect(codes(check(new Uint8Array([...head, ...tail]), 'update')), JSON.stringify(head)).toEqual(['PAYLOAD_INVALID_JSON']);
    }
  });

  it('messages name the kind of a wrong value', () => {
    const kinds: readonly (readonly [unknown, string])[] = [
      [null, 'null'],
      [[1], 'a list'],
      [{}, 'an object'],
      [5, 'a number'],
      ['x', 'a string'],
      [true, 'a boolean'],
    ];
    for (const [value, kind] of kinds) {
      // A string body is JSON text; an object is no fault.
      if (typeof value === 'string' || (value !== null && typeof value === 'object' && !Array.isArray(value))) continue;
      expect(one(check(value), 'PAYLOAD_NOT_AN_OBJECT').message).toBe(`the body is ${kind}, not a JSON object`);
    }
    for (const [value, kind] of kinds) {
      if (value === null || typeof value === 'boolean') continue;
      expect(one(check(cleanCreate({ certificateAuthorities: [ca(root, true), ca(inter, value as boolean)] })), 'PAYLOAD_WRONG_TYPE').message).toBe(`certificateAuthorities[1].isRootAuthority is ${kind}; expected Edm.Boolean`);
    }
    expect(one(check(cleanCreate({ certificateAuthorities: [ca(root, true), 7] })), 'PAYLOAD_NOT_AN_OBJECT').message).toBe('certificateAuthorities[1] is a number, not a JSON object');
    expect(one(check(cleanCreate({ certificateAuthorities: 'x' })), 'PAYLOAD_WRONG_TYPE').message).toBe('certificateAuthorities is a string, not a list');
  });

  it('@odata.type messages quote a string (cut to 80 characters) and name any other kind', () => {
    const long = `#${'t'.repeat(100)}`;
    expect(one(check(cleanCreate({ '@odata.type': long })), 'PAYLOAD_ODATA_TYPE').message).toBe(`@odata.type is '${long.slice(0, 80)}'; expected '#${CONFIG_TYPE}'`);
    expect(one(check(cleanCreate({ '@odata.type': 5 })), 'PAYLOAD_ODATA_TYPE').message).toBe(`@odata.type is a number; expected '#${CONFIG_TYPE}'`);
    expect(one(check(cleanCreate({ certificateAuthorities: [ca(root, true, { '@odata.type': null }), ca(inter, false)] })), 'PAYLOAD_ODATA_TYPE').message).toBe(
      `certificateAuthorities[0].@odata.type is null; expected '#${CA_TYPE}' or none`,
    );
  });

  it('the lenient reading mends only trailing padding: extra = at the end is dropped, = inside is not mended', async () => {
    for (let slot = 0; slot < 40; slot++) {
      const der = pkcs8Der((await getKey('p384', slot)).privateKey);
      const text = b64(der);
      const cut = text.indexOf('A', 100);
      if (cut < 0) continue;
      // Three = where one belongs: still read as the key.
      const over = check(cleanCreate({ certificateAuthorities: [ca(root, true), { certificate: `${text.replace(/=+$/, '')}===`.replace(/.{64}/g, '$&\n'), isRootAuthority: false }] }));
      expect(codes(over)).toEqual(['INPUT_PRIVATE_KEY']);
      // '==' inserted inside the text: not base64 however mended, so not a key.
      const inside = check(cleanCreate({ certificateAuthorities: [ca(root, true), { certificate: `${text.slice(0, cut)}==${text.slice(cut)}`.replace(/=+$/, ''), isRootAuthority: false }] }));
      expect(codes(inside)).toEqual(['PAYLOAD_CERTIFICATE_NOT_BASE64']);
      return;
    }
    throw new Error('no P-384 key text with an A after character 100');
  });
});
