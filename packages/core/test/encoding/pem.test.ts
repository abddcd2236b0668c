// PEM (RFC 7468): blocks with their BEGIN line numbers, CRLF or LF, explanatory text between
// blocks, lax line lengths (§3), strict base64 with the line of a bad character, and
// malformed blocks (unterminated, mismatched END, nested BEGIN, RFC 1421 headers) that never
// hide the good blocks after them.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cap, parsePem, looksLikePem, PemScanner, type PemBlock, type ScannedBlock } from '../../src/encoding/pem.ts';
import { GraphMtlsError, InputError } from '../../src/errors.ts';
import { toPem } from '@graph-mtls/test/fixtures/der-builder.ts';

const SOURCE = 'bundle.pem';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Deterministic pseudo-random bytes (so each block's content is distinct). */
function bytes(n: number, seed: number): Uint8Array {
  let x = seed * 2654435761 >>> 0 || 1;
  return Uint8Array.from({ length: n }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) & 0xff;
  });
}

function b64(data: Uint8Array): string {
  return Buffer.from(data).toString('base64');
}

/** A PEM block whose base64 is split into lines of the given lengths (the last takes the rest). */
function block(data: Uint8Array, label = 'CERTIFICATE', lineLengths: readonly number[] = [64], eol = '\n'): string {
  const text = b64(data);
  const lines: string[] = [];
  let i = 0;
  let k = 0;
  while (i < text.length) {
    const n = lineLengths[Math.min(k++, lineLengths.length - 1)]!;
    lines.push(text.slice(i, i + n));
    i += n;
  }
  return `-----BEGIN ${label}-----${eol}${lines.join(eol)}${eol}-----END ${label}-----${eol}`;
}

function ok(b: PemBlock): Uint8Array {
  if (b.error !== undefined) throw new Error(`expected a decoded block, received ${b.error.code}: ${b.error.message}`);
  return b.bytes;
}

function err(b: PemBlock | undefined): InputError {
  expect(b).toBeDefined();
  expect(b!.error).toBeInstanceOf(InputError);
  return b!.error!;
}

/** The 1-based line number of the n-th (0-based) line matching `re`. */
function lineOf(text: string, re: RegExp, nth = 0): number {
  const lines = text.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) if (re.test(lines[i]!) && seen++ === nth) return i + 1;
  throw new Error(`no line ${nth} matching ${re}`);
}

const OPENSSL_TEXT = `Certificate:
    Data:
        Version: 3 (0x2)
        Serial Number:
            4a:3b:2c:1d:00:ff
        Signature Algorithm: sha256WithRSAEncryption
        Issuer: C = US, O = Contoso, CN = Contoso Root CA
        Validity
            Not Before: Jan  1 00:00:00 2024 GMT
            Not After : Jan  1 00:00:00 2034 GMT
        Subject: C = US, O = Contoso, CN = Contoso Root CA
        X509v3 extensions:
            X509v3 Basic Constraints: critical
                CA:TRUE
    Signature Value:
        1c:2d:3e:4f
`;

