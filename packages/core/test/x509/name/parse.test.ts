// The DN text parser (x509/name/parse.ts): RFC 4514, the .NET and OpenSSL variants, and round
// trips through the writers.

import * as x509 from '@peculiar/x509';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDotNet } from '../../../src/x509/name/dotnet.ts';
import { parseDistinguishedName } from '../../../src/x509/name/parse.ts';
import { formatRfc4514 } from '../../../src/x509/name/rfc4514.ts';
import { oid } from '@graph-mtls/test/fixtures/der-builder.ts';

import { codeOf, errorOf } from '@graph-mtls/test/helpers.ts';
import { CN, SERIAL, C, L, ST, STREET, O, OU, TITLE, SURNAME, GIVEN, INITIALS, DC, UID, EMAIL, JURISDICTION_C, UTF8, PRINTABLE, IA5, ava, rdn, nameDer, decode, textAva, plain, hex } from './fixtures.ts';

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

describe('round trips', () => {
  const samples = [
    'CN=Test,O=Example,C=US',
    'CN=a\\,b\\+c\\"d\\\\e\\<f\\>g\\;h,O=x',
    'CN=\\#tag,OU=\\ lead,O=trail\\ ,L=\\ ,ST=a\\00b',
    'CN=John+UID=jsmith,DC=example,DC=com',
    'CN=Ünïcødé 東京 😀,O=한국어',
    'emailAddress=a@b.c,serialNumber=ABC123,CN=Dev',
    '1.3.6.1.4.1.311.60.2.1.3=#13025553,2.5.4.97=#0c03616263,CN=Dev',
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
