import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIpAddress, parseIpAddress } from '../../src/x509/ip-address.ts';
import { uint16be } from '@graph-mtls/test/fixtures/der-builder.ts';
import { codeOf } from '@graph-mtls/test/helpers.ts';

const bytesOf = (...groups: number[]): Uint8Array => uint16be(groups);

describe('formatIpAddress: IPv4', () => {
  it('writes dotted decimal', () => {
    expect(formatIpAddress(new Uint8Array([192, 0, 2, 1]))).toBe('192.0.2.1');
    expect(formatIpAddress(new Uint8Array([0, 0, 0, 0]))).toBe('0.0.0.0');
    expect(formatIpAddress(new Uint8Array([255, 255, 255, 255]))).toBe('255.255.255.255');
    expect(formatIpAddress(new Uint8Array([10, 0, 10, 100]))).toBe('10.0.10.100');
  });

  it('rejects other lengths', () => {
    for (const n of [0, 1, 3, 5, 8, 15, 17, 32]) {
      expect(codeOf(() => formatIpAddress(new Uint8Array(n)))).toBe('ERR_INVALID_IP');
    }
  });
});

describe('formatIpAddress: IPv6 (RFC 5952 §4)', () => {
  const cases: [number[], string][] = [
    // §4.1 leading zeros dropped; §4.3 lower case
    [[0x2001, 0x0db8, 0, 0, 0, 0, 0x0002, 0x0001], '2001:db8::2:1'],
    [[0x2001, 0x0db8, 0xaaaa, 0xbbbb, 0xcccc, 0xdddd, 0xeeee, 0x0001], '2001:db8:aaaa:bbbb:cccc:dddd:eeee:1'],
    [[0x2001, 0x0db8, 0, 0, 0, 0, 0, 0x0001], '2001:db8::1'],
    // §4.2.2 a single zero group is not compressed
    [[0x2001, 0x0db8, 0, 1, 1, 1, 1, 1], '2001:db8:0:1:1:1:1:1'],
    // §4.2.3 longest run wins; leftmost on a tie
    [[0x2001, 0, 0, 1, 0, 0, 0, 1], '2001:0:0:1::1'],
    [[0x2001, 0x0db8, 0, 0, 1, 0, 0, 1], '2001:db8::1:0:0:1'],
    // §2.1 / §4.2.1 examples
    [[0x2001, 0x0db8, 0, 0, 0, 0, 0, 0x0001], '2001:db8::1'],
    [[0x2001, 0x0db8, 0, 0, 0, 0, 0x0002, 0x0001], '2001:db8::2:1'],
    [[0x2001, 0x0db8, 0, 0, 0x0001, 0, 0, 0], '2001:db8:0:0:1::'],
    [[0xabcd, 0xef01, 0x2345, 0x6789, 0xabcd, 0xef01, 0x2345, 0x6789], 'abcd:ef01:2345:6789:abcd:ef01:2345:6789'],
  ];
  for (const [groups, text] of cases) {
    it(`formats ${text}`, () => expect(formatIpAddress(bytesOf(...groups))).toBe(text));
  }

  it('compresses at the edges and everywhere', () => {
    expect(formatIpAddress(new Uint8Array(16))).toBe('::');
    expect(formatIpAddress(bytesOf(0, 0, 0, 0, 0, 0, 0, 1))).toBe('::1');
    expect(formatIpAddress(bytesOf(1, 0, 0, 0, 0, 0, 0, 0))).toBe('1::');
    expect(formatIpAddress(bytesOf(0, 0, 1, 0, 0, 0, 0, 0))).toBe('0:0:1::');
    expect(formatIpAddress(bytesOf(0, 0, 0, 1, 0, 0, 0, 0))).toBe('0:0:0:1::');
    expect(formatIpAddress(bytesOf(0, 1, 0, 0, 0, 0, 0, 0))).toBe('0:1::');
    expect(formatIpAddress(bytesOf(0, 0, 0, 0, 0, 0, 0x0102, 0x0304))).toBe('::102:304');
    expect(formatIpAddress(bytesOf(0xfe80, 0, 0, 0, 0, 0, 0, 1))).toBe('fe80::1');
  });

  it('never compresses a single zero group, even at an edge', () => {
    expect(formatIpAddress(bytesOf(0, 1, 2, 3, 4, 5, 6, 7))).toBe('0:1:2:3:4:5:6:7');
    expect(formatIpAddress(bytesOf(1, 2, 3, 4, 5, 6, 7, 0))).toBe('1:2:3:4:5:6:7:0');
    expect(formatIpAddress(bytesOf(1, 0, 2, 0, 3, 0, 4, 0))).toBe('1:0:2:0:3:0:4:0');
    expect(formatIpAddress(bytesOf(0, 1, 0, 1, 0, 1, 0, 1))).toBe('0:1:0:1:0:1:0:1');
  });

  it('picks the longest run, then the leftmost', () => {
    expect(formatIpAddress(bytesOf(1, 0, 0, 2, 0, 0, 0, 3))).toBe('1:0:0:2::3');
    expect(formatIpAddress(bytesOf(0, 0, 1, 0, 0, 2, 0, 0))).toBe('::1:0:0:2:0:0');
    expect(formatIpAddress(bytesOf(0, 0, 0, 1, 0, 0, 0, 2))).toBe('::1:0:0:0:2');
    expect(formatIpAddress(bytesOf(1, 0, 0, 0, 2, 0, 0, 0))).toBe('1::2:0:0:0');
    expect(formatIpAddress(bytesOf(1, 0, 0, 2, 3, 0, 0, 0))).toBe('1:0:0:2:3::');
  });

  it('drops leading zeros but keeps inner ones, in lower case', () => {
    expect(formatIpAddress(bytesOf(0x0abc, 0x00de, 0x000f, 0xf000, 0x0f00, 0x00f0, 0xffff, 0x1000))).toBe(
      'abc:de:f:f000:f00:f0:ffff:1000',
    );
  });

  it('writes IPv4-mapped addresses in the RFC 5952 §5 mixed form', () => {
    expect(formatIpAddress(bytesOf(0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201))).toBe('::ffff:192.0.2.1');
    expect(formatIpAddress(bytesOf(0, 0, 0, 0, 0, 0xffff, 0, 0))).toBe('::ffff:0.0.0.0');
    expect(formatIpAddress(bytesOf(0, 0, 0, 0, 0, 0xffff, 0xffff, 0xffff))).toBe('::ffff:255.255.255.255');
  });

  it('keeps near-misses of the mapped prefix in hex', () => {
    // IPv4-compatible (deprecated) and the translated prefix ::ffff:0:0:0/96 are not mapped.
    expect(formatIpAddress(bytesOf(0, 0, 0, 0, 0, 0, 0xc000, 0x0201))).toBe('::c000:201');
    expect(formatIpAddress(bytesOf(0, 0, 0, 0, 0xffff, 0, 0xc000, 0x0201))).toBe('::ffff:0:c000:201');
    expect(formatIpAddress(bytesOf(0, 0, 0, 0, 1, 0xffff, 0xc000, 0x0201))).toBe('::1:ffff:c000:201');
    expect(formatIpAddress(bytesOf(0, 0, 0, 0, 0, 0xfffe, 0xc000, 0x0201))).toBe('::fffe:c000:201');
    expect(formatIpAddress(bytesOf(0x64, 0xff9b, 0, 0, 0, 0, 0xc000, 0x0201))).toBe('64:ff9b::c000:201');
  });
});

