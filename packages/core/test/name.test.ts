import * as x509 from '@peculiar/x509';
import fc from 'fast-check';
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DerReader } from '../src/encoding/der.ts';
import { decodeName } from '../src/x509/name/decode.ts';
import { formatDotNet } from '../src/x509/name/dotnet.ts';
import { RFC4514_KEYWORDS } from '../src/x509/name/keywords.ts';
import { parseDistinguishedName } from '../src/x509/name/parse.ts';
import { formatRfc4514 } from '../src/x509/name/rfc4514.ts';
import type { AttributeTypeAndValue, Name, RelativeDistinguishedName } from '../src/x509/name/types.ts';
import { bmp, concat, latin1Bytes, oid, seq, setUnsorted, tlv, universal, utf8, utf8Bytes } from '@graph-mtls/test/fixtures/der-builder.ts';
import { codeOf, errorOf } from '@graph-mtls/test/helpers.ts';

// --- Hand-built Names (der-builder primitives) ---------------------------------------------

const CN = '2.5.4.3';
const SERIAL = '2.5.4.5';
const C = '2.5.4.6';
const L = '2.5.4.7';
const ST = '2.5.4.8';
const STREET = '2.5.4.9';
const O = '2.5.4.10';
const OU = '2.5.4.11';
const TITLE = '2.5.4.12';
const SURNAME = '2.5.4.4';
const GIVEN = '2.5.4.42';
const INITIALS = '2.5.4.43';
const DC = '0.9.2342.19200300.100.1.25';
const UID = '0.9.2342.19200300.100.1.1';
const EMAIL = '1.2.840.113549.1.9.1';
const JURISDICTION_C = '1.3.6.1.4.1.311.60.2.1.3';

const UTF8 = 0x0c;
const PRINTABLE = 0x13;
const TELETEX = 0x14;
const IA5 = 0x16;
const VISIBLE = 0x1a;
const NUMERIC = 0x12;
const UNIVERSAL = 0x1c;
const BMP = 0x1e;

/** An AttributeTypeAndValue: SEQUENCE { OID, value }; a string value becomes a UTF8String. */
function ava(type: string, value: string | Uint8Array, tag = UTF8): Uint8Array {
  const valueTlv = typeof value === 'string' ? tlv(tag, tag === UTF8 ? utf8Bytes(value) : latin1Bytes(value)) : value;
  return seq(oid(type), valueTlv);
}
/** An RDN with the AVAs in the order given. */
const rdn = (...avas: Uint8Array[]): Uint8Array => setUnsorted(...avas);
const nameDer = (...rdns: Uint8Array[]): Uint8Array => seq(...rdns);

function decode(der: Uint8Array, maxAttributes = 128): Name {
  return decodeName(new DerReader(der), 'name', maxAttributes);
}

/** The AVA parseDistinguishedName builds for a text value: a UTF8String. */
function textAva(type: string, value: string): AttributeTypeAndValue {
  return { type, valueTag: UTF8, value, valueDer: utf8(value) };
}

