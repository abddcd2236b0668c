// PemScanner as a stream reader, observed from outside: what it keeps between pieces (a piece
// is read where it lies; only bytes still needed are copied, when the next piece comes),
// maxBlockBytes (checked on a line still arriving, and exactly at the limit), lines too long to
// keep, which blocks the one-pass decoder reads into a shared slab, and that a flood of BEGIN
// lines is searched once, not once per block.

import { describe, expect, it } from 'vitest';
import { PemScanner, type PemScanOptions, type ScannedBlock } from '../../src/encoding/pem.ts';
import { decodedLength } from '../../src/encoding/base64.ts';

const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));

/** Deterministic pseudo-random bytes. */
function bytes(n: number, seed: number): Uint8Array {
  let x = seed * 2654435761 >>> 0 || 1;
  return Uint8Array.from({ length: n }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) & 0xff;
  });
}

/** A block with base64 lines of `width` characters, each ended by `eol`. */
function block(data: Uint8Array, width = 64, eol = '\n', label = 'CERTIFICATE'): string {
  const text = Buffer.from(data).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += width) lines.push(text.slice(i, i + width));
  return `-----BEGIN ${label}-----${eol}${lines.join(eol)}${eol}-----END ${label}-----${eol}`;
}

function scan(pieces: readonly (string | Uint8Array)[], options: PemScanOptions = {}): ScannedBlock[] {
  const scanner = new PemScanner(options);
  const out: ScannedBlock[] = [];
  const emit = (b: ScannedBlock): void => {
    out.push(b);
  };
  for (const p of pieces) scanner.push(typeof p === 'string' ? utf8(p) : p, emit);
  scanner.end(emit);
  return out;
}

/** Each block as [label, line, hex bytes or problem code]. */
function summary(blocks: readonly ScannedBlock[]): unknown[] {
  return blocks.map((b) => [b.label, b.line, b.bytes === undefined ? b.problem.code : Buffer.from(b.bytes).toString('hex')]);
}

/** Compares as bytes (toEqual on large typed arrays is slow). */
function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

function decoded(b: ScannedBlock | undefined): Uint8Array {
  if (b?.bytes === undefined) throw new Error(`expected a decoded block, received ${b?.problem.code}: ${b?.problem.reason}`);
  return b.bytes;
}

const ABC = Buffer.from('ABC').toString('hex');
const PRIVATE_KEY: PemScanOptions['refuse'] = (label) => (label === 'PRIVATE KEY' ? { code: 'ERR_PRIVATE_KEY', reason: 'refused' } : undefined);

/**
 * Whether the scanner read `head` where it lay, keeping no copy of it: after the pieces
 * `before`, it pushes a piece `head` + '-----BEGIN AAAA-----' (a line still arriving), then
 * changes AAAA to BBBB in that piece, and only then pushes the rest of the line and a block
 * ending '-----END BBBB-----'. The scanner copies the bytes it still needs of a piece when the
 * next one comes (which is why a caller must not change a piece before then), so it reads BBBB
 * only if it had kept no copy of the piece.
 */
function readInPlace(before: readonly string[], head: string, options: PemScanOptions = {}): boolean {
  const scanner = new PemScanner(options);
  const out: ScannedBlock[] = [];
  const emit = (b: ScannedBlock): void => {
    out.push(b);
  };
  for (const p of before) scanner.push(utf8(p), emit);
  const piece = utf8(`${head}-----BEGIN AAAA-----`);
  scanner.push(piece, emit);
  piece.set(utf8('BBBB'), piece.length - 9);
  scanner.push(utf8('\nQUJD\n-----END BBBB-----\n'), emit);
  scanner.end(emit);
  const last = out[out.length - 1]!;
  if (last.label === 'AAAA') return false;
  expect(summary([last])).toEqual([['BBBB', expect.any(Number), ABC]]);
  return true;
}

