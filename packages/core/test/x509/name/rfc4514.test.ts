// The RFC 4514 writer (x509/name/rfc4514.ts): registered short names (§2.3) with string values,
// dotted OIDs with '#' hex for everything else, escaping per §2.4, and the round trip of every
// registered type through parseDistinguishedName and distinguishedNameMatch.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distinguishedNameMatch } from '../../../src/identity/dn-match.ts';
import { matches } from '../../../src/identity/identify.ts';
import { parseCertificate } from '../../../src/x509/certificate.ts';
import { KEYWORD_OIDS, RFC4514_KEYWORDS } from '../../../src/x509/name/keywords.ts';
import { parseDistinguishedName } from '../../../src/x509/name/parse.ts';
import { dottedTypeNames, formatRfc4514 } from '../../../src/x509/name/rfc4514.ts';
import { makeCertificate } from '@graph-mtls/test/fixtures/certificates.ts';
import { int, octet, tlv } from '@graph-mtls/test/fixtures/der-builder.ts';
import { CN, SERIAL, C, L, ST, STREET, O, OU, TITLE, DC, UID, EMAIL, JURISDICTION_C, PRINTABLE, IA5, NUMERIC, ava, rdn, nameDer, decode, textAva, plain } from './fixtures.ts';

/**
 * The attribute types of IANA's LDAP "Object Identifier Descriptors" registry (RFC 4520 §3.4)
 * that this library knows, with the reference the registry gives and the name written.
 */
const REGISTERED: readonly (readonly [oid: string, name: string, reference: string])[] = [
  [CN, 'CN', 'RFC 4519'],
  ['2.5.4.4', 'SN', 'RFC 4519'],
  [SERIAL, 'serialNumber', 'RFC 4519'],
  [C, 'C', 'RFC 4519'],
  [L, 'L', 'RFC 4519'],
  [ST, 'ST', 'RFC 4519'],
  [STREET, 'STREET', 'RFC 4519'],
  [O, 'O', 'RFC 4519'],
  [OU, 'OU', 'RFC 4519'],
  [TITLE, 'title', 'RFC 4519'],
  ['2.5.4.13', 'description', 'RFC 4519'],
  ['2.5.4.15', 'businessCategory', 'RFC 4519'],
  ['2.5.4.17', 'postalCode', 'RFC 4519'],
  ['2.5.4.18', 'postOfficeBox', 'RFC 4519'],
  ['2.5.4.20', 'telephoneNumber', 'RFC 4519'],
  ['2.5.4.24', 'x121Address', 'RFC 4519'],
  ['2.5.4.41', 'name', 'RFC 4519'],
  ['2.5.4.42', 'givenName', 'RFC 4519'],
  ['2.5.4.43', 'initials', 'RFC 4519'],
  ['2.5.4.44', 'generationQualifier', 'RFC 4519'],
  ['2.5.4.46', 'dnQualifier', 'RFC 4519'],
  ['2.5.4.65', 'pseudonym', 'RFC 3280'],
  [DC, 'DC', 'RFC 4519'],
  [UID, 'UID', 'RFC 4519'],
  ['0.9.2342.19200300.100.1.3', 'mail', 'RFC 4524'],
  [EMAIL, 'emailAddress', 'RFC 3280'],
];

/** Types with no registered name: organizationIdentifier, unstructuredName, EV jurisdiction*, TCG. */
const UNREGISTERED = ['2.5.4.97', '1.2.840.113549.1.9.2', '1.3.6.1.4.1.311.60.2.1.1', '1.3.6.1.4.1.311.60.2.1.2', JURISDICTION_C, '2.23.133.2.1', '2.23.133.2.2', '2.23.133.2.3'];

