import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DerReader } from '../../src/encoding/der.ts';
import { distinguishedNameMatch, prepareString } from '../../src/identity/dn-match.ts';
import { decodeName } from '../../src/x509/name/decode.ts';
import { formatDotNet } from '../../src/x509/name/dotnet.ts';
import { parseDistinguishedName } from '../../src/x509/name/parse.ts';
import { formatRfc4514 } from '../../src/x509/name/rfc4514.ts';
import type { AttributeTypeAndValue, RelativeDistinguishedName } from '../../src/x509/name/types.ts';
import { bmp, ia5, oid, printable, seq, setUnsorted, utf8 } from '@graph-mtls/test/fixtures/der-builder.ts';

/** An AttributeTypeAndValue: the type OID and the complete value TLV. */
type Ava = [type: string, value: Uint8Array];
/** Certificate-order RDNs, each a list of AVAs kept in the order given. */
function certRdns(...rdns: Ava[][]): readonly RelativeDistinguishedName[] {
  const der = seq(...rdns.map((r) => setUnsorted(...r.map(([type, value]) => seq(oid(type), value)))));
  return decodeName(new DerReader(der), 'name', 64).rdns;
}

const CN = '2.5.4.3';
const O = '2.5.4.10';
const C = '2.5.4.6';
const UID = '0.9.2342.19200300.100.1.1';
const DC = '0.9.2342.19200300.100.1.25';
const EMAIL = '1.2.840.113549.1.9.1';
const UTF8 = 0x0c;

const dn = parseDistinguishedName;
const match = (a: string, b: string): boolean => distinguishedNameMatch(dn(a), dn(b));

describe('prepareString (RFC 4518)', () => {
  it('folds case and handles insignificant space', () => {
    expect(prepareString('  Hello   World  ')).toBe('hello world');
    expect(prepareString('')).toBe('');
    expect(prepareString('    ')).toBe('');
    expect(prepareString('a\tb\r\nc')).toBe('a b c');
    expect(prepareString('A\u00a0\u3000B')).toBe('a b');
  });

  it('maps control and formatting code points to nothing', () => {
    expect(prepareString('soft\u00adhyphen')).toBe('softhyphen');
    expect(prepareString('zero\u200bwidth\u200d')).toBe('zerowidth');
    expect(prepareString('\ufeffbom')).toBe('bom');
    expect(prepareString('ctl\u0001\u007f')).toBe('ctl');
  });

  it('applies NFKC and full case folding', () => {
    expect(prepareString('Stra\u00dfe')).toBe(prepareString('STRASSE'));
    expect(prepareString('\ufb01le')).toBe('file'); // ﬁ ligature
    expect(prepareString('\uff21\uff22\uff23')).toBe('abc'); // full-width
    expect(prepareString('e\u0301')).toBe(prepareString('\u00e9')); // decomposed vs composed
    expect(prepareString('\u{1d400}')).toBe('a'); // MATHEMATICAL BOLD CAPITAL A
    expect(prepareString('ÜNÏCØDÉ')).toBe('ünïcødé');
    expect(prepareString('ΟΔΟΣ')).toBe(prepareString('οδος'));
  });
});

