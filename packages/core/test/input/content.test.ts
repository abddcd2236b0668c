// Telling inputs apart (input/content.ts): the BOM, leading whitespace, JSON, text vs binary
// (the first 4096 bytes after the BOM), the PEM BEGIN marker, DER's 0x30, text decoding, and
// what a DER structure that is not a certificate is (input/classify.ts).

import { describe, expect, it } from 'vitest';
import { classifyDer } from '../../src/input/classify.ts';
import { TEXT_PROBE_BYTES, bomLength, contentStart, decodeText, findPemBegin, looksLikeJson, looksLikeText, sniffContent } from '../../src/input/content.ts';
import { explicit, int, octet, oid, seq, tlv } from '@graph-mtls/test/fixtures/der-builder.ts';

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
const bytes = (...xs: number[]): Uint8Array => Uint8Array.from(xs);
const BOM = [0xef, 0xbb, 0xbf];

describe('bomLength', () => {
  it('is 3 for EF BB BF only', () => {
    expect(bomLength(bytes(...BOM))).toBe(3);
    expect(bomLength(bytes(...BOM, 0x41))).toBe(3);
    expect(bomLength(bytes(0xef, 0xbb))).toBe(0);
    expect(bomLength(bytes(0xee, 0xbb, 0xbf))).toBe(0);
    expect(bomLength(bytes(0xef, 0xba, 0xbf))).toBe(0);
    expect(bomLength(bytes(0xef, 0xbb, 0xbe))).toBe(0);
    expect(bomLength(bytes(0x41, ...BOM))).toBe(0);
    expect(bomLength(bytes())).toBe(0);
  });
});

describe('contentStart', () => {
  it('skips the BOM, then spaces, tabs, CR and LF only', () => {
    expect(contentStart(enc(' \t\r\nx'))).toBe(4);
    expect(contentStart(bytes(...BOM, 0x20, 0x0a, 0x7b))).toBe(5);
    expect(contentStart(enc('x  '))).toBe(0);
    expect(contentStart(bytes(0x0b, 0x20))).toBe(0);
    expect(contentStart(bytes(0x0c, 0x20))).toBe(0);
    expect(contentStart(bytes(0x00, 0x20))).toBe(0);
    expect(contentStart(bytes(0xa0))).toBe(0);
  });

  it('is the length when there is nothing but whitespace', () => {
    expect(contentStart(enc('  \n'))).toBe(3);
    expect(contentStart(bytes(...BOM))).toBe(3);
    expect(contentStart(bytes())).toBe(0);
  });
});

describe('looksLikeJson', () => {
  it('true when the content starts with { or [', () => {
    expect(looksLikeJson(enc('{}'))).toBe(true);
    expect(looksLikeJson(enc('\n\t [1]'))).toBe(true);
    expect(looksLikeJson(bytes(...BOM, 0x7b))).toBe(true);
    expect(looksLikeJson(enc('"x"'))).toBe(false);
    expect(looksLikeJson(enc('x{'))).toBe(false);
    expect(looksLikeJson(enc(']'))).toBe(false);
    expect(looksLikeJson(enc('}'))).toBe(false);
    expect(looksLikeJson(enc('   '))).toBe(false);
    expect(looksLikeJson(bytes())).toBe(false);
  });
});

describe('looksLikeText', () => {
  it('allows tab, LF, VT, FF, CR and ESC, and every byte from 32 up', () => {
    for (const b of [9, 10, 11, 12, 13, 27, 32, 0x7f, 0x80, 0xff]) expect(looksLikeText(bytes(0x41, b, 0x41))).toBe(true);
  });

  it('refuses the other control characters', () => {
    for (const b of [0, 1, 8, 14, 26, 28, 31]) expect(looksLikeText(bytes(0x41, b, 0x41))).toBe(false);
    expect(looksLikeText(bytes(0))).toBe(false);
    expect(looksLikeText(bytes(0x41, 0x41, 0))).toBe(false);
  });

  it('looks at the first 4096 bytes after the BOM only', () => {
    expect(TEXT_PROBE_BYTES).toBe(4096);
    const at = (i: number, withBom = false): Uint8Array => {
      const b = new Uint8Array((withBom ? 3 : 0) + 5000).fill(0x41);
      if (withBom) b.set(BOM);
      b[(withBom ? 3 : 0) + i] = 0x01;
      return b;
    };
    expect(looksLikeText(at(4095))).toBe(false);
    expect(looksLikeText(at(4096))).toBe(true);
    expect(looksLikeText(at(4095, true))).toBe(false);
    expect(looksLikeText(at(4096, true))).toBe(true);
    expect(looksLikeText(at(0, true))).toBe(false);
  });

  it('the BOM itself and an empty input are text', () => {
    expect(looksLikeText(bytes(...BOM))).toBe(true);
    expect(looksLikeText(bytes())).toBe(true);
  });
});