/** Plain objects for toEqual (Uint8Array subarrays compare by content). */
function plain(rdns: readonly RelativeDistinguishedName[]): unknown {
  return rdns.map((r) => r.map((a) => ({ type: a.type, valueTag: a.valueTag, value: a.value, valueDer: Array.from(a.valueDer) })));
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

// --- decodeName ------------------------------------------------------------------------------

describe('decodeName', () => {
  it('decodes a Name into RDNs in certificate order', () => {
    const der = nameDer(rdn(ava(C, 'US', PRINTABLE)), rdn(ava(O, 'Example')), rdn(ava(CN, 'Test')));
    const name = decode(der);
    expect(name.rdns).toHaveLength(3);
    expect(name.rdns.map((r) => r[0]!.type)).toEqual([C, O, CN]);
    expect(name.rdns.map((r) => r[0]!.value)).toEqual(['US', 'Example', 'Test']);
    expect(name.rdns[0]![0]!.valueTag).toBe(PRINTABLE);
    expect(name.rdns[1]![0]!.valueTag).toBe(UTF8);
    expect(hex(name.rdns[0]![0]!.valueDer)).toBe('13025553');
    expect(hex(name.der)).toBe(hex(der));
    expect(formatRfc4514(name)).toBe('CN=Test,O=Example,C=US');
  });

  it('reads only the next element and leaves the reader after it', () => {
    const der = nameDer(rdn(ava(CN, 'a')));
    const outer = concat(der, Uint8Array.of(0x05, 0x00));
    const reader = new DerReader(outer);
    const name = decodeName(reader, 'issuer', 8);
    expect(hex(name.der)).toBe(hex(der));
    expect(reader.pos).toBe(der.length);
    expect(reader.peek()).toBe(0x05);
  });

  it('decodes the empty Name', () => {
    const name = decode(nameDer());
    expect(name.rdns).toEqual([]);
    expect(formatRfc4514(name)).toBe('');
    expect(formatDotNet(name)).toBe('');
  });

  it('keeps multi-valued RDNs together, in encoded order', () => {
    const name = decode(nameDer(rdn(ava(O, 'Example')), rdn(ava(CN, 'John'), ava(UID, 'jsmith'))));
    expect(name.rdns[1]!.map((a) => a.type)).toEqual([CN, UID]);
    expect(formatRfc4514(name)).toBe('CN=John+UID=jsmith,O=Example');
  });

  it('decodes UTF8String text, keeping non-ASCII as characters', () => {
    for (const text of ['Ünïcødé', '東京都', '한국어', '😀 emoji 🎉', 'mixed ASCII ü 中 😀']) {
      const name = decode(nameDer(rdn(ava(CN, text))));
      expect(name.rdns[0]![0]!.value).toBe(text);
      expect(formatRfc4514(name)).toBe(`CN=${text}`);
    }
  });

  it('decodes PrintableString, IA5String, VisibleString and NumericString as ASCII', () => {
    const name = decode(
      nameDer(
        rdn(ava(C, 'US', PRINTABLE)),
        rdn(ava(DC, 'example', IA5)),
        rdn(ava(O, 'Visible Org', VISIBLE)),
        rdn(ava(SERIAL, '12345', NUMERIC)),
      ),
    );
    expect(name.rdns.map((r) => r[0]!.value)).toEqual(['US', 'example', 'Visible Org', '12345']);
    expect(name.rdns.map((r) => r[0]!.valueTag)).toEqual([PRINTABLE, IA5, VISIBLE, NUMERIC]);
  });

  it('decodes TeletexString as Latin-1', () => {
    const name = decode(nameDer(rdn(ava(CN, tlv(TELETEX, Uint8Array.of(0x43, 0x61, 0x66, 0xe9, 0x20, 0xfc))))));
    expect(name.rdns[0]![0]!.value).toBe('Café ü');
  });

  it('decodes BMPString as UTF-16BE, surrogate pairs included', () => {
    const name = decode(nameDer(rdn(ava(CN, bmp('Ünï東 😀')))));
    expect(name.rdns[0]![0]!.value).toBe('Ünï東 😀');
    expect(name.rdns[0]![0]!.valueTag).toBe(BMP);
  });

  it('decodes UniversalString as UTF-32BE', () => {
    const name = decode(nameDer(rdn(ava(CN, universal('Ωmega 😀 東')))));
    expect(name.rdns[0]![0]!.value).toBe('Ωmega 😀 東');
  });

  it('leaves value undefined for non-string types and keeps their TLV', () => {
    const octets = tlv(0x04, Uint8Array.of(1, 2, 3));
    const name = decode(nameDer(rdn(ava(CN, octets)), rdn(ava('1.2.3.4', tlv(0x02, Uint8Array.of(0x05))))));
    expect(name.rdns[0]![0]!).toMatchObject({ type: CN, valueTag: 0x04, value: undefined });
    expect(hex(name.rdns[0]![0]!.valueDer)).toBe('0403010203');
    expect(formatRfc4514(name)).toBe('1.2.3.4=#020105,CN=#0403010203');
  });

  it('refuses malformed string contents with ERR_DER_INVALID_VALUE', () => {
    const bad = [
      tlv(UTF8, Uint8Array.of(0xc3)), // truncated sequence
      tlv(UTF8, Uint8Array.of(0xc0, 0xaf)), // overlong
      tlv(UTF8, Uint8Array.of(0xed, 0xa0, 0x80)), // surrogate
      tlv(PRINTABLE, Uint8Array.of(0x41, 0x80)),
      tlv(IA5, Uint8Array.of(0xff)),
      tlv(VISIBLE, Uint8Array.of(0xc3, 0xbc)),
      tlv(NUMERIC, Uint8Array.of(0x31, 0x90)),
      tlv(BMP, Uint8Array.of(0x00, 0x41, 0x00)), // odd length
      tlv(BMP, Uint8Array.of(0xd8, 0x3d)), // lone high surrogate
      tlv(BMP, Uint8Array.of(0xde, 0x00, 0x00, 0x41)), // lone low surrogate
      tlv(UNIVERSAL, Uint8Array.of(0, 0, 0x41)), // not a multiple of 4
      tlv(UNIVERSAL, Uint8Array.of(0, 0x11, 0, 0)), // above U+10FFFF
      tlv(UNIVERSAL, Uint8Array.of(0, 0, 0xd8, 0)), // surrogate code point
    ];
    for (const value of bad) expect(codeOf(() => decode(nameDer(rdn(ava(CN, value)))))).toBe('ERR_DER_INVALID_VALUE');
  });

  it('refuses an empty RDN SET', () => {
    expect(codeOf(() => decode(nameDer(rdn(ava(C, 'US')), tlv(0x31))))).toBe('ERR_DER_INVALID_VALUE');
  });

  it('refuses bad structure with ERR_DER_* codes', () => {
    expect(codeOf(() => decode(tlv(0x31, rdn(ava(CN, 'x')))))).toBe('ERR_DER_UNEXPECTED_TAG'); // Name not a SEQUENCE
    expect(codeOf(() => decode(nameDer(tlv(0x30, ava(CN, 'x')))))).toBe('ERR_DER_UNEXPECTED_TAG'); // RDN not a SET
    expect(codeOf(() => decode(nameDer(rdn(tlv(0x30, utf8('x'), oid(CN))))))).toBe('ERR_DER_UNEXPECTED_TAG');
    expect(codeOf(() => decode(nameDer(rdn(tlv(0x30, oid(CN))))))).toBe('ERR_DER_TRUNCATED'); // no value
    expect(codeOf(() => decode(nameDer(rdn(tlv(0x30, oid(CN), utf8('x'), tlv(0x05))))))).toBe('ERR_DER_TRAILING_DATA');
    expect(codeOf(() => decode(Uint8Array.from([0x30, 0x05, 0x31, 0x03])))).toBe('ERR_DER_TRUNCATED');
    expect(codeOf(() => decode(Uint8Array.from([0x30, 0x80, 0x00, 0x00])))).toBe('ERR_DER_BER_ENCODING');
    expect(codeOf(() => decode(nameDer(rdn(tlv(0x30, tlv(0x06), utf8('x'))))))).toBe('ERR_DER_INVALID_VALUE');
  });

  it('enforces maxAttributes across all RDNs with ERR_LIMIT_EXCEEDED', () => {
    const der = nameDer(rdn(ava(C, 'US')), rdn(ava(CN, 'a'), ava(UID, 'b')));
    expect(decode(der, 3).rdns).toHaveLength(2);
    expect(codeOf(() => decode(der, 2))).toBe('ERR_LIMIT_EXCEEDED');
    expect(codeOf(() => decode(der, 0))).toBe('ERR_LIMIT_EXCEEDED');
  });
});

// --- formatRfc4514 ---------------------------------------------------------------------------

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

  it('uses the RFC 4514 §3 keywords and nothing else', () => {
    const all = [CN, L, ST, O, OU, C, STREET, DC, UID].map((t) => [textAva(t, 'v')]).reverse();
    expect(formatRfc4514(all)).toBe('CN=v,L=v,ST=v,O=v,OU=v,C=v,STREET=v,DC=v,UID=v');
    expect(formatRfc4514([[textAva(TITLE, 'v')]])).toBe('2.5.4.12=#0c0176');
  });

  it('writes emailAddress and serialNumber as dotted OID with #hex of the BER value', () => {
    const name = decode(nameDer(rdn(ava(SERIAL, 'ABC123', PRINTABLE)), rdn(ava(EMAIL, 'a@b.c', IA5)), rdn(ava(CN, 'Dev'))));
    expect(formatRfc4514(name)).toBe('CN=Dev,1.2.840.113549.1.9.1=#1605614062' + '2e63,2.5.4.5=#1306414243313233');
  });

  it('writes a keyword with #hex when the value has no string form', () => {
    const name = decode(nameDer(rdn(ava(O, tlv(0x04, Uint8Array.of(0xde, 0xad))))));
    expect(formatRfc4514(name)).toBe('O=#0402dead');
  });

  it('accepts a Name or an RDN array', () => {
    const name = decode(nameDer(rdn(ava(C, 'US')), rdn(ava(CN, 'x'))));
    expect(formatRfc4514(name.rdns)).toBe(formatRfc4514(name));
  });
});