describe('distinguishedNameMatch (RFC 4517 §4.2.15)', () => {
  it('matches identical names', () => {
    expect(match('CN=Device 1,O=Contoso,C=US', 'CN=Device 1,O=Contoso,C=US')).toBe(true);
    expect(distinguishedNameMatch([], [])).toBe(true);
  });

  it('ignores case', () => {
    expect(match('CN=Device,O=Contoso', 'cn=DEVICE,o=contoso')).toBe(true);
    expect(match('CN=Ünïcødé', 'CN=üNÏCØDÉ')).toBe(true);
  });

  it('ignores insignificant spaces but not significant characters', () => {
    expect(match('CN=\\20\\20Test   Device\\20', 'CN=Test Device')).toBe(true);
    expect(match('CN=TestDevice', 'CN=Test Device')).toBe(false);
    expect(match('CN=Test-Device', 'CN=Test Device')).toBe(false);
  });

  it('does not care about AVA order inside a multi-valued RDN', () => {
    expect(match('CN=John+UID=jsmith,O=Example', 'UID=JSMITH+CN=john,O=Example')).toBe(true);
    expect(match('CN=John+UID=jsmith', 'CN=John+UID=other')).toBe(false);
    expect(match('CN=a+CN=a', 'CN=a+CN=b')).toBe(false);
    expect(match('CN=a+CN=b', 'CN=b+CN=a')).toBe(true);
  });

  it('treats RDN order as significant', () => {
    expect(match('CN=a,O=b', 'O=b,CN=a')).toBe(false);
  });

  it('needs the same number of RDNs and of AVAs per RDN', () => {
    expect(match('CN=a,O=b', 'CN=a')).toBe(false);
    expect(match('CN=a', 'CN=a,O=b')).toBe(false);
    expect(match('CN=a+O=b', 'CN=a,O=b')).toBe(false);
    expect(match('CN=a', '')).toBe(false);
  });

  it('compares attribute types by OID', () => {
    expect(match('CN=a', 'OU=a')).toBe(false);
    expect(match('CN=a', '2.5.4.3=A')).toBe(true);
    expect(match('ST=WA', 'S=wa')).toBe(true);
  });

  it('compares a #hex value with a string by its decoded text', () => {
    expect(match('CN=#0c0454657374', 'CN=test')).toBe(true);
    expect(match('CN=#13055445535420', 'CN=test')).toBe(true); // PrintableString 'TEST '
    expect(match('CN=#0c0454657374', 'CN=tests')).toBe(false);
  });

  it('compares values without a string form by their bytes', () => {
    expect(match('2.5.4.45=#030200ff', '2.5.4.45=#030200FF')).toBe(true);
    expect(match('2.5.4.45=#030200ff', '2.5.4.45=#030200fe')).toBe(false);
    expect(match('CN=#0403616263', 'CN=abc')).toBe(false); // OCTET STRING is not text
  });

  it('uses caseIgnoreIA5Match for DC and emailAddress', () => {
    expect(match('DC=Example,DC=COM', 'DC=example,DC=com')).toBe(true);
    expect(match('E=User@Example.COM', 'emailAddress=user@example.com')).toBe(true);
    expect(match('E=user@example.com', 'E=user2@example.com')).toBe(false);
  });

  it('matches a certificate subject against its RFC 4514, .NET and OpenSSL strings', () => {
    const subject = certRdns(
      [[C, printable('US')]],
      [[O, utf8('Contoso, Ltd')]],
      [[CN, bmp('Dév')], [UID, utf8('dev-1')]],
      [[EMAIL, ia5('Dev@Contoso.example')]],
    );
    expect(distinguishedNameMatch(subject, dn(formatRfc4514(subject)))).toBe(true);
    expect(distinguishedNameMatch(subject, dn(formatDotNet(subject)))).toBe(true);
    expect(distinguishedNameMatch(subject, dn('E=dev@contoso.example, CN=DÉV + UID=dev-1, O="Contoso, Ltd", C=us'))).toBe(true);
    // OpenSSL's one-line form (spaces around '=') is printed in certificate order, C first.
    expect(distinguishedNameMatch(subject, dn('C = US, O = Contoso\\, Ltd, CN = Dév + UID = dev-1, emailAddress = dev@contoso.example'))).toBe(true);
    expect(distinguishedNameMatch(subject, dn('/C=US/O=Contoso, Ltd/CN=Dév+UID=dev-1/emailAddress=dev@contoso.example'))).toBe(true);
    expect(distinguishedNameMatch(subject, dn('CN=Dév+UID=dev-1,O=Contoso\\, Ltd,C=US'))).toBe(false);
  });

  it('matches PrintableString against the same text in UTF8String', () => {
    const a = certRdns([[C, printable('US')]], [[DC, ia5('Example')]]);
    const b = certRdns([[C, utf8('us')]], [[DC, utf8('example')]]);
    expect(distinguishedNameMatch(a, b)).toBe(true);
  });

  it('property: a name matches itself re-parsed and case-changed; a changed name does not', () => {
    const types = [CN, O, C, UID, DC, EMAIL];
    const valueArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ,+"#;<>.=-]{0,8}[A-Za-z0-9]$/);
    const avaArb = fc.tuple(fc.constantFrom(...types), valueArb).map(
      ([type, value]): AttributeTypeAndValue => ({ type, valueTag: UTF8, value, valueDer: utf8(value) }),
    );
    const rdnsArb = fc.array(fc.uniqueArray(avaArb, { minLength: 1, maxLength: 3, selector: (a) => a.type }), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(rdnsArb, (rdns) => {
        const upper = rdns.map((r) => [...r].reverse().map((a) => ({ ...a, value: a.value!.toUpperCase() })));
        expect(distinguishedNameMatch(rdns, dn(formatRfc4514(upper)))).toBe(true);
        expect(distinguishedNameMatch(rdns, dn(formatDotNet(rdns)))).toBe(true);
        const changed = rdns.map((r, i) => (i === 0 ? [{ ...r[0]!, value: r[0]!.value + 'x' }, ...r.slice(1)] : r));
        expect(distinguishedNameMatch(rdns, changed)).toBe(false);
        if (rdns.length > 1 && formatRfc4514([rdns[0]!]) !== formatRfc4514([rdns[1]!])) {
          const swapped = [rdns[1]!, rdns[0]!, ...rdns.slice(2)];
          expect(distinguishedNameMatch(rdns, swapped)).toBe(prepareAll(rdns[0]!) === prepareAll(rdns[1]!));
        }
      }),
      { numRuns: 300 },
    );
  });
});