describe('formatRfc4514', () => {
  const one = (type: string, value: string): string => formatRfc4514([[textAva(type, value)]]);

  it('escapes each special character with a backslash (RFC 4514 §2.4)', () => {
    expect(one(CN, 'a,b')).toBe('CN=a\\,b');
    expect(one(CN, 'a+b')).toBe('CN=a\\+b');
    expect(one(CN, 'a"b')).toBe('CN=a\\"b');
    expect(one(CN, 'a\\b')).toBe('CN=a\\\\b');
    expect(one(CN, 'a<b')).toBe('CN=a\\<b');
    expect(one(CN, 'a>b')).toBe('CN=a\\>b');
    expect(one(CN, 'a;b')).toBe('CN=a\\;b');
    expect(one(CN, ',+"\\<>;')).toBe('CN=\\,\\+\\"\\\\\\<\\>\\;');
  });

  it('escapes a leading # or space, a trailing space, and NUL', () => {
    expect(one(CN, '#tag')).toBe('CN=\\#tag');
    expect(one(CN, 'a#b#')).toBe('CN=a#b#');
    expect(one(CN, ' lead')).toBe('CN=\\ lead');
    expect(one(CN, 'trail ')).toBe('CN=trail\\ ');
    expect(one(CN, ' ')).toBe('CN=\\ ');
    expect(one(CN, '  ')).toBe('CN=\\ \\ ');
    expect(one(CN, 'in  side')).toBe('CN=in  side');
    expect(one(CN, 'a\u0000b')).toBe('CN=a\\00b');
    expect(one(CN, '\ttab\n')).toBe('CN=\\09tab\\0A');
    expect(one(CN, 'del\u007f\u001f')).toBe('CN=del\\7F\\1F');
    expect(one(CN, 'a=b')).toBe('CN=a=b');
    expect(one(CN, '')).toBe('CN=');
  });

  it('keeps UTF-8 as characters', () => {
    expect(one(O, 'Ünïcødé 東京 😀')).toBe('O=Ünïcødé 東京 😀');
  });

  it('writes each type by its registered name (RFC 4514 §2.3)', () => {
    for (const [type, name] of REGISTERED) expect(formatRfc4514([[textAva(type, 'v')]])).toBe(`${name}=v`);
  });

  it('writes a type without a registered name as its dotted OID with #hex of the BER value, whatever tools call it', () => {
    for (const type of UNREGISTERED) expect(formatRfc4514([[textAva(type, 'v')]])).toBe(`${type}=#0c0176`);
    expect(formatRfc4514([[textAva('1.2.3.4', 'v')]])).toBe('1.2.3.4=#0c0176');
  });

  it('writes serialNumber and emailAddress by name, their PrintableString and IA5String values as text', () => {
    const name = decode(nameDer(rdn(ava(SERIAL, 'ABC123', PRINTABLE)), rdn(ava(EMAIL, 'a@b.c', IA5)), rdn(ava(CN, 'Dev'))));
    expect(formatRfc4514(name)).toBe('CN=Dev,emailAddress=a@b.c,serialNumber=ABC123');
  });

  it('escapes the value of a named type as any other (§2.4)', () => {
    expect(one(SERIAL, '#1, 2+3 ')).toBe('serialNumber=\\#1\\, 2\\+3\\ ');
    expect(one(EMAIL, 'a"b\\c@d')).toBe('emailAddress=a\\"b\\\\c@d');
  });

  it('writes a named type with #hex when the value has no string form (§2.4)', () => {
    expect(formatRfc4514(decode(nameDer(rdn(ava(O, tlv(0x04, Uint8Array.of(0xde, 0xad)))))))).toBe('O=#0402dead');
    expect(formatRfc4514(decode(nameDer(rdn(ava(SERIAL, int(5))))))).toBe('serialNumber=#020105');
    expect(formatRfc4514(decode(nameDer(rdn(ava(EMAIL, octet(Uint8Array.of(0x61)))))))).toBe('emailAddress=#040161');
  });

  it('accepts a Name or an RDN array', () => {
    const name = decode(nameDer(rdn(ava(C, 'US')), rdn(ava(CN, 'x'))));
    expect(formatRfc4514(name.rdns)).toBe(formatRfc4514(name));
  });
});

describe('RFC4514_KEYWORDS', () => {
  it('holds exactly the registered names this library knows, none of the unregistered types', () => {
    expect([...RFC4514_KEYWORDS].sort()).toEqual(REGISTERED.map(([type, name]) => [type, name]).sort());
    for (const type of UNREGISTERED) expect(RFC4514_KEYWORDS.get(type)).toBeUndefined();
  });

  it('every name written is one the parser reads back as its type', () => {
    for (const [type, name] of RFC4514_KEYWORDS) expect(KEYWORD_OIDS.get(name.toUpperCase())).toBe(type);
  });
});

