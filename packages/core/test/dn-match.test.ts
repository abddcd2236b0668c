import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DerReader } from '../src/encoding/der.ts';
import { distinguishedNameMatch, prepareString } from '../src/identity/dn-match.ts';
import {
  decodeName,
  formatDotNet,
  formatRfc4514,
  parseDistinguishedName,
  type AttributeTypeAndValue,
  type RelativeDistinguishedName,
} from '../src/x509/name.ts';
import { bmp, ia5, oid, printable, seq, setUnsorted, utf8 } from '../../../test/fixtures/der-builder.ts';

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

describe('bounded (issue 12)', () => {
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
  it('a multi-valued RDN of 40,000 values that need preparation matches its reordering, and a changed value does not match', () => {
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