describe('RFC4514_KEYWORDS', () => {
  it('holds exactly the RFC 4514 §3 types', () => {
    expect([...RFC4514_KEYWORDS.values()].sort()).toEqual(['C', 'CN', 'DC', 'L', 'O', 'OU', 'ST', 'STREET', 'UID']);
    expect(RFC4514_KEYWORDS.get(ST)).toBe('ST');
    expect(RFC4514_KEYWORDS.get(EMAIL)).toBeUndefined();
    expect(RFC4514_KEYWORDS.get(SERIAL)).toBeUndefined();
  });
});

// --- formatDotNet ----------------------------------------------------------------------------

describe('formatDotNet', () => {
  it("matches Graph's documented issuer sample", () => {
    const name = decode(
      nameDer(
        rdn(ava(C, 'US', PRINTABLE)),
        rdn(ava(ST, 'WA', PRINTABLE)),
        rdn(ava(L, 'Redmond')),
        rdn(ava(O, 'Microsoft Corporation')),
        rdn(ava(OU, 'IoT Org')),
        rdn(ava(CN, 'certauthority.com')),
      ),
    );
    expect(formatDotNet(name)).toBe('CN=certauthority.com, OU=IoT Org, O=Microsoft Corporation, L=Redmond, S=WA, C=US');
  });

  it('uses the Windows keywords and OID.<dotted> for the rest', () => {
    const name = decode(
      nameDer(
        rdn(ava(DC, 'com', IA5)),
        rdn(ava(STREET, '1 Main St')),
        rdn(ava(SERIAL, '42', PRINTABLE)),
        rdn(ava(GIVEN, 'Ann'), ava(SURNAME, 'Lee'), ava(INITIALS, 'AL'), ava(TITLE, 'Dr')),
        rdn(ava(JURISDICTION_C, 'US', PRINTABLE)),
        rdn(ava(UID, 'alee')),
        rdn(ava(EMAIL, 'ann@example.com', IA5)),
      ),
    );
    expect(formatDotNet(name)).toBe(
      'E=ann@example.com, OID.0.9.2342.19200300.100.1.1=alee, OID.1.3.6.1.4.1.311.60.2.1.3=US, ' +
        'G=Ann + SN=Lee + I=AL + T=Dr, SERIALNUMBER=42, STREET=1 Main St, DC=com',
    );
  });

  it('quotes values with special characters, doubling embedded quotes', () => {
    const dn = (value: string): string => formatDotNet([[textAva(CN, value)]]);
    expect(dn('Doe, John')).toBe('CN="Doe, John"');
    expect(dn('say "hi"')).toBe('CN="say ""hi"""');
    expect(dn('a+b')).toBe('CN="a+b"');
    expect(dn('a=b')).toBe('CN="a=b"');
    expect(dn('#1')).toBe('CN="#1"');
    expect(dn('a;b')).toBe('CN="a;b"');
    expect(dn('<a>')).toBe('CN="<a>"');
    expect(dn('line\nbreak')).toBe('CN="line\nbreak"');
    expect(dn(' lead')).toBe('CN=" lead"');
    expect(dn('trail\t')).toBe('CN="trail\t"');
    expect(dn('')).toBe('CN=""');
    expect(dn('back\\slash')).toBe('CN=back\\slash');
    expect(dn('Ünïcødé 東京')).toBe('CN=Ünïcødé 東京');
    expect(dn('nul\u0000\u0000')).toBe('CN=nul');
  });

  it('writes non-string values as # and upper-case hex, unwrapping one OCTET STRING', () => {
    const name = decode(nameDer(rdn(ava('1.2.3.4', tlv(0x02, Uint8Array.of(0x01, 0x00)))), rdn(ava(CN, tlv(0x04, Uint8Array.of(0xab, 0xcd))))));
    expect(formatDotNet(name)).toBe('CN=#ABCD, OID.1.2.3.4=#02020100');
  });
});