describe('findPemBegin', () => {
  it("finds '-----BEGIN ' (with its space) and gives its offset", () => {
    expect(findPemBegin(enc('-----BEGIN CERTIFICATE-----'))).toBe(0);
    expect(findPemBegin(enc('notes -- and ---- then\n-----BEGIN X'))).toBe(23);
    expect(findPemBegin(enc('------BEGIN X'))).toBe(1);
    expect(findPemBegin(enc('-----BEGIN '))).toBe(0);
  });

  it('each byte of the marker matters', () => {
    const marker = '-----BEGIN ';
    for (let i = 0; i < marker.length; i++) {
      const broken = marker.slice(0, i) + (marker[i] === '-' ? '+' : marker[i] === ' ' ? '_' : marker[i]!.toLowerCase()) + marker.slice(i + 1);
      expect(findPemBegin(enc(`${broken}CERTIFICATE-----`))).toBe(-1);
    }
    expect(findPemBegin(enc('-----BEGIN'))).toBe(-1);
    expect(findPemBegin(enc('-----BEGINX'))).toBe(-1);
    expect(findPemBegin(enc('----BEGIN X'))).toBe(-1);
    expect(findPemBegin(bytes())).toBe(-1);
  });

  it('searches bytes[from, to) only: the marker must end by `to`', () => {
    const text = enc('xx-----BEGIN X yy -----BEGIN Z');
    expect(findPemBegin(text, 0)).toBe(2);
    expect(findPemBegin(text, 3)).toBe(18);
    expect(findPemBegin(text, 2, 13)).toBe(2);
    expect(findPemBegin(text, 2, 12)).toBe(-1);
    expect(findPemBegin(text, 3, 28)).toBe(-1);
    expect(findPemBegin(text, 3, 29)).toBe(18);
    expect(findPemBegin(text, 19)).toBe(-1);
  });
});

describe('sniffContent', () => {
  it('json, pem, der, base64, binary', () => {
    expect(sniffContent(enc('{"value":[]}'))).toBe('json');
    expect(sniffContent(enc('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'))).toBe('pem');
    expect(sniffContent(bytes(0x30, 0x03, 0x02, 0x01, 0x00))).toBe('der');
    expect(sniffContent(enc('MIIB'))).toBe('base64');
    expect(sniffContent(bytes(0x31, 0x00))).toBe('binary');
    expect(sniffContent(bytes(0x02, 0x01, 0x00))).toBe('binary');
  });

  it("text starting with '0' is DER unless it holds a BEGIN line", () => {
    expect(sniffContent(enc('0123'))).toBe('der');
    expect(sniffContent(enc('0 dump\n-----BEGIN CERTIFICATE-----\n'))).toBe('pem');
  });

  it('a BEGIN line in binary data does not make it PEM', () => {
    expect(sniffContent(bytes(0x30, 0x00, ...enc('-----BEGIN X')))).toBe('der');
    expect(sniffContent(bytes(0x01, ...enc('-----BEGIN X')))).toBe('binary');
  });

  it('whitespace and BOM before PEM or base64 text', () => {
    expect(sniffContent(bytes(...BOM, ...enc('\n-----BEGIN CERTIFICATE-----\n')))).toBe('pem');
    expect(sniffContent(enc('  MIIB'))).toBe('base64');
    expect(sniffContent(bytes())).toBe('base64');
  });
});

describe('decodeText', () => {
  it('UTF-8 when well-formed, Latin-1 otherwise; the BOM is dropped', () => {
    expect(decodeText(enc('h\u00e9llo'))).toBe('h\u00e9llo');
    expect(decodeText(bytes(0x68, 0xe9, 0x6c))).toBe('h\u00e9l');
    expect(decodeText(bytes(...BOM, 0x41))).toBe('A');
    expect(decodeText(bytes(...BOM, 0xe9))).toBe('\u00e9');
    expect(decodeText(bytes(0x41, ...BOM))).toBe('A\ufeff');
  });

  it('decodes bytes[start, end) when given', () => {
    const b = enc('abc\u00e9def');
    expect(decodeText(b, 1, 5)).toBe('bc\u00e9');
    expect(decodeText(b, 1, 4)).toBe('bc\u00c3');
    expect(decodeText(b, 0)).toBe('abc\u00e9def');
  });
});