function prepareAll(rdn: RelativeDistinguishedName): string {
  return rdn
    .map((a) => `${a.type}=${prepareString(a.value!)}`)
    .sort()
    .join('+');
}

describe('multi-valued RDNs: matched as multisets, keyed by type, within the attribute limit', () => {
  /** A multi-valued RDN of n CN values made directly (no parser: its limit is 128). */
  function bigRdn(n: number, order: (i: number) => number, value: (i: number) => string): RelativeDistinguishedName {
    const rdn: AttributeTypeAndValue[] = [];
    for (let k = 0; k < n; k++) {
      const v = value(order(k));
      rdn.push({ type: CN, valueTag: UTF8, value: v, valueDer: new Uint8Array([UTF8, 0]) });
    }
    return rdn;
  }

  // Pairing values one against another took 11 s for 10,000 values and 120 s for 40,000; counted
  // keys take milliseconds, so this finishes far inside the test timeout even on a busy machine.
  // Skipped in mutation runs (vitest.mutate.config.ts), where instrumentation alone passes the test timeout.
  it.skipIf(process.env['GRAPH_MTLS_MUTATION'] === '1')('a multi-valued RDN of 40,000 values that need preparation matches its reordering, and a changed value does not match', () => {
    const n = 40_000;
    const value = (i: number): string => `Ｄevice\u00a0${i}`; // fullwidth D and a no-break space: preparation has work to do
    const a = [bigRdn(n, (k) => k, value)];
    const b = [bigRdn(n, (k) => n - 1 - k, (i) => value(i).toUpperCase().replace('\u00a0', ' '))];
    expect(distinguishedNameMatch(a, b)).toBe(true);
    const c = [bigRdn(n, (k) => k, (i) => (i === n - 1 ? 'other' : value(i)))];
    expect(distinguishedNameMatch(a, c)).toBe(false);
  });

  it('a multiset: the same values with other multiplicities do not match', () => {
    const x: AttributeTypeAndValue = { type: CN, valueTag: UTF8, value: 'a', valueDer: new Uint8Array([UTF8, 1, 0x61]) };
    const y: AttributeTypeAndValue = { type: CN, valueTag: UTF8, value: 'b', valueDer: new Uint8Array([UTF8, 1, 0x62]) };
    expect(distinguishedNameMatch([[x, x, y]], [[x, y, y]])).toBe(false);
    expect(distinguishedNameMatch([[x, y, x]], [[y, x, x]])).toBe(true);
  });

  it('a value without a string form never matches a string value whose prepared text looks like its hex', () => {
    const bytesOnly: AttributeTypeAndValue = { type: CN, valueTag: 0x04, value: undefined, valueDer: new Uint8Array([0x04, 1, 0x00]) };
    const text: AttributeTypeAndValue = { type: CN, valueTag: UTF8, value: '#0004 01 00', valueDer: new Uint8Array([UTF8, 0]) };
    const other: AttributeTypeAndValue = { type: CN, valueTag: UTF8, value: '#040100', valueDer: new Uint8Array([UTF8, 0]) };
    expect(distinguishedNameMatch([[bytesOnly, text]], [[other, text]])).toBe(false);
    expect(distinguishedNameMatch([[bytesOnly, text]], [[text, bytesOnly]])).toBe(true);
  });

  it('DC and emailAddress compare by caseIgnoreIA5Match in multi-valued RDNs too: DC=straße is not DC=STRASSE, CN=straße is CN=STRASSE', () => {
    expect(distinguishedNameMatch(parseDistinguishedName('DC=straße+CN=x'), parseDistinguishedName('CN=x+DC=STRASSE'))).toBe(false);
    expect(distinguishedNameMatch(parseDistinguishedName('DC=straße'), parseDistinguishedName('DC=STRASSE'))).toBe(false);
    expect(distinguishedNameMatch(parseDistinguishedName('CN=straße+DC=x'), parseDistinguishedName('DC=X+CN=STRASSE'))).toBe(true);
    expect(distinguishedNameMatch(parseDistinguishedName('CN=straße'), parseDistinguishedName('CN=STRASSE'))).toBe(true);
  });

  it('parseDistinguishedName refuses more attributes than a certificate name may hold (128), naming where', () => {
    const at128 = Array.from({ length: 128 }, (_, i) => `CN=v${i}`).join('+');
    expect(parseDistinguishedName(at128)[0]).toHaveLength(128);
    const at129 = `${at128},O=x`;
    let error: unknown;
    try {
      parseDistinguishedName(at129);
    } catch (e) {
      error = e;
    }
    expect((error as { code: string }).code).toBe('ERR_LIMIT_EXCEEDED');
    expect((error as Error).message).toBe(`distinguished name at character ${at128.length + 2}: expected at most 128 attributes, received more`);
    expect(parseDistinguishedName('CN=a,O=b,C=c', { maxAttributes: 3 })).toHaveLength(3);
    expect(() => parseDistinguishedName('CN=a,O=b,C=c', { maxAttributes: 2 })).toThrow(/at most 2 attributes/);
  });
});