// --- parseDistinguishedName ----------------------------------------------------------------

describe('parseDistinguishedName', () => {
  it('parses RFC 4514 into certificate order with UTF8String values', () => {
    const rdns = parseDistinguishedName('CN=Test,O=Example,C=US');
    expect(plain(rdns)).toEqual(plain([[textAva(C, 'US')], [textAva(O, 'Example')], [textAva(CN, 'Test')]]));
  });

  it('parses the empty DN', () => {
    expect(parseDistinguishedName('')).toEqual([]);
    expect(parseDistinguishedName('   ')).toEqual([]);
    expect(parseDistinguishedName('/')).toEqual([]);
  });

  it('parses an empty value', () => {
    expect(parseDistinguishedName('CN=,O=x')[1]![0]!.value).toBe('');
    expect(parseDistinguishedName('CN=')[0]![0]!.value).toBe('');
  });

  it('parses each backslash escape', () => {
    const value = (text: string): string | undefined => parseDistinguishedName(text)[0]![0]!.value;
    expect(value('CN=a\\,b')).toBe('a,b');
    expect(value('CN=a\\+b')).toBe('a+b');
    expect(value('CN=a\\"b')).toBe('a"b');
    expect(value('CN=a\\\\b')).toBe('a\\b');
    expect(value('CN=a\\<b\\>')).toBe('a<b>');
    expect(value('CN=a\\;b')).toBe('a;b');
    expect(value('CN=\\#tag')).toBe('#tag');
    expect(value('CN=\\ lead')).toBe(' lead');
    expect(value('CN=trail\\ ')).toBe('trail ');
    expect(value('CN=\\ ')).toBe(' ');
    expect(value('CN=a\\00b')).toBe('a\u0000b');
    expect(value('CN=a\\=b')).toBe('a=b');
    expect(value('CN=\\C3\\9Cn\\C3\\AF')).toBe('Ünï');
    expect(value('CN=\\e6\\9d\\b1\\e4\\ba\\ac')).toBe('東京');
    expect(value('CN=\\F0\\9F\\98\\80!')).toBe('😀!');
    expect(value('CN=\\20x\\20')).toBe(' x ');
    expect(value('CN=Ünïcødé 東京 😀')).toBe('Ünïcødé 東京 😀');
  });

  it('drops unescaped spaces around values but keeps inner ones', () => {
    expect(parseDistinguishedName('CN=  a  b  , O = y ').map((r) => r[0]!.value)).toEqual(['y', 'a  b']);
  });

  it('parses #hex values as BER', () => {
    const [r] = parseDistinguishedName('CN=#0C0454657374');
    expect(r![0]).toMatchObject({ type: CN, valueTag: UTF8, value: 'Test' });
    expect(hex(r![0]!.valueDer)).toBe('0c0454657374');
    const [e] = parseDistinguishedName('1.2.840.113549.1.9.1=#1605614062' + '2e63');
    expect(e![0]).toMatchObject({ type: EMAIL, valueTag: IA5, value: 'a@b.c' });
    const [b] = parseDistinguishedName('CN=#1e0400dc0041');
    expect(b![0]!.value).toBe('ÜA');
    const [o] = parseDistinguishedName('2.5.4.5=#0403010203');
    expect(o![0]).toMatchObject({ type: SERIAL, valueTag: 0x04, value: undefined });
  });

  it('parses quoted values, with backslash pairs and doubled quotes', () => {
    const values = (text: string): unknown => parseDistinguishedName(text).map((r) => r.map((a) => a.value));
    expect(values('CN="Doe, John",O=x')).toEqual([['x'], ['Doe, John']]);
    expect(values('CN="a\\"b"')).toEqual([['a"b']]);
    expect(values('CN="say ""hi"""')).toEqual([['say "hi"']]);
    expect(values('CN=""')).toEqual([['']]);
    expect(values('CN=" padded " , O="#x+y;z"')).toEqual([['#x+y;z'], [' padded ']]);
  });

  it('parses multi-valued RDNs', () => {
    const rdns = parseDistinguishedName('CN=John+UID=jsmith,O=Example');
    expect(plain(rdns)).toEqual(plain([[textAva(O, 'Example')], [textAva(CN, 'John'), textAva(UID, 'jsmith')]]));
    expect(plain(parseDistinguishedName('CN=John + UID=jsmith, O=Example'))).toEqual(plain(rdns));
  });

  it('reads keywords case-insensitively and accepts OID forms', () => {
    const canonical = plain(parseDistinguishedName('CN=x,O=y'));
    expect(plain(parseDistinguishedName('cn=x,o=y'))).toEqual(canonical);
    expect(plain(parseDistinguishedName('commonName=x,organizationName=y'))).toEqual(canonical);
    expect(plain(parseDistinguishedName('2.5.4.3=x,2.5.4.10=y'))).toEqual(canonical);
    expect(plain(parseDistinguishedName('OID.2.5.4.3=x,oid.2.5.4.10=y'))).toEqual(canonical);
  });

  it('maps the Windows, .NET and OpenSSL keywords', () => {
    const types = (text: string): string[] => parseDistinguishedName(text).flat().map((a) => a.type);
    expect(types('S=x')).toEqual([ST]);
    expect(types('E=x')).toEqual([EMAIL]);
    expect(types('emailAddress=x')).toEqual([EMAIL]);
    expect(types('OID.1.2.840.113549.1.9.1=x')).toEqual([EMAIL]);
    expect(types('SERIALNUMBER=x')).toEqual([SERIAL]);
    expect(types('serialNumber=x')).toEqual([SERIAL]);
    expect(types('G=x')).toEqual([GIVEN]);
    expect(types('GN=x')).toEqual([GIVEN]);
    expect(types('givenName=x')).toEqual([GIVEN]);
    expect(types('SN=x')).toEqual([SURNAME]);
    expect(types('T=x')).toEqual([TITLE]);
    expect(types('I=x')).toEqual([INITIALS]);
    expect(types('STREET=x')).toEqual([STREET]);
    expect(types('DC=x')).toEqual([DC]);
    expect(types('UID=x')).toEqual([UID]);
  });

  it('reads the .NET form as the same RDNs as RFC 4514', () => {
    const rfc = parseDistinguishedName('CN=certauthority.com,OU=IoT Org,O=Microsoft Corporation,L=Redmond,ST=WA,C=US');
    const dotnet = parseDistinguishedName('CN=certauthority.com, OU=IoT Org, O=Microsoft Corporation, L=Redmond, S=WA, C=US');
    expect(plain(dotnet)).toEqual(plain(rfc));
    expect(rfc[0]![0]!.type).toBe(C);
    expect(plain(parseDistinguishedName('CN="Doe, John", E=j@x.org'))).toEqual(plain(parseDistinguishedName('CN=Doe\\, John,1.2.840.113549.1.9.1=j@x.org')));
  });

  it("reads OpenSSL's one-line form in certificate order, as OpenSSL prints it", () => {
    expect(plain(parseDistinguishedName('C = US, O = Example, CN = x'))).toEqual(plain(parseDistinguishedName('CN=x,O=Example,C=US')));
    expect(parseDistinguishedName('C = US, O = Example, CN = x').map((r) => r[0]!.type)).toEqual([C, O, CN]);
    expect(plain(parseDistinguishedName('emailAddress = a@b.c, O = "Example, Inc.", CN = x'))).toEqual(
      plain(parseDistinguishedName('CN=x,O=Example\\, Inc.,1.2.840.113549.1.9.1=a@b.c')),
    );
  });

  it('reads the slash form in certificate order', () => {
    const slash = parseDistinguishedName('/C=US/O=Example/CN=x');
    expect(plain(slash)).toEqual(plain(parseDistinguishedName('CN=x,O=Example,C=US')));
    expect(slash.map((r) => r[0]!.type)).toEqual([C, O, CN]);
    expect(plain(parseDistinguishedName('/DC=org/O=Example, Inc./UID=1+CN=John Doe'))).toEqual(
      plain(parseDistinguishedName('UID=1+CN=John Doe,O=Example\\, Inc.,DC=org')),
    );
    expect(parseDistinguishedName('/CN=a\\/b')[0]![0]!.value).toBe('a/b');
  });

  it('accepts ; as an RDN separator (RFC 2253 §4)', () => {
    expect(plain(parseDistinguishedName('CN=x; O=y'))).toEqual(plain(parseDistinguishedName('CN=x,O=y')));
  });

  it('refuses bad input with ERR_INVALID_DN, naming the position', () => {
    const bad = [
      'CN',
      'CN x',
      '=x',
      'CN=x,',
      ',CN=x',
      'CN=x,,O=y',
      'CN=x+',
      'FOO=x',
      'C-N=x',
      'CN=x\\',
      'CN=\\4',
      'CN=\\4g',
      'CN=\\C3',
      'CN=\\FF\\FE',
      'CN=#',
      'CN=#abc',
      'CN=#zz',
      'CN=#0c01 x',
      'CN=#0c05ab',
      'CN=#0c016100',
      'CN=#0c01ff',
      'CN=#1e0100',
      'CN="abc',
      'CN="a"b',
      '3.1=x',
      '2.05.4=x',
      '1.40=x',
      '2=x',
      '2.5.=x',
      'OID.=x',
      'CN=\uD800x',
      'CN=x\uDC00',
      '/C=US/',
    ];
    for (const text of bad) expect(codeOf(() => parseDistinguishedName(text)), text).toBe('ERR_INVALID_DN');
    expect(errorOf(() => parseDistinguishedName('CN=x,,O=y')).message).toContain('character 6');
    expect(errorOf(() => parseDistinguishedName('CN=x,FOO=y')).message).toContain("'FOO'");
  });

  it('caps how much of the input an error quotes', () => {
    const message = errorOf(() => parseDistinguishedName(`${'X'.repeat(500)}=v`)).message;
    expect(message.length).toBeLessThan(200);
  });
});