describe('parseIpAddress: IPv4', () => {
  it('parses dotted decimal', () => {
    expect(parseIpAddress('192.0.2.1')).toEqual(new Uint8Array([192, 0, 2, 1]));
    expect(parseIpAddress('0.0.0.0')).toEqual(new Uint8Array(4));
    expect(parseIpAddress('255.255.255.255')).toEqual(new Uint8Array([255, 255, 255, 255]));
    expect(parseIpAddress('10.0.100.1')).toEqual(new Uint8Array([10, 0, 100, 1]));
  });

  it.each([
    '010.0.0.1', // leading zero (octal in inet_aton)
    '1.2.3.04',
    '00.1.2.3',
    '256.1.1.1',
    '1.2.3.999',
    '1234.1.1.1',
    '1.2.3',
    '1.2.3.4.5',
    '1.2.3.',
    '.1.2.3',
    '1..2.3',
    '0x7f.0.0.1',
    '0x7f000001',
    '2130706433',
    '017700000001',
    '1.2.3.4a',
    '1.2.3.-4',
    '1.2.3.+4',
    '１.2.3.4', // full-width digit
    '127.1',
  ])('rejects %j', (text) => {
    expect(codeOf(() => parseIpAddress(text))).toBe('ERR_INVALID_IP');
  });
});