// RFC 4518 §2.2, entry by entry: every code point the two tables list, and the code points just
// outside each listed range, decided by what prepareString does with them between two letters.
describe('RFC 4518 §2.2 mapping tables, entry by entry', () => {
  /** Code points mapped to SPACE: U+0009-000D, U+0085 and the Zs, Zl, Zp code points (Unicode 3.2). */
  const TO_SPACE: readonly (readonly [number, number])[] = [
    [0x09, 0x0d], [0x20, 0x20], [0x85, 0x85], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a],
    [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000],
  ];
  /** Code points mapped to nothing: the complete list of §2.2. */
  const TO_NOTHING: readonly (readonly [number, number])[] = [
    [0x00, 0x08], [0x0e, 0x1f], [0x7f, 0x84], [0x86, 0x9f], [0xad, 0xad], [0x034f, 0x034f], [0x06dd, 0x06dd],
    [0x070f, 0x070f], [0x1806, 0x1806], [0x180b, 0x180e], [0x200b, 0x200f], [0x202a, 0x202e], [0x2060, 0x2063],
    [0x206a, 0x206f], [0xfe00, 0xfe0f], [0xfeff, 0xfeff], [0xfff9, 0xfffc], [0x1d173, 0x1d17a], [0xe0001, 0xe0001],
    [0xe0020, 0xe007f],
  ];
  const inTable = (table: readonly (readonly [number, number])[], cp: number): boolean => table.some(([lo, hi]) => cp >= lo && cp <= hi);
  const hex = (cp: number): string => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  const between = (cp: number): string => prepareString(`a${String.fromCodePoint(cp)}b`);
  const listed = (table: readonly (readonly [number, number])[]): number[] => table.flatMap(([lo, hi]) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i));
  /** The neighbours just outside every range of both tables that neither table lists. */
  const outside = [...TO_SPACE, ...TO_NOTHING]
    .flatMap(([lo, hi]) => [lo - 1, hi + 1])
    .filter((cp) => cp >= 0 && !inTable(TO_SPACE, cp) && !inTable(TO_NOTHING, cp));

  it('every code point mapped to SPACE separates the letters by one space', () => {
    const wrong = listed(TO_SPACE).filter((cp) => between(cp) !== 'a b').map(hex);
    expect(wrong).toEqual([]);
    // ... and, being a space, is insignificant at either end and collapses with its neighbours.
    for (const cp of listed(TO_SPACE)) {
      const ch = String.fromCodePoint(cp);
      expect(prepareString(`${ch}é${ch}${ch} ${ch}É${ch}`), hex(cp)).toBe('é é');
    }
  });

  it('every code point mapped to nothing disappears', () => {
    const wrong = listed(TO_NOTHING).filter((cp) => between(cp) !== 'ab').map(hex);
    expect(wrong).toEqual([]);
    // Mapped to nothing before the spaces are handled: 'a <cp> b' still has one space.
    for (const cp of listed(TO_NOTHING)) expect(prepareString(`a ${String.fromCodePoint(cp)} b`), hex(cp)).toBe('a b');
  });

  it('the code points just outside each listed range are kept', () => {
    // 0x21 '!', 0x7e '~', 0xa1, 0xac, 0xae, 0x034e, 0x0350, ..., 0xe0000, 0xe0002, 0xe001f, 0xe0080.
    expect(outside.length).toBeGreaterThan(30);
    const wrong = outside.filter((cp) => ['ab', 'a b'].includes(between(cp))).map(hex);
    expect(wrong).toEqual([]);
    for (const cp of outside) expect(between(cp).length, hex(cp)).toBeGreaterThan(2);
  });

  it('neighbours that the other table lists take that table\'s mapping', () => {
    // U+0008 | U+0009 ... U+000D | U+000E; U+0084 | U+0085 | U+0086; U+200A | U+200B; U+2029 | U+202A; U+202E | U+202F; U+205F | U+2060.
    expect([0x08, 0x0e, 0x84, 0x86, 0x200b, 0x202a, 0x202e, 0x2060].map(between)).toEqual(Array(8).fill('ab'));
    expect([0x09, 0x0d, 0x85, 0x200a, 0x2029, 0x202f, 0x205f].map(between)).toEqual(Array(7).fill('a b'));
  });
});