describe('PemScanner keeps only the bytes it still needs, and copies them only when the next piece comes', () => {
  it('reads a piece where it lies when nothing is pending: the first piece, and one after a complete block', () => {
    expect(readInPlace([], 'preamble\n')).toBe(true);
    expect(readInPlace([block(bytes(30, 1))], 'between blocks\n')).toBe(true);
  });

  it('copies the open block: its body is still needed', () => {
    expect(readInPlace(['-----BEGIN CERTIFICATE-----\nQUJD\n'], 'QUJD\n')).toBe(false);
  });

  it('keeps nothing of a refused block (its body is never read), so the next piece is read where it lies', () => {
    expect(readInPlace(['-----BEGIN PRIVATE KEY-----\nMIIE\n'], 'MIIE\n', { refuse: PRIVATE_KEY })).toBe(true);
  });

  it('keeps nothing of a block past maxBlockBytes (the rest of it is skipped unread)', () => {
    expect(readInPlace([`-----BEGIN CERTIFICATE-----\n${'QUJD'.repeat(8)}\n`], 'QUJD\n', { maxBlockBytes: 24 })).toBe(true);
    // Within the limit, the same block is kept.
    expect(readInPlace([`-----BEGIN CERTIFICATE-----\n${'QUJD'.repeat(8)}\n`], 'QUJD\n', { maxBlockBytes: 240 })).toBe(false);
  });

  it('keeps nothing of a line longer than maxBlockBytes while it is skipped', () => {
    expect(readInPlace(['x'.repeat(40)], 'the end of the long line\n', { maxBlockBytes: 24 })).toBe(true);
  });

  it('an empty piece copies nothing: the pending tail is still read from its own piece', () => {
    const scanner = new PemScanner();
    const out: ScannedBlock[] = [];
    const emit = (b: ScannedBlock): void => {
      out.push(b);
    };
    const piece = utf8('preamble\n-----BEGIN AAAA-----');
    scanner.push(piece, emit);
    scanner.push(new Uint8Array(0), emit);
    piece.set(utf8('BBBB'), piece.length - 9);
    scanner.push(utf8('\nQUJD\n-----END BBBB-----\n'), emit);
    scanner.end(emit);
    expect(summary(out)).toEqual([['BBBB', 2, ABC]]);
  });
});

describe('maxBlockBytes', () => {
  const BEGIN = '-----BEGIN CERTIFICATE-----\n';
  const END = '\n-----END CERTIFICATE-----\n';
  const body = 'QUJD'.repeat(10); // 40 bytes, 30 decoded
  const limit = (maxBlockBytes: number): PemScanOptions => ({ maxBlockBytes });
  const tooLong = (max: number): string =>
    `PEM block 'CERTIFICATE': expected '-----END CERTIFICATE-----' within ${max} bytes of its BEGIN line, received more; the rest of the block was skipped`;

  it('a body line exactly maxBlockBytes long is read, one byte over is too long: whole or still arriving', () => {
    const abc30 = Buffer.from('ABC'.repeat(10)).toString('hex');
    for (const pieces of [[BEGIN + body + END], [BEGIN + body, END]]) {
      expect(summary(scan(pieces, limit(40)))).toEqual([['CERTIFICATE', 1, abc30]]);
      const over = scan(pieces, limit(39));
      expect(summary(over)).toEqual([['CERTIFICATE', 1, 'ERR_LIMIT_EXCEEDED']]);
      expect(over[0]!.problem!.reason).toBe(tooLong(39));
    }
  });

  it('a block grown past the limit by a line still arriving is too long, though that line is skipped and the END comes next', () => {
    const blocks = scan([BEGIN + body, END + block(bytes(20, 2))], limit(32));
    expect(summary(blocks)).toEqual([
      ['CERTIFICATE', 1, 'ERR_LIMIT_EXCEEDED'],
      ['CERTIFICATE', 4, Buffer.from(bytes(20, 2)).toString('hex')],
    ]);
    expect(blocks[0]!.problem!.reason).toBe(tooLong(32));
  });

  it('a refused block past the limit keeps its refusal', () => {
    const blocks = scan(['-----BEGIN PRIVATE KEY-----\n' + 'MIIE'.repeat(20), '\n-----END PRIVATE KEY-----\n'], { refuse: PRIVATE_KEY, maxBlockBytes: 32 });
    expect(summary(blocks)).toEqual([['PRIVATE KEY', 1, 'ERR_PRIVATE_KEY']]);
  });

  it('a line longer than the limit, arriving in pieces, is skipped to its end unread, and counts as one line', () => {
    // The rest of the long line looks like a BEGIN line: it is not one.
    const blocks = scan(['x'.repeat(40), '-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n' + block(bytes(10, 3))], limit(32));
    expect(summary(blocks)).toEqual([['CERTIFICATE', 4, Buffer.from(bytes(10, 3)).toString('hex')]]);
  });

  it('a BEGIN line longer than the limit, arriving in pieces, opens no block', () => {
    const label = 'X'.repeat(40);
    const blocks = scan([`-----BEGIN ${label}-----`, `\nQUJD\n-----END ${label}-----\n`], limit(32));
    expect(blocks).toEqual([]);
  });
});