describe('single blocks', () => {
  it('LF and CRLF give the same bytes and BEGIN line 1', () => {
    const data = bytes(300, 1);
    for (const eol of ['\n', '\r\n']) {
      const blocks = parsePem(toPem(data, 'CERTIFICATE', { eol: eol as '\n' | '\r\n' }), { source: SOURCE });
      expect(blocks).toHaveLength(1);
      expect(blocks[0]!.label).toBe('CERTIFICATE');
      expect(blocks[0]!.line).toBe(1);
      expect(ok(blocks[0]!)).toEqual(data);
    }
  });

  it('no final newline', () => {
    const data = bytes(50, 2);
    const blocks = parsePem(block(data).trimEnd());
    expect(ok(blocks[0]!)).toEqual(data);
  });

  it('leading and trailing whitespace on every line, a BOM, blank lines in the body', () => {
    const data = bytes(200, 3);
    const lines = block(data).split('\n').map((l, i) => (i % 2 ? `   ${l}\t ` : `\t${l}  `));
    const text = '\ufeff' + lines.join('\n').replace(/\n(?=[^\n]*END)/, '\n\n   \n');
    const blocks = parsePem(text);
    expect(blocks).toHaveLength(1);
    expect(ok(blocks[0]!)).toEqual(data);
  });

  it('base64 lines of odd lengths (RFC 7468 §3 lax)', () => {
    const data = bytes(500, 4);
    for (const lengths of [[1], [3], [63, 65], [76], [5, 7, 11, 13], [1000], [64, 1, 64, 2]]) {
      const blocks = parsePem(block(data, 'CERTIFICATE', lengths));
      expect(ok(blocks[0]!)).toEqual(data);
    }
  });

  it('property: any split of the base64 into lines decodes to the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.array(fc.integer({ min: 1, max: 90 }), { minLength: 1, maxLength: 10 }), fc.boolean(), (data, lengths, crlf) => {
        const blocks = parsePem(block(data, 'CERTIFICATE', lengths, crlf ? '\r\n' : '\n'));
        expect(blocks).toHaveLength(1);
        expect(ok(blocks[0]!)).toEqual(data);
      }),
    );
  });

  it('property: plain bodies (read in one pass) and the same bodies with trailing spaces (read line by line) agree', () => {
    // A trailing space on a body line sends the block down the line-by-line path, which the
    // one-pass reader falls back to on anything unusual; both must give the same blocks.
    const spaced = (text: string): string => text.split('\n').map((l) => (l && !l.startsWith('-----') ? `${l} ` : l)).join('\n');
    fc.assert(
      fc.property(
        fc.array(fc.record({ data: fc.uint8Array({ minLength: 1, maxLength: 300 }), width: fc.integer({ min: 1, max: 80 }), crlf: fc.boolean(), corrupt: fc.integer({ min: -1, max: 400 }), beforePad: fc.integer({ min: 0, max: 63 }) }), { minLength: 1, maxLength: 5 }),
        (specs) => {
          let text = '';
          for (const { data, width, crlf, corrupt, beforePad } of specs) {
            let pem = block(data, 'CERTIFICATE', [width], crlf ? '\r\n' : '\n');
            // The character before the padding, whose low bits must be zero, set to any value.
            let pad = pem.indexOf('=');
            while (pad > 0 && '\r\n'.includes(pem[pad - 1]!)) pad--;
            if (pad > 0) pem = pem.slice(0, pad - 1) + BASE64[beforePad] + pem.slice(pad);
            // Sometimes one body character is replaced by a character base64 lacks, or by '='.
            const bodyStart = pem.indexOf('\n') + 1;
            const at = bodyStart + corrupt;
            if (corrupt >= 0 && at < pem.indexOf('-----END') && !'\r\n'.includes(pem[at]!)) pem = pem.slice(0, at) + (corrupt % 2 ? '=' : '*') + pem.slice(at + 1);
            text += pem;
          }
          const fast = parsePem(text, { source: SOURCE });
          const slow = parsePem(spaced(text), { source: SOURCE });
          expect(fast.map((x) => [x.label, x.line, x.bytes && Array.from(x.bytes), x.error?.code])).toEqual(slow.map((x) => [x.label, x.line, x.bytes && Array.from(x.bytes), x.error?.code]));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('blocks decoded into a shared buffer never overlap', () => {
    const d = Array.from({ length: 200 }, (_, i) => bytes(700 + i, i + 1));
    const blocks = parsePem(d.map((x) => block(x)).join('')).map(ok);
    expect(blocks).toEqual(d);
    const spans = blocks.map((x) => [x.buffer, x.byteOffset, x.byteOffset + x.byteLength] as const);
    expect(new Set(spans.map((x) => x[0])).size).toBeLessThan(blocks.length);
    for (let i = 1; i < spans.length; i++) {
      const [buf, start] = spans[i]!;
      const [prevBuf, , prevEnd] = spans[i - 1]!;
      if (buf === prevBuf) expect(start).toBeGreaterThanOrEqual(prevEnd);
    }
  });

  it('a single block is decoded into a buffer of about its own size, not a whole slab', () => {
    const data = bytes(1001, 7);
    const [only] = parsePem(block(data, 'CERTIFICATE', [63])).map(ok);
    expect(only).toEqual(data);
    expect(only!.buffer.byteLength).toBeLessThan(1400);
  });

  it('other labels are returned as they are (the reader decides what they mean)', () => {
    const data = bytes(40, 5);
    const blocks = parsePem(block(data, 'X509 CRL') + block(data, 'PKCS7') + block(data, 'PUBLIC KEY'));
    expect(blocks.map((b) => b.label)).toEqual(['X509 CRL', 'PKCS7', 'PUBLIC KEY']);
  });

  it('looksLikePem', () => {
    expect(looksLikePem(block(bytes(3, 1)))).toBe(true);
    expect(looksLikePem('MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA')).toBe(false);
  });
});

describe('bundles', () => {
  const d = [bytes(120, 10), bytes(333, 11), bytes(64, 12)];

  it('LF and CRLF bundles: every block in order with the line of its BEGIN', () => {
    for (const eol of ['\n', '\r\n']) {
      const text = d.map((x) => block(x, 'CERTIFICATE', [64], eol)).join('');
      const blocks = parsePem(text, { source: SOURCE });
      expect(blocks.map(ok)).toEqual(d);
      const lf = text.replaceAll('\r\n', '\n');
      expect(blocks.map((b) => b.line)).toEqual([0, 1, 2].map((n) => lineOf(lf, /-----BEGIN/, n)));
    }
  });

  it('mixed CRLF and LF lines', () => {
    const text = d.map((x, i) => block(x, 'CERTIFICATE', [64], i % 2 ? '\r\n' : '\n')).join('');
    expect(parsePem(text).map(ok)).toEqual(d);
  });

  it('explanatory text before, between and after blocks (openssl x509 -text style dumps)', () => {
    const text =
      'subject=C = US, O = Contoso, CN = Contoso Root CA\nissuer=C = US, O = Contoso, CN = Contoso Root CA\n' +
      OPENSSL_TEXT + block(d[0]!) +
      '\n\n' + OPENSSL_TEXT.replaceAll('Root', 'Issuing') + block(d[1]!) +
      ' 2 s:CN = leaf\n   i:CN = Contoso Issuing CA\n   a:PKEY: rsaEncryption, 2048 (bit); sigalg: RSA-SHA256\n' + block(d[2]!) +
      '---\nServer certificate\nsubject=CN = leaf\n';
    const blocks = parsePem(text, { source: SOURCE });
    expect(blocks.map(ok)).toEqual(d);
    expect(blocks.map((b) => b.line)).toEqual([0, 1, 2].map((n) => lineOf(text, /-----BEGIN/, n)));
  });

  it('leading whitespace before BEGIN/END lines (indented in a config file)', () => {
    const text = d.map((x) => block(x).split('\n').map((l) => (l ? `        ${l}` : l)).join('\n')).join('');
    const blocks = parsePem(text);
    expect(blocks.map(ok)).toEqual(d);
    expect(blocks.map((b) => b.line)).toEqual([0, 1, 2].map((n) => lineOf(text, /-----BEGIN/, n)));
    expect(blocks.map((b) => b.line)).toEqual([1, 6, 15]);
  });

  it('maxBlocks: the block past the limit → ERR_LIMIT_EXCEEDED (thrown) with its line', () => {
    const text = d.map((x) => block(x)).join('');
    expect(parsePem(text, { maxBlocks: 3 })).toHaveLength(3);
    try {
      parsePem(text, { source: SOURCE, maxBlocks: 2 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(GraphMtlsError);
      expect(error).toMatchObject({ code: 'ERR_LIMIT_EXCEEDED', source: SOURCE, line: lineOf(text, /BEGIN/, 2) });
    }
  });

  // Speed is the benchmarks' to measure (bench/); here, that the limit stops the read at block 11.
  it('maxBlocks counts malformed blocks too, among a huge number of BEGIN lines', () => {
    const text = '-----BEGIN CERTIFICATE-----\n'.repeat(200_000);
    try {
      parsePem(text, { source: SOURCE, maxBlocks: 10 });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'ERR_LIMIT_EXCEEDED', source: SOURCE, line: 11 });
    }
  });
});

describe('no blocks', () => {
  it('text without BEGIN lines gives no blocks', () => {
    expect(parsePem('')).toEqual([]);
    expect(parsePem('hello\nworld\n')).toEqual([]);
    expect(parsePem(OPENSSL_TEXT)).toEqual([]);
    expect(parsePem('-----END CERTIFICATE-----\n')).toEqual([]);
    // A BEGIN marker that does not start a line is not a block.
    expect(parsePem('see -----BEGIN CERTIFICATE----- above\n')).toEqual([]);
  });
});

describe('bad base64 → ERR_BASE64_INVALID naming the line of the bad character', () => {
  const data = bytes(300, 20);

  function withBadChar(lineIndex: number, col: number, ch: string, prefix = ''): { text: string; badLine: number; beginLine: number } {
    const lines = block(data).split('\n');
    const l = lines[lineIndex]!;
    lines[lineIndex] = l.slice(0, col) + ch + l.slice(col + 1);
    const text = prefix + lines.join('\n');
    const prefixLines = prefix.split('\n').length - 1;
    return { text, badLine: lineIndex + 1 + prefixLines, beginLine: 1 + prefixLines };
  }

  it.each([
    ['!', 1, 0],
    ['*', 2, 10],
    ['-', 3, 63],
    ['_', 4, 5],
    ['é', 5, 20],
    ['.', 3, 40],
    ['!', 3, 0],
    ['~', 5, 0],
  ])("character %j on body line %i, column %i", (ch, lineIndex, col) => {
    const { text, badLine, beginLine } = withBadChar(lineIndex, col, ch, 'preamble\nmore preamble\n');
    const blocks = parsePem(text, { source: SOURCE });
    const e = err(blocks[0]);
    expect(e.code).toBe('ERR_BASE64_INVALID');
    expect(e.source).toBe(SOURCE);
    expect(e.line).toBe(beginLine);
    expect(e.message).toMatch(new RegExp(`\\bline ${badLine}\\b`));
    expect(e.reason).toMatch(new RegExp(`on line ${badLine}\\b`));
  });

  it('whitespace inside a line', () => {
    const { text, badLine } = withBadChar(2, 30, ' ');
    const e = err(parsePem(text)[0]);
    expect(e.code).toBe('ERR_BASE64_INVALID');
    expect(e.reason).toMatch(new RegExp(`on line ${badLine}\\b`));
  });

  it('padding in the middle of the body (two bodies run together)', () => {
    const text = `-----BEGIN CERTIFICATE-----\nZg==\nZm9v\n-----END CERTIFICATE-----\n`;
    const e = err(parsePem(text)[0]);
    expect(e.code).toBe('ERR_BASE64_INVALID');
    expect(e.reason).toMatch(/on line 2\b/);
  });

  it('a body whose length is not a multiple of 4 names the last body line', () => {
    const text = `x\n-----BEGIN CERTIFICATE-----\nZm9v\nZm9vY\n\n-----END CERTIFICATE-----\n`;
    const e = err(parsePem(text)[0]);
    expect(e.code).toBe('ERR_BASE64_INVALID');
    expect(e.line).toBe(2);
    expect(e.reason).toMatch(/on line 4\b/);
    expect(err(parsePem(`x\n-----BEGIN CERTIFICATE-----\nZm9v\nZm9vY\nZm9v\n-----END CERTIFICATE-----\n`)[0]).reason).toMatch(/on line 5$/);
  });

  it('a line that only ends like an END line does not end the block', () => {
    const blocks = parsePem('-----BEGIN CERTIFICATE-----\nQUJD\n-----EMD CERTIFICATE-----\n');
    expect(blocks).toMatchObject([{ label: 'CERTIFICATE', line: 1, error: { code: 'ERR_PEM_MALFORMED', reason: "PEM block 'CERTIFICATE': expected '-----END CERTIFICATE-----', received the end of the text" } }]);
  });

  it('a line of nothing but spaces, tabs, CRs or U+FEFF after the body is no body line', () => {
    for (const blank of [' \t', '\t', '\r', '\ufeff', ' \ufeff\t', '\ufeff\ufeff']) {
      const text = `x\n-----BEGIN CERTIFICATE-----\nZm9v\nZm9vY\n${blank}\n-----END CERTIFICATE-----\n`;
      expect(err(parsePem(text)[0]).reason).toMatch(/on line 4$/);
    }
  });

  it('a colon after the first body line is a bad base64 character, not an RFC 1421 header', () => {
    const e = err(parsePem('-----BEGIN CERTIFICATE-----\nQUJD\nQU:D\n-----END CERTIFICATE-----\n')[0]);
    expect(e.code).toBe('ERR_BASE64_INVALID');
    expect(e.reason).toMatch(/on line 3$/);
  });

  it.each([
    ['a character past ASCII', 'Q\u00e9D'],
    ['padding after a whole quad', 'QUJD===='],
    ['padding after one character', 'QUJDQ==='],
    ['too little padding', 'QQ='],
    ['too much padding', 'QUI=='],
    ['a CR that ends no line', 'QUJD\rQUJD'],
    ['a CR that ends no line, in the padding', 'QQ=\r='],
    ['a character after the padding', 'QQ==X'],
  ])('%s is refused by the one-pass reader as by the line reader', (_, body) => {
    for (const eol of ['\n', '\r\n']) {
      const blocks = parsePem(`-----BEGIN CERTIFICATE-----${eol}${body}${eol}-----END CERTIFICATE-----${eol}`);
      expect(err(blocks[0]).code).toBe('ERR_BASE64_INVALID');
    }
  });

  it('padding after two or three characters, then LF or CRLF, is read', () => {
    for (const eol of ['\n', '\r\n']) {
      const text = (body: string): string => `-----BEGIN CERTIFICATE-----${eol}${body}${eol}-----END CERTIFICATE-----${eol}`;
      expect(ok(parsePem(text('QQ==')).at(0)!)).toEqual(new Uint8Array([0x41]));
      expect(ok(parsePem(text('QUI=')).at(0)!)).toEqual(new Uint8Array([0x41, 0x42]));
      expect(ok(parsePem(text(`QUJD${eol}QUI=`)).at(0)!)).toEqual(new Uint8Array([0x41, 0x42, 0x43, 0x41, 0x42]));
    }
  });

  it('non-zero bits before the padding', () => {
    const e = err(parsePem(`-----BEGIN CERTIFICATE-----\nZh==\n-----END CERTIFICATE-----\n`)[0]);
    expect(e.code).toBe('ERR_BASE64_INVALID');
  });

  it('does not echo the body', () => {
    const big = b64(bytes(3000, 21));
    const e = err(parsePem(`-----BEGIN CERTIFICATE-----\n${big}!\n-----END CERTIFICATE-----\n`)[0]);
    expect(e.message.length).toBeLessThan(300);
    expect(e.message).not.toContain(big.slice(100, 140));
  });
});

describe('malformed blocks → ERR_PEM_MALFORMED at the BEGIN line', () => {
  const a = bytes(100, 30);
  const c = bytes(90, 31);

  it('unterminated block', () => {
    const text = `intro\n${block(a).replace(/-----END[^\n]*\n/, '')}`;
    const blocks = parsePem(text, { source: SOURCE });
    expect(blocks).toHaveLength(1);
    expect(err(blocks[0])).toMatchObject({ code: 'ERR_PEM_MALFORMED', source: SOURCE, line: 2, reason: "PEM block 'CERTIFICATE': expected '-----END CERTIFICATE-----', received the end of the text" });
  });

  it('an END marker inside a body line ends nothing', () => {
    const blocks = parsePem('-----BEGIN CERTIFICATE-----\nQUJD-----END CERTIFICATE-----\n');
    expect(blocks).toMatchObject([{ label: 'CERTIFICATE', line: 1, error: { code: 'ERR_PEM_MALFORMED', reason: "PEM block 'CERTIFICATE': expected '-----END CERTIFICATE-----', received the end of the text" } }]);
  });

  it("a marker alone ('-----BEGIN ' or '-----END ' and spaces) is no boundary line", () => {
    expect(parsePem('-----BEGIN \n-----BEGIN\t\n')).toEqual([]);
    const e = err(parsePem('-----BEGIN CERTIFICATE-----\n-----END \nQUJD\n-----END CERTIFICATE-----\n')[0]);
    expect(e.code).toBe('ERR_BASE64_INVALID');
  });

  it('mismatched END label', () => {
    const text = block(a).replace('END CERTIFICATE', 'END X509 CRL') + block(c);
    const blocks = parsePem(text, { source: SOURCE });
    expect(blocks).toHaveLength(2);
    expect(err(blocks[0])).toMatchObject({ code: 'ERR_PEM_MALFORMED', source: SOURCE, line: 1 });
    expect(ok(blocks[1]!)).toEqual(c);
  });

  it('END line with text after the dashes', () => {
    const text = block(a).replace('END CERTIFICATE-----', 'END CERTIFICATE----- trailing');
    expect(err(parsePem(text)[0]).code).toBe('ERR_PEM_MALFORMED');
  });

  it('nested BEGIN: the open block is malformed, the inner one is read', () => {
    const outer = block(a).replace(/-----END[^\n]*\n/, '');
    const text = outer + block(c);
    const blocks = parsePem(text, { source: SOURCE });
    expect(blocks).toHaveLength(2);
    expect(err(blocks[0])).toMatchObject({ code: 'ERR_PEM_MALFORMED', source: SOURCE, line: 1 });
    expect(blocks[1]!.line).toBe(lineOf(text, /BEGIN/, 1));
    expect(ok(blocks[1]!)).toEqual(c);
  });

  it('RFC 1421 headers (Proc-Type, DEK-Info) → ERR_PEM_MALFORMED at the BEGIN line', () => {
    const lines = block(a).split('\n');
    lines.splice(1, 0, 'Proc-Type: 4,ENCRYPTED', 'DEK-Info: AES-128-CBC,5E6A0D3B2C1F0E9D8C7B6A5948372615', '');
    const text = 'preamble\n' + lines.join('\n') + block(c);
    const blocks = parsePem(text, { source: SOURCE });
    expect(blocks).toHaveLength(2);
    const e = err(blocks[0]);
    expect(e.code).toBe('ERR_PEM_MALFORMED');
    expect(e.source).toBe(SOURCE);
    // The first header line is named, not the last.
    expect(e.reason).toBe("PEM block 'CERTIFICATE': expected base64 lines, received an RFC 1421 header line at line 3");
    expect(blocks[0]!.line).toBe(2);
    // InputLocation.line is "the PEM block's BEGIN line" (errors.ts), as for every other block error.
    expect(e.line).toBe(2);
    expect(ok(blocks[1]!)).toEqual(c);
  });

  it('an empty body', () => {
    for (const text of ['-----BEGIN CERTIFICATE-----\n\n-----END CERTIFICATE-----\n', '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n']) {
      expect(err(parsePem(text, { source: SOURCE })[0])).toMatchObject({ code: 'ERR_PEM_MALFORMED', line: 1, source: SOURCE, reason: "PEM block 'CERTIFICATE': expected a base64 body, received none" });
    }
  });

  it('a malformed BEGIN line (missing dashes, lower-case end marker)', () => {
    for (const begin of ['-----BEGIN CERTIFICATE', '-----BEGIN CERTIFICATE----', '-----BEGIN  CERTIFICATE-----', '-----BEGIN CERTIFICATE-----x']) {
      const text = `x\n${begin}\nZm9v\n-----END CERTIFICATE-----\n` + block(c);
      const blocks = parsePem(text, { source: SOURCE });
      expect(blocks[0]!.label).toBe('');
      expect(err(blocks[0])).toMatchObject({ code: 'ERR_PEM_MALFORMED', line: 2, source: SOURCE, reason: "PEM BEGIN line: expected '-----BEGIN LABEL-----', received a malformed line" });
      expect(ok(blocks[blocks.length - 1]!)).toEqual(c);
    }
  });

  it('labels (RFC 7468 §3): printable ASCII but "-", with single spaces or hyphens between, or none at all', () => {
    for (const label of ['X509 CRL', 'A-B', 'A', 'RSA PRIVATE KEY', 'a.b,c~!', '']) {
      const blocks = parsePem(`-----BEGIN ${label}-----\nQUJD\n-----END ${label}-----\n`);
      expect(blocks.map((b) => [b.label, b.line, b.bytes && Array.from(b.bytes)])).toEqual([[label, 1, [0x41, 0x42, 0x43]]]);
    }
    for (const label of [' A', 'A ', '-A', 'A-', 'A  B', 'A--B', 'A -B', 'A\tB', 'CERTIFICAT\u00c9']) {
      const blocks = parsePem(`-----BEGIN ${label}-----\nQUJD\n-----END ${label}-----\n`);
      expect(blocks).toHaveLength(1);
      expect(blocks[0]).toMatchObject({ label: '', line: 1, error: { code: 'ERR_PEM_MALFORMED', reason: "PEM BEGIN line: expected '-----BEGIN LABEL-----', received a malformed line" } });
    }
  });

  it('a label is quoted in messages up to 40 characters, then cut with an ellipsis', () => {
    expect(cap('X'.repeat(40))).toBe('X'.repeat(40));
    expect(cap(`${'X'.repeat(40)}YZ`)).toBe(`${'X'.repeat(40)}…`);
    expect(cap('')).toBe('');
  });

  it('does not echo a very long label in full (cap ~60 chars)', () => {
    const label = 'X'.repeat(5000);
    const blocks = parsePem(`-----BEGIN ${label}-----\nZm9v\n`, { source: SOURCE });
    const e = err(blocks[0]);
    expect(e.code).toBe('ERR_PEM_MALFORMED');
    expect(e.message.length).toBeLessThan(400);
  });
});

describe('one bad block never hides the later good ones', () => {
  it('a bundle of good, bad and refused blocks reports each in order with its BEGIN line', () => {
    const good = [bytes(80, 40), bytes(81, 41), bytes(82, 42)];
    const parts = [
      block(good[0]!),
      'junk between\n',
      block(bytes(60, 43)).replace(/^([A-Za-z0-9+/]{10})[A-Za-z0-9+/]/m, '$1!'), // bad base64
      block(good[1]!).replace(/-----END[^\n]*\n/, ''), // unterminated, then a new BEGIN
      block(bytes(30, 44), 'PRIVATE KEY'), // refused
      block(bytes(30, 45)).replace('END CERTIFICATE', 'END CRL'), // mismatched END
      block(good[2]!),
    ];
    const text = parts.join('');
    let refusedLine = 0;
    const blocks = parsePem(text, {
      source: SOURCE,
      refuse: (label, line) => {
        if (label !== 'PRIVATE KEY') return undefined;
        refusedLine = line;
        return new InputError('ERR_PRIVATE_KEY', 'refused', { source: SOURCE, line });
      },
    });
    const begins = [0, 1, 2, 3, 4, 5].map((n) => lineOf(text, /-----BEGIN/, n));
    expect(blocks.map((b) => b.line)).toEqual(begins);
    expect(blocks.map((b) => b.error?.code ?? 'ok')).toEqual(['ok', 'ERR_BASE64_INVALID', 'ERR_PEM_MALFORMED', 'ERR_PRIVATE_KEY', 'ERR_PEM_MALFORMED', 'ok']);
    expect(ok(blocks[0]!)).toEqual(good[0]);
    expect(ok(blocks[5]!)).toEqual(good[2]);
    expect(refusedLine).toBe(begins[3]);
    for (const b of blocks) if (b.error) expect(b.error.source).toBe(SOURCE);
  });

  it('a refused block is never decoded, even when its body is not base64', () => {
    const text = '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n!!!not base64!!!\n-----END RSA PRIVATE KEY-----\n' + block(bytes(20, 50));
    const blocks = parsePem(text, { refuse: (label, line) => (label.includes('PRIVATE KEY') ? new InputError('ERR_PRIVATE_KEY', 'refused', { line }) : undefined) });
    expect(blocks[0]).toMatchObject({ label: 'RSA PRIVATE KEY', line: 1 });
    expect(blocks[0]!.bytes).toBeUndefined();
    expect(err(blocks[0]).code).toBe('ERR_PRIVATE_KEY');
    expect(ok(blocks[1]!)).toEqual(bytes(20, 50));
  });

  it('an unterminated refused block keeps its refusal', () => {
    const blocks = parsePem('-----BEGIN PRIVATE KEY-----\nMIIEvQ\n', { refuse: () => new InputError('ERR_PRIVATE_KEY', 'refused', { line: 1 }) });
    expect(err(blocks[0]).code).toBe('ERR_PRIVATE_KEY');
  });
});

describe('hostile sizes', () => {
  // How fast is the benchmarks' and the fuzzer's to say (its budget is 100 ms per 100 KB); here, only what comes out.
  it('a 16 MiB single-line body and a million blank lines are read', () => {
    const big = 'A'.repeat(16 * 1024 * 1024);
    const blocks = parsePem(`-----BEGIN CERTIFICATE-----\n${big}\n-----END CERTIFICATE-----\n`);
    expect(ok(blocks[0]!)).toHaveLength(12 * 1024 * 1024);
    expect(parsePem('\n'.repeat(1_000_000))).toEqual([]);
  });
});

describe('lines: what is trimmed, and the words of each malformed block', () => {
  const data = bytes(120, 7);
  const clean = block(data);

  it('spaces, tabs, CRs and U+FEFF around any line are trimmed, at either end', () => {
    const pads = [' ', '\t', '\r', '\ufeff', ' \ufeff\t', '\ufeff\ufeff', ''];
    const lines = clean.trimEnd().split('\n');
    for (let k = 0; k < pads.length; k++) {
      const padded = lines.map((l, i) => `${pads[(i + k) % pads.length]}${l}${pads[(i + k + 3) % pads.length]}`).join('\r\n');
      const blocks = parsePem(`${padded}\r\n`);
      expect(blocks.map((b) => [b.label, b.line])).toEqual([['CERTIFICATE', 1]]);
      expect(ok(blocks[0]!)).toEqual(data);
    }
  });

  it('only a whole U+FEFF (EF BB BF) is trimmed: three bytes that are not one leave the line as it is', () => {
    const scan = (...parts: (string | number[])[]): unknown[] => {
      const scanner = new PemScanner();
      const out: unknown[] = [];
      const emit = (b: ScannedBlock): void => {
        out.push([b.label, b.line, b.bytes === undefined ? b.problem.code : Array.from(b.bytes)]);
      };
      scanner.push(new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? Array.from(Buffer.from(p, 'latin1')) : p))), emit);
      scanner.end(emit);
      return out;
    };
    const begin = '-----BEGIN CERTIFICATE-----';
    const rest = '\nQUJD\n-----END CERTIFICATE-----\n';
    expect(scan([0xef, 0xbb, 0xbf], begin, rest)).toEqual([['CERTIFICATE', 1, [0x41, 0x42, 0x43]]]);
    expect(scan(begin, [0xef, 0xbb, 0xbf], rest)).toEqual([['CERTIFICATE', 1, [0x41, 0x42, 0x43]]]);
    for (const notBom of [[0x78, 0xbb, 0xbf], [0xef, 0x78, 0xbf], [0xef, 0xbb, 0x78]]) {
      expect(scan(notBom, begin, rest)).toEqual([]);
      expect(scan(begin, notBom, rest)).toEqual([['', 1, 'ERR_PEM_MALFORMED']]);
    }
  });

  it('a line holding only padding is an empty line inside a body', () => {
    const lines = clean.trimEnd().split('\n');
    lines.splice(2, 0, ' \t\r', '\ufeff');
    const blocks = parsePem(`${lines.join('\n')}\n`);
    expect(ok(blocks[0]!)).toEqual(data);
  });

  it('a malformed BEGIN outside a block, a new BEGIN inside one, a different END, an RFC 1421 header: each said exactly', () => {
    expect(parsePem('-----BEGIN CERTIFICATE\n')).toMatchObject([{ label: '', line: 1, error: { code: 'ERR_PEM_MALFORMED', reason: "PEM BEGIN line: expected '-----BEGIN LABEL-----', received a malformed line" } }]);
    const twice = parsePem(`-----BEGIN CERTIFICATE-----\nQUJD\n${clean}`);
    expect(twice[0]).toMatchObject({ label: 'CERTIFICATE', line: 1, error: { code: 'ERR_PEM_MALFORMED', reason: "PEM block 'CERTIFICATE': expected '-----END CERTIFICATE-----', received a new BEGIN at line 3" } });
    expect(ok(twice[1]!)).toEqual(data);
    expect(parsePem('-----BEGIN CERTIFICATE-----\nQUJD\n-----END X509 CRL-----\n')).toMatchObject([{ error: { reason: "PEM block 'CERTIFICATE': expected '-----END CERTIFICATE-----', received a different END line at line 3" } }]);
    expect(parsePem('-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\nQUJD\n-----END CERTIFICATE-----\n')).toMatchObject([{ error: { reason: "PEM block 'CERTIFICATE': expected base64 lines, received an RFC 1421 header line at line 2" } }]);
    // Inside a block, a malformed BEGIN line is not a new block.
    const inner = parsePem(`-----BEGIN CERTIFICATE-----\n-----BEGIN CERT\n${clean.split('\n').slice(1).join('\n')}`);
    expect(inner).toHaveLength(1);
  });

  it('maxBlocks: the block past it throws ERR_LIMIT_EXCEEDED at its line', () => {
    const text = `${clean}${clean}${clean}`;
    expect(parsePem(text, { maxBlocks: 3 })).toHaveLength(3);
    let thrown: unknown;
    try {
      parsePem(text, { source: SOURCE, maxBlocks: 2 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'ERR_LIMIT_EXCEEDED', source: SOURCE, line: 2 * clean.split('\n').length - 1, reason: 'PEM: expected at most 2 blocks, received more' });
  });

  it('a refused block carries the caller\'s own error object', () => {
    const mine = new InputError('ERR_PRIVATE_KEY', 'refused here', { source: SOURCE, line: 1 });
    const blocks = parsePem('-----BEGIN PRIVATE KEY-----\nQUJD\n-----END PRIVATE KEY-----\n', { refuse: () => mine });
    expect(blocks[0]!.error).toBe(mine);
  });
});