describe('caseIgnoreIA5Match preparation for DC and emailAddress', () => {
  const IA5 = 0x16;
  const ava = (type: string, value: string): AttributeTypeAndValue => ({ type, valueTag: IA5, value, valueDer: ia5(value) });
  const ia5Match = (a: string, b: string, type = DC): boolean => distinguishedNameMatch([[ava(type, a)]], [[ava(type, b)]]);

  it('folds exactly A-Z: the letters at both ends of the range, not the characters around it', () => {
    expect(ia5Match('AZ', 'az')).toBe(true);
    expect(ia5Match('az', 'AZ')).toBe(true);
    expect(ia5Match('A', 'a', EMAIL)).toBe(true);
    expect(ia5Match('Z', 'z', EMAIL)).toBe(true);
    // '@' (0x40) and '[' (0x5b) sit next to the range: they are not letters to fold into '`' and '{'.
    expect(ia5Match('@', '`')).toBe(false);
    expect(ia5Match('[', '{')).toBe(false);
    expect(ia5Match('@', '@')).toBe(true);
  });

  it('treats U+0009-000D as space, and only those', () => {
    for (const c of [0x09, 0x0a, 0x0b, 0x0c, 0x0d]) {
      expect(ia5Match(`a${String.fromCharCode(c)}b`, 'a b'), hex2(c)).toBe(true);
      expect(ia5Match(`${String.fromCharCode(c)}ab${String.fromCharCode(c)}`, 'ab'), hex2(c)).toBe(true);
    }
    for (const c of [0x08, 0x0e, 0x1f]) expect(ia5Match(`a${String.fromCharCode(c)}b`, 'a b'), hex2(c)).toBe(false);
    // Insignificant spaces: leading, trailing and runs.
    expect(ia5Match('  a   b  ', 'a b')).toBe(true);
    expect(ia5Match('a b', 'ab')).toBe(false);
  });

  it('a multi-valued RDN keys DC and emailAddress by the same preparation', () => {
    const x = [ava(DC, 'Example'), ava(EMAIL, 'A\tB@X')];
    const y = [ava(EMAIL, 'a b@x'), ava(DC, 'EXAMPLE ')];
    expect(distinguishedNameMatch([x], [y])).toBe(true);
    expect(distinguishedNameMatch([x], [[ava(EMAIL, 'a b@x'), ava(DC, '`xample')]])).toBe(false);
  });

  function hex2(c: number): string {
    return `0x${c.toString(16).padStart(2, '0')}`;
  }
});