describe('classifyDer: what a DER structure that is not a certificate is, from its shape', () => {
  const KEY = "; refused: only public CA certificates belong here, and the key's content is neither read nor shown";
  const bs = (...xs: number[]): Uint8Array => Uint8Array.from(xs);
  const ints = (n: number, first = 0): Uint8Array[] => Array.from({ length: n }, (_, i) => int(i === 0 ? first : i + 5));
  const bitString = tlv(0x03, bs(0, 1, 2));
  const utc = tlv(0x17, enc('240101000000Z'));
  const gen = tlv(0x18, enc('20240101000000Z'));
  /** Not DER inside: read only if the classifier looks deeper than it should. */
  const junk = bs(0x02, 0x05, 0xff);

  const cases: readonly (readonly [string, Uint8Array, string | undefined, string?])[] = [
    ['PKCS#12', seq(int(3), seq(oid('1.2.840.113549.1.7.1'))), `ERR_PRIVATE_KEY`, `a PKCS#12 (.pfx/.p12) archive, which holds private keys${KEY}`],
    ['PKCS#8 v1', seq(int(0), seq(oid('1.2.840.10045.2.1')), octet(junk)), 'ERR_PRIVATE_KEY', `a PKCS#8 private key${KEY}`],
    ['PKCS#8 v2 (OneAsymmetricKey)', seq(int(1), seq(oid('1.3.101.112')), octet(bs(1))), 'ERR_PRIVATE_KEY', `a PKCS#8 private key${KEY}`],
    ['PKCS#1 (9 INTEGERs)', seq(...ints(9)), 'ERR_PRIVATE_KEY', `a PKCS#1 RSA private key${KEY}`],
    ['PKCS#1 multi-prime (10 INTEGERs)', seq(...ints(10)), 'ERR_PRIVATE_KEY', `a PKCS#1 RSA private key${KEY}`],
    ['PKCS#1 with 12 INTEGERs and junk after them (only 12 elements are looked at)', seq(...ints(12), junk), 'ERR_PRIVATE_KEY', `a PKCS#1 RSA private key${KEY}`],
    ['SEC 1', seq(int(1), octet(junk), explicit(0, oid('1.2.840.10045.3.1.7'))), 'ERR_PRIVATE_KEY', `a SEC 1 EC private key${KEY}`],
    ['DSA (6 INTEGERs)', seq(...ints(6)), 'ERR_PRIVATE_KEY', `a DSA private key${KEY}`],
    ['encrypted PKCS#8', seq(seq(oid('1.2.840.113549.1.5.13'), seq()), octet(junk)), 'ERR_PRIVATE_KEY', `an encrypted PKCS#8 private key${KEY}`],
    ['SubjectPublicKeyInfo', seq(seq(oid('1.2.840.10045.2.1')), bitString), 'ERR_PUBLIC_KEY', 'a bare public key (SubjectPublicKeyInfo), not a certificate'],
    ['CSR', seq(seq(int(0), seq(), tlv(0x30, junk), tlv(0xa0)), seq(), bitString), 'ERR_CSR', 'a certificate signing request (PKCS#10 CSR), not a certificate'],
    ['CRL v2 (UTCTime)', seq(seq(int(1), seq(), tlv(0x30, junk), utc), seq(), bitString), 'ERR_CRL', 'a certificate revocation list (CRL), not a certificate'],
    ['CRL v1 (no version, GeneralizedTime)', seq(seq(seq(), seq(), gen), seq(), bitString), 'ERR_CRL', 'a certificate revocation list (CRL), not a certificate'],
    ['CRL v1 (no version, UTCTime)', seq(seq(seq(), seq(), utc, utc), seq(), bitString), 'ERR_CRL', 'a certificate revocation list (CRL), not a certificate'],
    // Near misses.
    ['version 3 without a SEQUENCE next', seq(int(3), int(1)), undefined],
    ['version 2 with SEQUENCE, OCTET STRING', seq(int(2), seq(), octet(bs(1))), undefined],
    ['version 0, SEQUENCE, no OCTET STRING', seq(int(0), seq(), int(1)), undefined],
    ['version 0, OCTET STRING, no SEQUENCE', seq(int(0), int(1), octet(bs(1))), undefined],
    ['8 INTEGERs', seq(...ints(8)), undefined],
    ['9 elements, one not an INTEGER', seq(...ints(8), octet(bs(1))), undefined],
    ['9 INTEGERs starting with 1', seq(...ints(9, 1)), undefined],
    ['version 0 then OCTET STRING', seq(int(0), octet(bs(1))), undefined],
    ['version 2 then OCTET STRING', seq(int(2), octet(bs(1))), undefined],
    ['7 INTEGERs', seq(...ints(7)), undefined],
    ['5 INTEGERs', seq(...ints(5)), undefined],
    ['6 INTEGERs starting with 1', seq(...ints(6, 1)), undefined],
    ['6 elements, one not an INTEGER', seq(...ints(5), octet(bs(1))), undefined],
    ['a 2-byte leading INTEGER of value 3', seq(tlv(0x02, bs(0, 3)), seq()), undefined],
    ['encrypted PKCS#8 without an OID first', seq(seq(int(1)), octet(bs(1))), undefined],
    ['encrypted PKCS#8 shape with a third element', seq(seq(oid('1.2.3')), octet(bs(1)), int(1)), undefined],
    ['SPKI shape with a third element', seq(seq(oid('1.2.3')), bitString, int(1)), undefined],
    ['SPKI shape without an OID', seq(seq(int(1)), bitString), undefined],
    ['SPKI shape with an empty algorithm', seq(seq(), bitString), undefined],
    ['CSR shape with version 1', seq(seq(int(1), seq(), seq(), tlv(0xa0)), seq(), bitString), undefined],
    ['CSR shape without [0]', seq(seq(int(0), seq(), seq(), tlv(0xa1)), seq(), bitString), undefined],
    ['CSR shape with a SET for the subject', seq(seq(int(0), tlv(0x31), seq(), tlv(0xa0)), seq(), bitString), undefined],
    ['CSR shape with a SET for the key', seq(seq(int(0), seq(), tlv(0x31), tlv(0xa0)), seq(), bitString), undefined],
    ['signed shape without a BIT STRING', seq(seq(int(0), seq(), seq(), tlv(0xa0)), seq(), octet(bs(1))), undefined],
    ['signed shape with an OCTET STRING second', seq(seq(int(0), seq(), seq(), tlv(0xa0)), octet(bs(1)), bitString), undefined],
    ['CRL shape with an INTEGER instead of a time', seq(seq(int(1), seq(), seq(), int(5)), seq(), bitString), undefined],
    ['CRL shape with a SET for the issuer', seq(seq(int(1), seq(), tlv(0x31), utc), seq(), bitString), undefined],
    ['CRL shape with a SET for the algorithm', seq(seq(int(1), tlv(0x31), seq(), utc), seq(), bitString), undefined],
    ['CRL shape with 4 elements', seq(seq(seq(), seq(), utc), seq(), bitString, int(1)), undefined],
    ['an empty SEQUENCE', seq(), undefined],
    ['a SET', tlv(0x31, int(0), seq(), octet(bs(1))), undefined],
    ['an INTEGER', int(0), undefined],
    ['a [0] constructed', tlv(0xa0, int(0), seq(), octet(bs(1))), undefined],
    ['not DER', bs(0x30, 0x05, 0x02), undefined],
    ['a SEQUENCE whose first child is not DER', seq(bs(0x02, 0x05)), undefined],
    ['empty input', new Uint8Array(0), undefined],
    ['PKCS#1 with otherPrimeInfos after 9 INTEGERs', seq(...ints(9), seq(seq(int(1), int(2), int(3)))), 'ERR_PRIVATE_KEY', `a PKCS#1 RSA private key${KEY}`],
    ['a leading 2-byte INTEGER whose first byte is 3', seq(tlv(0x02, bs(3, 0)), seq()), undefined],
    ['a SET holding an OID, then an OCTET STRING', seq(tlv(0x31, oid('1.2.3')), octet(bs(1))), undefined],
    ['a SET holding an OID, then a BIT STRING', seq(tlv(0x31, oid('1.2.3')), bitString), undefined],
    ['an empty SEQUENCE, then an OCTET STRING', seq(seq(), octet(bs(1))), undefined],
    ['an empty SEQUENCE, then a BIT STRING', seq(seq(), bitString), undefined],
    ['a SEQUENCE holding an OID, then an INTEGER', seq(seq(oid('1.2.3')), int(1)), undefined],
    ['a CSR-shaped SET', seq(tlv(0x31, int(0), seq(), seq(), tlv(0xa0)), seq(), bitString), undefined],
    ['a CRL-shaped SET', seq(tlv(0x31, int(1), seq(), seq(), utc), seq(), bitString), undefined],
    ['signed shape around an empty SEQUENCE', seq(seq(), seq(), bitString), undefined],
  ];

  for (const [name, der, code, what] of cases) {
    it(name, () => {
      const c = classifyDer(der);
      if (code === undefined) expect(c).toBeUndefined();
      else expect(c).toEqual({ code, what });
    });
  }
});