describe('the one-pass decoder: which blocks share a slab', () => {
  /** True when every block was decoded into the same buffer (the one-pass decoder's slab). */
  function oneSlab(blocks: readonly ScannedBlock[]): boolean {
    const buffers = new Set(blocks.map((b) => decoded(b).buffer));
    return buffers.size === 1;
  }

  it('blocks read in one pass share a slab; a block read line by line (a trailing space) gets its own buffer', () => {
    const d = [bytes(100, 10), bytes(101, 11)];
    const plain = scan([d.map((x) => block(x)).join('')]);
    expect(plain.map(decoded)).toEqual(d);
    expect(oneSlab(plain)).toBe(true);
    const spaced = scan([block(d[0]!) + block(d[1]!).replace('\n-----END', ' \n-----END')]);
    expect(spaced.map(decoded)).toEqual(d);
    expect(oneSlab(spaced)).toBe(false);
  });

  it('CRLF bodies, with and without padding, are read in one pass', () => {
    const d = [bytes(50, 12), bytes(49, 13), bytes(48, 14)];
    const blocks = scan([d.map((x) => block(x, 64, '\r\n')).join('')]);
    expect(blocks.map(decoded)).toEqual(d);
    expect(oneSlab(blocks)).toBe(true);
  });

  it('lines that are not whole quads (here all zeros, base64 A) are read in one pass', () => {
    const d = [new Uint8Array(200), new Uint8Array(201)];
    for (const width of [63, 65, 1, 2, 3]) {
      const blocks = scan([d.map((x) => block(x, width)).join('')]);
      expect(blocks.map(decoded)).toEqual(d);
      expect(oneSlab(blocks)).toBe(true);
    }
  });

  it('bodies without padding (multiples of 3 bytes) are read in one pass', () => {
    const d = [bytes(99, 15), bytes(102, 16)];
    const blocks = scan([d.map((x) => block(x)).join('')]);
    expect(blocks.map(decoded)).toEqual(d);
    expect(oneSlab(blocks)).toBe(true);
  });

  it('an END line without its LF yet is not read in one pass: it may go on in the next piece', () => {
    const d = [bytes(60, 17), bytes(61, 18)];
    const text = d.map((x) => block(x)).join('').trimEnd();
    const whole = scan([text]);
    expect(whole.map(decoded)).toEqual(d);
    expect(oneSlab(whole)).toBe(false);
    // The END line may go on in the next piece: the block is read when that line ends.
    const cut = scan([text, 'X\n']);
    expect(summary(cut)).toEqual([
      ['CERTIFICATE', 1, Buffer.from(d[0]!).toString('hex')],
      ['CERTIFICATE', 5, 'ERR_PEM_MALFORMED'],
    ]);
    expect(cut[1]!.problem!.reason).toBe("PEM block 'CERTIFICATE': expected '-----END CERTIFICATE-----', received a different END line at line 8");
  });

  it('blocks in a later piece (read at an offset into the whole text) are read in one pass', () => {
    const d = [bytes(70, 19), bytes(71, 20)];
    const blocks = scan([`${'junk '.repeat(200)}\n-----BEGIN`, ` CERTIFICATE-----\n${block(d[0]!).slice(28)}${block(d[1]!)}`]);
    expect(blocks.map(decoded)).toEqual(d);
    expect(oneSlab(blocks)).toBe(true);
  });

  it('a block split between two pieces is read line by line, into a buffer of its own', () => {
    const d = [bytes(90, 27), bytes(91, 28), bytes(92, 29)];
    const text = d.map((x) => block(x)).join('');
    const cutAt = text.indexOf('-----END', text.indexOf('-----BEGIN', 10));
    const blocks = scan([text.slice(0, cutAt), text.slice(cutAt)]);
    expect(blocks.map(decoded)).toEqual(d);
    const [first, split, last] = blocks.map((b) => decoded(b).buffer);
    expect(split).not.toBe(first);
    expect(split).not.toBe(last);
  });

  it('with maxBlockBytes, a body exactly that long (its LFs included) is read in one pass', () => {
    const d = [bytes(96, 21), bytes(96, 22)]; // 128 characters in 2 lines: 130 bytes of body
    const blocks = scan([d.map((x) => block(x)).join('')], { maxBlockBytes: 130 });
    expect(blocks.map(decoded)).toEqual(d);
    expect(oneSlab(blocks)).toBe(true);
  });

  it('a block that exactly fills the rest of the slab is decoded into it; one that needs a byte more gets a new slab', () => {
    // A body of L bytes reserves decodedLength(L) + 3 bytes of slab. The first block is large
    // enough that its slab is its own reservation: 65400 bytes in 260 lines (87200 base64
    // characters and 260 LFs) reserve 65598, leaving 198 when it is decoded, which a body of 4
    // lines of 64 (260 bytes) reserves exactly.
    const first = bytes(65400, 23);
    expect(decodedLength(87200 + 260) + 3 - first.length).toBe(198);
    const fits = bytes(192, 24);
    expect(decodedLength(256 + 4) + 3).toBe(198);
    const [a, b] = scan([block(first, 336) + block(fits)]);
    expect(same(decoded(a), first) && same(decoded(b), fits)).toBe(true);
    expect(decoded(b).buffer).toBe(decoded(a).buffer);
    expect(decoded(b).byteOffset).toBe(decoded(a).byteOffset + first.length);

    const larger = bytes(195, 25); // 260 characters in 5 lines: reserves 201.75
    const [c, e] = scan([block(first, 336) + block(larger)]);
    expect(same(decoded(c), first) && same(decoded(e), larger)).toBe(true);
    expect(decoded(e).buffer).not.toBe(decoded(c).buffer);
  });

  it('a block after a long preamble is decoded into a buffer of about its own size', () => {
    const data = bytes(300, 26);
    const [only] = scan([`${'preamble line\n'.repeat(1000)}${block(data)}`]);
    expect(decoded(only)).toEqual(data);
    expect(decoded(only).buffer.byteLength).toBeLessThan(data.length + 40);
  });
});