// --- Round trips -----------------------------------------------------------------------------

describe('round trips', () => {
  const samples = [
    'CN=Test,O=Example,C=US',
    'CN=a\\,b\\+c\\"d\\\\e\\<f\\>g\\;h,O=x',
    'CN=\\#tag,OU=\\ lead,O=trail\\ ,L=\\ ,ST=a\\00b',
    'CN=John+UID=jsmith,DC=example,DC=com',
    'CN=Ünïcødé 東京 😀,O=한국어',
    '1.2.840.113549.1.9.1=#16056140622e63,2.5.4.5=#1306414243313233,CN=Dev',
    'CN=#0403010203,STREET=1 Main St',
    '',
  ];

  it('format(parse(s)) gives s back for canonical strings', () => {
    for (const text of samples) expect(formatRfc4514(parseDistinguishedName(text))).toBe(text);
  });

  it('parse(format(decoded DER)) gives the same types and values', () => {
    const name = decode(
      nameDer(
        rdn(ava(C, 'US', PRINTABLE)),
        rdn(ava(O, ' #Odd, "Org" <x>; \\ ')),
        rdn(ava(CN, 'Ünïcødé'), ava(UID, '東京')),
        rdn(ava(EMAIL, 'a@b.c', IA5)),
      ),
    );
    const back = parseDistinguishedName(formatRfc4514(name));
    expect(back.map((r) => r.map((a) => [a.type, a.value]))).toEqual(name.rdns.map((r) => r.map((a) => [a.type, a.value])));
    expect(formatRfc4514(back)).toBe(formatRfc4514(name));
  });

  const types = [CN, O, OU, L, ST, C, STREET, DC, UID, EMAIL, SERIAL, JURISDICTION_C, '2.5.4.97'];
  const specials = fc.constantFrom(',', '+', '"', '\\', '<', '>', ';', '#', ' ', '=', '\u0000', '\t', '/', 'Ü', '東', '😀');
  const valueArb = fc
    .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 3 }), specials), { maxLength: 6 })
    .map((parts) => parts.join(''));
  const avaArb = fc.tuple(fc.constantFrom(...types), valueArb).map(([t, v]) => textAva(t, v));
  const rdnsArb = fc.array(fc.array(avaArb, { minLength: 1, maxLength: 3 }), { maxLength: 6 });

  it('property: random RDN sequences survive format -> parse -> format', () => {
    fc.assert(
      fc.property(rdnsArb, (rdns) => {
        const text = formatRfc4514(rdns);
        const back = parseDistinguishedName(text);
        expect(plain(back)).toEqual(plain(rdns));
        expect(formatRfc4514(back)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('property: the .NET form parses back to the same values (no backslashes or NULs)', () => {
    const dotNetValue = valueArb.filter((v) => !v.includes('\\') && !v.includes('\u0000'));
    const arb = fc.array(
      fc.array(fc.tuple(fc.constantFrom(CN, O, OU, L, ST, C, DC, EMAIL, SERIAL, JURISDICTION_C), dotNetValue).map(([t, v]) => textAva(t, v)), {
        minLength: 1,
        maxLength: 3,
      }),
      { maxLength: 5 },
    );
    fc.assert(
      fc.property(arb, (rdns) => {
        const back = parseDistinguishedName(formatDotNet(rdns));
        expect(plain(back)).toEqual(plain(rdns));
      }),
      { numRuns: 300 },
    );
  });
});

// --- Real certificates -----------------------------------------------------------------------

describe('names in generated certificates', () => {
  x509.cryptoProvider.set(globalThis.crypto);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

  async function selfSigned(subject: Uint8Array): Promise<Uint8Array> {
    const keys = await globalThis.crypto.subtle.generateKey(alg, true, ['sign', 'verify']);
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01',
      name: new x509.Name(new Uint8Array(subject)),
      keys,
      signingAlgorithm: alg,
      notBefore: new Date('2024-01-01T00:00:00Z'),
      notAfter: new Date('2034-01-01T00:00:00Z'),
    });
    return new Uint8Array(cert.rawData);
  }

  /** tbsCertificate's issuer and subject, read with DerReader. */
  function namesOf(certDer: Uint8Array): { issuer: Name; subject: Name } {
    const tbs = new DerReader(certDer).enter(0x30, 'certificate').enter(0x30, 'tbsCertificate');
    tbs.optional(0xa0, 'version');
    tbs.expect(0x02, 'serialNumber');
    tbs.expect(0x30, 'signature');
    const issuer = decodeName(tbs, 'issuer', 128);
    tbs.expect(0x30, 'validity');
    const subject = decodeName(tbs, 'subject', 128);
    return { issuer, subject };
  }

  it('decodes the subject and issuer of a certificate, byte for byte', async () => {
    const subjectDer = nameDer(
      rdn(ava(C, 'US', PRINTABLE)),
      rdn(ava(ST, 'WA', PRINTABLE)),
      rdn(ava(O, 'Contoso, Ltd')),
      rdn(ava(CN, 'Device Ünï 東京'), ava(SERIAL, 'SN-1', PRINTABLE)),
      rdn(ava(EMAIL, 'dev@contoso.example', IA5)),
    );
    const der = await selfSigned(subjectDer);
    const { issuer, subject } = namesOf(der);
    expect(hex(subject.der)).toBe(hex(subjectDer));
    expect(hex(issuer.der)).toBe(hex(subjectDer));
    expect(formatRfc4514(subject)).toBe(
      '1.2.840.113549.1.9.1=#1613646576406' + '36f6e746f736f2e6578616d706c65' + ',CN=Device Ünï 東京+2.5.4.5=#1304534e2d31,O=Contoso\\, Ltd,ST=WA,C=US',
    );
    expect(formatDotNet(subject)).toBe('E=dev@contoso.example, CN=Device Ünï 東京 + SERIALNUMBER=SN-1, O="Contoso, Ltd", S=WA, C=US');
  });

  it("agrees with node's X509Certificate for plain names", async () => {
    const subjectDer = nameDer(rdn(ava(C, 'US', PRINTABLE)), rdn(ava(O, 'Example Org')), rdn(ava(OU, 'IoT')), rdn(ava(CN, 'device-01')));
    const der = await selfSigned(subjectDer);
    const nodeLines = new X509Certificate(der).subject.split('\n');
    expect(formatRfc4514(namesOf(der).subject)).toBe(nodeLines.reverse().join(','));
  });

  it('decodes BMPString and TeletexString values kept in a certificate', async () => {
    const subjectDer = nameDer(rdn(ava(O, tlv(TELETEX, Uint8Array.of(0x43, 0x61, 0x66, 0xe9)))), rdn(ava(CN, bmp('Ωmega'))));
    const der = await selfSigned(subjectDer);
    const { subject } = namesOf(der);
    expect(subject.rdns.map((r) => r[0]!.value)).toEqual(['Café', 'Ωmega']);
    expect(subject.rdns.map((r) => r[0]!.valueTag)).toEqual([TELETEX, BMP]);
  });
});