describe('parseIpAddress: IPv6 (RFC 4291 §2.2)', () => {
  const doc = bytesOf(0x2001, 0x0db8, 0, 0, 0x0008, 0x0800, 0x200c, 0x417a);
  it.each([
    '2001:DB8:0:0:8:800:200C:417A',
    '2001:db8:0:0:8:800:200c:417a',
    '2001:0db8:0000:0000:0008:0800:200c:417a',
    '2001:db8::8:800:200c:417a',
    '2001:0DB8::0008:0800:200C:417A',
    '2001:db8:0::8:800:200c:417a',
    '2001:db8:0:0:8:800:32.12.65.122',
    '2001:db8::8:800:32.12.65.122',
  ])('parses %j', (text) => {
    expect(parseIpAddress(text)).toEqual(doc);
  });

  it('parses the compressed forms of RFC 4291 §2.2', () => {
    expect(parseIpAddress('FF01::101')).toEqual(bytesOf(0xff01, 0, 0, 0, 0, 0, 0, 0x0101));
    expect(parseIpAddress('::1')).toEqual(bytesOf(0, 0, 0, 0, 0, 0, 0, 1));
    expect(parseIpAddress('::')).toEqual(new Uint8Array(16));
    expect(parseIpAddress('1::')).toEqual(bytesOf(1, 0, 0, 0, 0, 0, 0, 0));
    expect(parseIpAddress('0:0:0:0:0:0:0:0')).toEqual(new Uint8Array(16));
    expect(parseIpAddress('1:2:3:4:5:6:7::')).toEqual(bytesOf(1, 2, 3, 4, 5, 6, 7, 0));
    expect(parseIpAddress('::2:3:4:5:6:7:8')).toEqual(bytesOf(0, 2, 3, 4, 5, 6, 7, 8));
    expect(parseIpAddress('1:2:3::6:7:8')).toEqual(bytesOf(1, 2, 3, 0, 0, 6, 7, 8));
    expect(parseIpAddress('1:2:3:4::6:7:8')).toEqual(bytesOf(1, 2, 3, 4, 0, 6, 7, 8));
  });

  it('parses mixed forms with a trailing dotted IPv4', () => {
    expect(parseIpAddress('::13.1.68.3')).toEqual(bytesOf(0, 0, 0, 0, 0, 0, 0x0d01, 0x4403));
    expect(parseIpAddress('::FFFF:129.144.52.38')).toEqual(bytesOf(0, 0, 0, 0, 0, 0xffff, 0x8190, 0x3426));
    expect(parseIpAddress('0:0:0:0:0:FFFF:129.144.52.38')).toEqual(bytesOf(0, 0, 0, 0, 0, 0xffff, 0x8190, 0x3426));
    expect(parseIpAddress('0:0:0:0:0:0:13.1.68.3')).toEqual(bytesOf(0, 0, 0, 0, 0, 0, 0x0d01, 0x4403));
    expect(parseIpAddress('1:2:3:4:5::1.2.3.4')).toEqual(bytesOf(1, 2, 3, 4, 5, 0, 0x0102, 0x0304));
    expect(parseIpAddress('1::1.2.3.4')).toEqual(bytesOf(1, 0, 0, 0, 0, 0, 0x0102, 0x0304));
    expect(parseIpAddress('64:ff9b::192.0.2.33')).toEqual(bytesOf(0x64, 0xff9b, 0, 0, 0, 0, 0xc000, 0x0221));
  });

  it('keeps IPv4 and IPv4-mapped apart', () => {
    expect(parseIpAddress('192.0.2.1')).toHaveLength(4);
    expect(parseIpAddress('::ffff:192.0.2.1')).toHaveLength(16);
    expect(parseIpAddress('::ffff:c000:201')).toEqual(parseIpAddress('::ffff:192.0.2.1'));
  });

  it.each([
    ['zone id', 'fe80::1%eth0'],
    ['numeric zone id', 'fe80::1%1'],
    ['encoded zone id', 'fe80::1%25eth0'],
    ['CIDR suffix', '2001:db8::/32'],
    ['IPv4 CIDR', '192.0.2.0/24'],
    ['brackets', '[2001:db8::1]'],
    ['bracket with port', '[::1]:443'],
    ['empty', ''],
    ['two ::', '1::2::3'],
    ['two :: adjacent', '1::2:3::'],
    [':::', '1:::2'],
    ['::: alone', ':::'],
    ['too many groups', '1:2:3:4:5:6:7:8:9'],
    ['8 groups plus ::', '1:2:3:4:5:6:7:8::'],
    [':: with 8 groups', '1:2:3:4::5:6:7:8'],
    ['too few groups', '1:2:3:4:5:6:7'],
    ['5-digit group', '12345::'],
    ['5-digit with zeros', '00001::'],
    ['non-hex', '2001:db8::g'],
    ['single leading colon', ':1:2:3:4:5:6:7'],
    ['single trailing colon', '1:2:3:4:5:6:7:'],
    ['lone colon', ':'],
    ['leading space', ' ::1'],
    ['trailing space', '::1 '],
    ['trailing newline', '::1\n'],
    ['inner tab', '2001:db8::\t1'],
    ['nbsp', '::1\u00a0'],
    ['IPv4 not last', '1.2.3.4::'],
    ['IPv4 in the middle', '::1.2.3.4:1'],
    ['IPv4 with too many groups', '1:2:3:4:5:6:7:1.2.3.4'],
    ['IPv4 with too few groups', '1:2:3:4:5:1.2.3.4'],
    ['IPv4 with :: and 6 groups', '1:2:3:4:5:6::1.2.3.4'],
    ['IPv4 octet with leading zero', '::ffff:01.2.3.4'],
    ['IPv4 octet > 255', '::ffff:1.2.3.256'],
    ['short IPv4', '::ffff:1.2.3'],
    ['hex in IPv4', '::ffff:a.2.3.4'],
    ['IPv4 followed by ::', '::1.2.3.4::'],
    ['ipv6 and trailing dot', '::1.'],
    ['letters only', 'localhost'],
    ['number only', '12'],
    ['too long', `0000:0000:0000:0000:0000:ffff:255.255.255.2550000`],
  ])('rejects %s (%j)', (_what, text) => {
    expect(codeOf(() => parseIpAddress(text))).toBe('ERR_INVALID_IP');
  });

  it('rejects non-strings at run time', () => {
    expect(codeOf(() => parseIpAddress(undefined as unknown as string))).toBe('ERR_INVALID_IP');
    expect(codeOf(() => parseIpAddress(42 as unknown as string))).toBe('ERR_INVALID_IP');
  });

  it('accepts the longest valid text', () => {
    const text = '0000:0000:0000:0000:0000:ffff:255.255.255.255';
    expect(text).toHaveLength(45);
    expect(formatIpAddress(parseIpAddress(text))).toBe('::ffff:255.255.255.255');
  });

  it('says what was expected and where', () => {
    const message = (text: string): string => {
      try {
        parseIpAddress(text);
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    };
    expect(message('fe80::1%eth0')).toMatch(/zone id.*character 8/);
    expect(message('2001:db8::/32')).toMatch(/prefix length.*character 11/);
    expect(message('1::2::3')).toMatch(/one '::'.*character 5/);
    expect(message('010.1.1.1')).toMatch(/leading zero/);
    expect(message('x'.repeat(100)).length).toBeLessThan(200);
  });
});

describe('round trips', () => {
  it('canonical text parses back and formats identically', () => {
    for (const text of ['::', '::1', '1::', '2001:db8::1', '2001:0:0:1::1', '::ffff:192.0.2.1', 'fe80::1:2', '1:0:2:0:3:0:4:0']) {
      expect(formatIpAddress(parseIpAddress(text))).toBe(text);
    }
  });

  it('random 16 bytes: format -> parse gives the same bytes; format is idempotent', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const text = formatIpAddress(bytes);
        const parsed = parseIpAddress(text);
        expect(parsed).toEqual(bytes);
        expect(formatIpAddress(parsed)).toBe(text);
        expect(text).toBe(text.toLowerCase());
        expect(text).not.toMatch(/(^|:)0[0-9a-f]/);
        expect(text.split('::').length).toBeLessThanOrEqual(2);
      }),
      { numRuns: 2000 },
    );
  });

  it('random zero-heavy groups exercise the compression rules', () => {
    const group = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
        const bytes = bytesOf(...groups);
        const text = formatIpAddress(bytes);
        expect(parseIpAddress(text)).toEqual(bytes);
        expect(parseIpAddress(text.toUpperCase())).toEqual(bytes);
        // The full uncompressed form parses to the same bytes.
        expect(parseIpAddress(groups.map((g) => g.toString(16).padStart(4, '0')).join(':'))).toEqual(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('random 4 bytes round-trip as dotted decimal', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (bytes) => {
        expect(parseIpAddress(formatIpAddress(bytes))).toEqual(bytes);
      }),
    );
  });
});