describe('a flood of BEGIN lines is searched once for END lines, not once per block', () => {
  // A search per block would read the rest of the text for each of 30 000 blocks: it would
  // not finish. These complete because what was searched is remembered.
  const N = 30_000;
  const begins = '-----BEGIN CERTIFICATE-----\n'.repeat(N);

  it('without an END line: every block is a problem at its own line', () => {
    const blocks = scan([begins]);
    expect(blocks).toHaveLength(N);
    expect(blocks[N - 1]).toMatchObject({ label: 'CERTIFICATE', line: N, problem: { code: 'ERR_PEM_MALFORMED' } });
    expect(blocks[0]!.problem!.reason).toBe("PEM block 'CERTIFICATE': expected '-----END CERTIFICATE-----', received a new BEGIN at line 2");
    expect(blocks[N - 1]!.problem!.reason).toBe("PEM block 'CERTIFICATE': expected '-----END CERTIFICATE-----', received the end of the text");
  });

  it('with one END line after them all: the END found once serves every block', () => {
    const blocks = scan([`${begins}-----END CERTIFICATE-----\n`]);
    expect(blocks).toHaveLength(N);
    expect(blocks[N - 1]).toMatchObject({ line: N, problem: { code: 'ERR_PEM_MALFORMED', reason: "PEM block 'CERTIFICATE': expected a base64 body, received none" } });
  });
});