describe('the round trip of every registered type', () => {
  /** A value of each kind a certificate holds: the type's usual string type, and UTF8String with every character §2.4 escapes. */
  const valuesOf = (type: string): Uint8Array[] => {
    const usual = type === C ? ava(type, 'US', PRINTABLE) : type === '2.5.4.24' ? ava(type, '12345', NUMERIC) : type === EMAIL || type === DC || type === '0.9.2342.19200300.100.1.3' ? ava(type, 'dev@example.com', IA5) : ava(type, 'Device 42', PRINTABLE);
    return [usual, ava(type, ' #a,b+c"d\\e<f>g;h=i\u0000Ü東 ')];
  };

  it.each(REGISTERED)('%s (%s, %s): format, parse, the same name, and it matches', (type, name) => {
    for (const value of valuesOf(type)) {
      const decoded = decode(nameDer(rdn(ava(CN, 'dev')), rdn(value)));
      const text = formatRfc4514(decoded);
      expect(text.startsWith(`${name}=`)).toBe(true);
      const back = parseDistinguishedName(text);
      expect(back.map((r) => r.map((a) => [a.type, a.value]))).toEqual(decoded.rdns.map((r) => r.map((a) => [a.type, a.value])));
      expect(distinguishedNameMatch(decoded.rdns, back)).toBe(true);
      expect(formatRfc4514(back)).toBe(text);
    }
  });

  it('a certificate whose subject holds every registered type matches its own subject DN', async () => {
    const subject = nameDer(...REGISTERED.map(([type]) => rdn(valuesOf(type)[0]!)));
    const cert = parseCertificate((await makeCertificate({ key: 'p256', subject })).der);
    expect(cert.subjectDn).toBe(formatRfc4514(decode(subject)));
    expect(cert.subjectDn).not.toMatch(/(^|,)[0-9.]+=/);
    expect(matches(cert, 'tls_client_auth_subject_dn', cert.subjectDn)).toEqual({ matched: true, value: cert.subjectDn });
    expect(matches(cert, 'tls_client_auth_subject_dn', cert.subjectDn.toUpperCase()).matched).toBe(true);
  });

  it('the forms written before, dotted OIDs with #hex, still parse to the same name and match', () => {
    const name = decode(nameDer(rdn(ava(SERIAL, 'ABC123', PRINTABLE)), rdn(ava(EMAIL, 'a@b.c', IA5)), rdn(ava(CN, 'Dev'))));
    for (const text of [
      'CN=Dev,1.2.840.113549.1.9.1=#16056140622e63,2.5.4.5=#1306414243313233',
      'CN=Dev,emailAddress=a@b.c,serialNumber=ABC123',
      'CN=Dev, E=A@B.C, SERIALNUMBER=abc123',
      'CN=Dev,OID.1.2.840.113549.1.9.1=a@b.c,OID.2.5.4.5=ABC123',
      'CN=Dev,email=a@b.c,serialnumber=ABC123',
    ]) {
      expect(distinguishedNameMatch(name.rdns, parseDistinguishedName(text))).toBe(true);
    }
    expect(formatRfc4514(parseDistinguishedName('CN=Dev,1.2.840.113549.1.9.1=#16056140622e63,2.5.4.5=#1306414243313233'))).toBe(formatRfc4514(name));
  });

  it('property: random values of registered and unregistered types survive format -> parse', () => {
    const types = [...REGISTERED.map(([type]) => type), ...UNREGISTERED];
    const avaArb = fc.tuple(fc.constantFrom(...types), fc.string({ unit: 'binary', maxLength: 8 })).map(([t, v]) => textAva(t, v));
    fc.assert(
      fc.property(fc.array(fc.array(avaArb, { minLength: 1, maxLength: 3 }), { maxLength: 5 }), (rdns) => {
        const back = parseDistinguishedName(formatRfc4514(rdns));
        expect(plain(back)).toEqual(plain(rdns));
        expect(distinguishedNameMatch(rdns, back)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('dottedTypeNames: OpenSSL names for the types RFC 4514 writes as dotted OIDs', () => {
  it('names each unregistered type OpenSSL knows once, in order, and nothing else', () => {
    const name = parseDistinguishedName('2.5.4.97=#0c0456415445,1.3.6.1.4.1.311.60.2.1.3=#13025553,CN=x,2.5.4.97=#0c0141,1.2.3.4=#0c0141');
    expect(dottedTypeNames(name)).toEqual(['2.5.4.97 is organizationIdentifier', '1.3.6.1.4.1.311.60.2.1.3 is jurisdictionC']);
    expect(dottedTypeNames(parseDistinguishedName('CN=x,serialNumber=42'))).toEqual([]);
  });
});
