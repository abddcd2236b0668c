// Reading as it comes: PemScanner and InputReader given an input in pieces of any size give
// exactly what one piece gives (blocks, lines, indices, problems); the stream budgets hold
// (one held block at most maxInputBytes, at most maxProblems problems one by one and then one
// summary, binary and oversized inputs refused at once, payloads routed and bounded); cut()
// gives later blocks buffers of their own; lintStream reports what lint() reports.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PemScanner, type ScannedBlock } from '../../src/encoding/pem.ts';
import { sniffContent } from '../../src/input/content.ts';
import { InputReader, type ReadItem, type ReaderOptions } from '../../src/input/reader.ts';
import { lint, lintStream, Linter, LintTally, type LintItem } from '../../src/lint.ts';
import { getKey, makeDeviceCert, makeIntermediateCa, makePkcs7, makeRootCa, pkcs8Der, toPem, type GeneratedCertificate } from '@graph-mtls/test/fixtures/certificates.ts';

const NOW = new Date(Date.UTC(2030, 0, 1));
const encode = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));

/** The input in pieces: `sizes` cycled (each at least 1 byte). */
function split(bytes: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let k = 0;
  for (let at = 0; at < bytes.length; ) {
    const n = Math.max(1, sizes[k++ % sizes.length]!);
    out.push(bytes.slice(at, at + n)); // copies: a piece the scanner keeps must not change under it
    at += n;
  }
  return out;
}

function scan(pieces: readonly Uint8Array[], options: ConstructorParameters<typeof PemScanner>[0] = {}): unknown[] {
  const scanner = new PemScanner(options);
  const out: unknown[] = [];
  const emit = (b: ScannedBlock): void => {
    out.push([b.label, b.line, b.bytes === undefined ? b.problem.code : Buffer.from(b.bytes).toString('hex'), b.problem?.reason ?? null]);
  };
  for (const p of pieces) scanner.push(p, emit);
  scanner.end(emit);
  return out;
}

function read(pieces: readonly Uint8Array[], options: ReaderOptions = {}): { items: ReadItem[]; done: boolean[] } {
  const reader = new InputReader({ source: 'in.pem', ...options });
  const items: ReadItem[] = [];
  const done: boolean[] = [];
  for (const p of pieces) {
    reader.push(p, (i) => items.push(i));
    done.push(reader.done);
  }
  reader.end((i) => items.push(i));
  return { items, done };
}

function describeItems(items: readonly ReadItem[]): unknown[] {
  return items.map((i) =>
    i.kind === 'block' ? ['block', i.format, i.location, Buffer.from(i.der).toString('hex')] :
    i.kind === 'problem' ? ['problem', i.code, i.reason, i.location] :
    ['payload', i.location, Buffer.from(i.bytes).toString('utf8')],
  );
}

let root: GeneratedCertificate;
let inter: GeneratedCertificate;
let device: GeneratedCertificate;
const certs = async (): Promise<void> => {
  if (root !== undefined) return;
  root = await makeRootCa({ key: await getKey('p256', 20), subject: 'CN=Stream Root' });
  inter = await makeIntermediateCa(root, { key: await getKey('p256', 21), subject: 'CN=Stream Intermediate' });
  device = await makeDeviceCert(inter, { key: await getKey('p256', 22) });
};

/** Texts made of every kind of line a PEM reader meets, in any order. */
const FRAGMENTS = (): string[] => [
  root.pem,
  toPem(inter.der, 'CERTIFICATE', { eol: '\r\n' }),
  device.pem.split('\n').map((l) => `  ${l}\t`).join('\n'),
  'explanatory text\n',
  '\ufeffsubject=CN=x\n',
  '-----END CERTIFICATE-----\n',
  '-----BEGIN CERTIFICATE-----\nMIIB!!!!\n-----END CERTIFICATE-----\n',
  `-----BEGIN CERTIFICATE-----\n${root.pem.split('\n')[1]}\n`,
  '-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\n\nAAAA\n-----END CERTIFICATE-----\n',
  `-----BEGIN CERTIFICATE-----\n${root.pem.split('\n')[1]}\n-----END X509 CRL-----\n`,
  toPem(pkcs8Der(root.key.privateKey), 'PRIVATE KEY'),
  toPem(root.der, 'CERTIFICATE REQUEST'),
  makePkcs7([root.der, inter.der]).pem,
  '-----BEGIN malformed\n',
  '\n\n',
  'ünïcødé text 🔐\n',
  '-----BEGIN CERTIFICATE-----\n' + 'A'.repeat(200) + '\n',
];

describe('PemScanner in pieces', () => {
  it('property: any text, cut into pieces of any sizes, gives the blocks one piece gives', async () => {
    await certs();
    const fragments = FRAGMENTS();
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: fragments.length - 1 }), { minLength: 1, maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 6 }), fc.boolean(), (order, sizes, cutEnd) => {
        let text = order.map((i) => fragments[i]!).join('');
        if (cutEnd) text = text.slice(0, Math.max(1, text.length - 7));
        const bytes = encode(text);
        expect(scan(split(bytes, sizes))).toEqual(scan([bytes]));
      }),
      { numRuns: 300 },
    );
  });

  it('every line number is that of the whole text, for blocks read in one pass and line by line', async () => {
    await certs();
    const text = `a\nb\n${root.pem}c\n${toPem(inter.der, 'CERTIFICATE', { eol: '\r\n' })}\n${device.pem.replace(/\n/g, ' \n')}`;
    const lines = text.split('\n');
    const begins = lines.flatMap((l, i) => (l.includes('-----BEGIN') ? [i + 1] : []));
    for (const size of [1, 5, 64, 1000, text.length]) {
      const blocks = scan(split(encode(text), [size])) as [string, number, string][];
      expect(blocks.map((b) => b[1])).toEqual(begins);
      expect(blocks.map((b) => b[2])).toEqual([root, inter, device].map((c) => Buffer.from(c.der).toString('hex')));
    }
  });

  it('a block longer than maxBlockBytes is one problem, skipped unread; what follows is read', async () => {
    await certs();
    const body = `${'QUFB'.repeat(16)}\n`.repeat(5000); // 325 KB of valid base64
    const text = `-----BEGIN CERTIFICATE-----\n${body}-----END CERTIFICATE-----\n${root.pem}-----BEGIN CERTIFICATE-----\n${body}`;
    for (const size of [4096, 65536, text.length]) {
      const blocks = scan(split(encode(text), [size]), { maxBlockBytes: 64 * 1024 }) as [string, number, string, string | null][];
      expect(blocks.map((b) => [b[1], b[2]])).toEqual([
        [1, 'ERR_LIMIT_EXCEEDED'],
        [5003, Buffer.from(root.der).toString('hex')],
        [5003 + root.pem.split('\n').length - 1, 'ERR_LIMIT_EXCEEDED'],
      ]);
      expect(blocks[0]![3]).toContain('within 65536 bytes of its BEGIN line');
    }
  });

  it('a line longer than maxBlockBytes outside a block is skipped, and still counts as a line', async () => {
    await certs();
    const text = `${'x'.repeat(200_000)}\n${root.pem}`;
    expect(scan(split(encode(text), [1000]), { maxBlockBytes: 1024 })).toEqual(scan([encode(`\n${root.pem}`)]));
  });

  it('a flood of BEGIN lines read in small pieces ends, one problem per block', () => {
    const text = '-----BEGIN CERTIFICATE-----\n'.repeat(50_000);
    const blocks = scan(split(encode(text), [4096]));
    expect(blocks).toHaveLength(50_000);
    expect((blocks[49_999] as unknown[])[1]).toBe(50_000);
  });

  it('cut(): blocks decoded before share no buffer with blocks decoded after', async () => {
    await certs();
    const scanner = new PemScanner();
    const before: Uint8Array[] = [];
    const after: Uint8Array[] = [];
    scanner.push(encode(root.pem + inter.pem), (b) => before.push(b.bytes!));
    scanner.cut();
    scanner.push(encode(device.pem + root.pem), (b) => after.push(b.bytes!));
    scanner.end((b) => after.push(b.bytes!));
    expect(before).toHaveLength(2);
    expect(after).toHaveLength(2);
    for (const a of after) for (const b of before) expect(a.buffer).not.toBe(b.buffer);
    expect(Buffer.from(after[0]!).equals(Buffer.from(device.der))).toBe(true);
  });
});

describe('sniffContent', () => {
  it('tells JSON, PEM, DER, base64 and binary apart by the rules the reader follows', async () => {
    await certs();
    expect(sniffContent(encode('\ufeff  \n{"a":1}'))).toBe('json');
    expect(sniffContent(encode('[1]'))).toBe('json');
    expect(sniffContent(encode(`notes first\n${root.pem}`))).toBe('pem');
    expect(sniffContent(root.der)).toBe('der');
    expect(sniffContent(encode('0 a text that starts like DER'))).toBe('der');
    expect(sniffContent(encode(Buffer.from(root.der).toString('base64')))).toBe('base64');
    expect(sniffContent(new Uint8Array([1, 2, 3]))).toBe('binary');
    // Binary within the first 4096 bytes wins over a BEGIN line later on; past them, text.
    expect(sniffContent(new Uint8Array([...encode('x'), 1, ...encode(root.pem)]))).toBe('binary');
    expect(sniffContent(encode(`${'x'.repeat(5000)}\u0001${root.pem}`))).toBe('pem');
  });
});

describe('InputReader', () => {
  it('property: items (indices, lines, formats, problems) do not depend on how the input is cut', async () => {
    await certs();
    const fragments = FRAGMENTS();
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: fragments.length - 1 }), { minLength: 1, maxLength: 10 }), fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 4 }), (order, sizes) => {
        const bytes = encode(order.map((i) => fragments[i]!).join(''));
        expect(describeItems(read(split(bytes, sizes)).items)).toEqual(describeItems(read([bytes]).items));
      }),
      { numRuns: 200 },
    );
  });

  it('DER, base64 and a PKCS#7 DER bundle read the same in pieces as whole', async () => {
    await certs();
    for (const bytes of [root.der, encode(Buffer.from(inter.der).toString('base64')), makePkcs7([root.der, inter.der, device.der]).der]) {
      const whole = describeItems(read([bytes]).items);
      expect(whole.length).toBeGreaterThan(0);
      expect(describeItems(read(split(bytes, [1, 7, 100])).items)).toEqual(whole);
    }
  });

  it('at most maxProblems problems one by one, then one summary naming the first one skipped; certificates keep coming', async () => {
    await certs();
    const bad = (i: number): string => `-----BEGIN CERTIFICATE-----\nAA${i % 10}!\n-----END CERTIFICATE-----\n`;
    const parts: string[] = [];
    for (let i = 0; i < 30; i++) parts.push(i === 25 ? root.pem : bad(i));
    const text = parts.join('');
    const { items } = read(split(encode(text), [100]), { limits: { maxProblems: 10 } });
    const problems = items.filter((i) => i.kind === 'problem');
    expect(problems).toHaveLength(11);
    expect(items.filter((i) => i.kind === 'block').map((i) => i.location.index)).toEqual([25]);
    const summary = problems[10]!;
    expect(summary).toMatchObject({ code: 'ERR_LIMIT_EXCEEDED', location: { source: 'in.pem', index: 10, line: 31 } });
    expect(summary.kind === 'problem' && summary.reason).toContain('received 29; the other 19 were skipped');
    // Read whole (readCertificates, lint), every problem is reported.
    expect(read([encode(text)], { whole: true, limits: { maxProblems: 10 } }).items.filter((i) => i.kind === 'problem')).toHaveLength(29);
  });

  it('binary data is refused at its first piece: done, one problem, the rest never read', () => {
    const { items, done } = read([new Uint8Array(5000).fill(1), new Uint8Array(5000).fill(2)]);
    expect(done).toEqual([true, true]);
    expect(describeItems(items)).toEqual([['problem', 'ERR_NOT_A_CERTIFICATE', 'input: expected PEM, DER or base64, received binary data that is not DER', { source: 'in.pem' }]]);
  });

  it('a DER value announcing more than maxInputBytes is refused at its first piece', () => {
    const header = new Uint8Array([0x30, 0x84, 0x10, 0x00, 0x00, 0x00, ...new Uint8Array(5000)]);
    const { items, done } = read([header, new Uint8Array(1000)], { limits: { maxInputBytes: 1024 * 1024 } });
    expect(done[0]).toBe(true);
    expect(items).toMatchObject([{ kind: 'problem', code: 'ERR_INPUT_TOO_LARGE' }]);
  });

  it('text with no BEGIN line past maxInputBytes is refused as soon as it passes it', () => {
    const { items, done } = read(split(encode('A'.repeat(20_000)), [4000]), { limits: { maxInputBytes: 10_000 } });
    expect(done).toEqual([false, false, true, true, true]);
    expect(items).toMatchObject([{ kind: 'problem', code: 'ERR_INPUT_TOO_LARGE', location: { source: 'in.pem' } }]);
  });

  it('JSON is a payload item when asked for, bounded by maxPayloadBytes; otherwise it is not a certificate', () => {
    const json = encode('  \n{"displayName":"x","certificateAuthorities":[]}');
    expect(describeItems(read(split(json, [1]), { maxPayloadBytes: 1000 }).items)).toEqual([['payload', { source: 'in.pem' }, '  \n{"displayName":"x","certificateAuthorities":[]}']]);
    const big = read(split(encode(`[${'1,'.repeat(3000)}1]`), [1000]), { maxPayloadBytes: 4096 });
    expect(big.items).toMatchObject([{ kind: 'problem', code: 'ERR_INPUT_TOO_LARGE' }]);
    expect(big.done).toEqual([false, false, false, false, true, true, true]);
    expect(read([json]).items).toMatchObject([{ kind: 'problem', code: 'ERR_NOT_A_CERTIFICATE' }]);
  });
});

describe('lintStream', () => {
  const summary = (items: readonly LintItem[]): unknown[] =>
    items.map((i) => [i.type, i.type === 'payload' ? i.kind : i.location, i.type === 'certificate' ? [i.certificate.sha256, i.role, i.isRootAuthority] : null, i.findings.map((f) => [f.code, f.message, f.location?.line ?? null])]);

  it('reports what lint() reports for a whole input, in pieces of any size', async () => {
    await certs();
    const text = FRAGMENTS().join('');
    const whole = await lint(text, { now: NOW, source: 'in.pem' });
    const expected = summary([...whole.certificates, ...whole.inputs].sort((a, b) => (a.location.index ?? -1) - (b.location.index ?? -1)));
    for (const sizes of [[text.length * 4], [1], [17, 1000], [4096]]) {
      const items: LintItem[] = [];
      for await (const item of lintStream(split(encode(text), sizes), { now: NOW, source: 'in.pem' })) items.push(item);
      expect(summary(items)).toEqual(expected);
    }
  });

  it('reads string pieces as text, and checks a JSON payload as Graph would parse it', async () => {
    await certs();
    const strings: LintItem[] = [];
    for await (const item of lintStream([root.pem.slice(0, 100), root.pem.slice(100)], { now: NOW })) strings.push(item);
    expect(strings).toMatchObject([{ type: 'certificate', isRootAuthority: true }]);
    const payload = JSON.stringify({ displayName: 'x', tlsClientAuthParameter: 'tls_client_auth_san_uri', certificateAuthorities: [{ certificate: Buffer.from(root.der).toString('base64'), isRootAuthority: true }] });
    const items: LintItem[] = [];
    for await (const item of lintStream(split(encode(payload), [10]), { now: NOW, source: 'p.json' })) items.push(item);
    expect(items).toMatchObject([{ type: 'payload', kind: 'create', source: 'p.json' }]);
  });

  it('stops reading when the input is refused as a whole', async () => {
    let pulled = 0;
    function* endless(): Generator<Uint8Array> {
      for (;;) {
        pulled++;
        yield new Uint8Array(65536).fill(1);
      }
    }
    const items: LintItem[] = [];
    for await (const item of lintStream(endless(), { now: NOW })) items.push(item);
    expect(pulled).toBe(1);
    expect(items).toMatchObject([{ type: 'input', findings: [{ code: 'INPUT_NOT_A_CERTIFICATE', errorCode: 'ERR_NOT_A_CERTIFICATE' }] }]);
  });

  it('an injected SHA-256 is used for fingerprints', async () => {
    await certs();
    const calls: number[] = [];
    const fake = (data: Uint8Array): Uint8Array => {
      calls.push(data.length);
      return new Uint8Array(32).fill(0xab);
    };
    const [report] = await new Linter({ now: NOW, sha256: fake }).lintItems([{ kind: 'block', der: root.der, format: 'der', location: { index: 0 } }]);
    expect(report!.type === 'certificate' && report!.certificate.sha256).toBe('ab'.repeat(32));
    expect(calls).toEqual([root.der.length]);
  });

  it('LintTally counts certificates, findings by severity, and whether anything was readable', async () => {
    await certs();
    const tally = new LintTally();
    for await (const item of lintStream([encode(`${root.pem}junk`)], { now: NOW })) tally.add(item);
    expect(tally).toMatchObject({ certificates: 1, readable: true });
    const junk = new LintTally();
    for await (const item of lintStream([encode('junk!')], { now: NOW })) junk.add(item);
    expect(junk).toMatchObject({ certificates: 0, errors: 1, readable: false });
  });
});

describe('InputReader: what each decision rests on', () => {
  const problems = (items: readonly ReadItem[]): unknown[] => items.filter((i) => i.kind === 'problem').map((i) => (i.kind === 'problem' ? [i.code, i.reason] : []));

  it('whole: the bytes of every piece count toward maxInputBytes, and the error names the source', async () => {
    await certs();
    const reader = new InputReader({ source: 'two.pem', whole: true, limits: { maxInputBytes: root.pem.length + 10 } });
    reader.push(encode(root.pem), () => {});
    let thrown: unknown;
    try {
      reader.push(encode('x'.repeat(11)), () => {});
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'ERR_INPUT_TOO_LARGE', source: 'two.pem', reason: `input: expected at most ${root.pem.length + 10} bytes, received ${root.pem.length + 11}` });
  });

  it('once refused, the reader is done and later pieces add nothing', () => {
    const { items, done } = read([new Uint8Array(5000), encode('-----BEGIN CERTIFICATE-----\n')]);
    expect(done).toEqual([true, true]);
    expect(problems(items)).toEqual([['ERR_NOT_A_CERTIFICATE', 'input: expected PEM, DER or base64, received binary data that is not DER']]);
  });

  it('empty pieces change nothing, before and after the decision', async () => {
    await certs();
    const bytes = encode(root.pem);
    const whole = describeItems(read([bytes]).items);
    expect(describeItems(read([new Uint8Array(0), bytes.subarray(0, 5), new Uint8Array(0), bytes.subarray(5), new Uint8Array(0)]).items)).toEqual(whole);
  });

  it('a first piece larger than the head may hold: the head part decides, the rest is read as it comes', async () => {
    await certs();
    // The head holds maxInputBytes; the explanatory text and the first block fill it, the second block is past it.
    const text = `${'#'.repeat(4500)}\n${root.pem}${inter.pem}`;
    const bytes = encode(text);
    const limits = { maxInputBytes: 5000 };
    expect(bytes.length).toBeGreaterThan(limits.maxInputBytes);
    const items = read([bytes], { limits }).items;
    expect(items.map((i) => i.kind)).toEqual(['block', 'block']);
    expect(items.map((i) => (i.kind === 'block' ? i.location.line : 0))).toEqual([2, 2 + root.pem.split('\n').length - 1]);
    // Whole, the same input is refused for its size.
    expect(() => read([bytes], { limits, whole: true })).toThrow(/expected at most 5000 bytes/);
  });

  it('a DER header that declares more than maxInputBytes is refused at once, naming the size', () => {
    const FILL = new Array<number>(4200).fill(0x02);
    const header = Uint8Array.of(0x30, 0x84, 0x00, 0x10, 0x00, 0x00, ...FILL);
    const { items, done } = read([header], { limits: { maxInputBytes: 8192 } });
    expect(done).toEqual([true]);
    expect(problems(items)).toEqual([['ERR_INPUT_TOO_LARGE', `input: expected at most 8192 bytes, received a DER value of ${6 + 0x100000}`]]);
    // Short and long forms at the limit are read on; an indefinite length is left to the DER reader.
    for (const h of [Uint8Array.of(0x30, 0x7f), Uint8Array.of(0x30, 0x82, 0x0f, 0xfc), Uint8Array.of(0x30, 0x80)]) {
      const r = read([Uint8Array.from([...h, ...FILL])], { limits: { maxInputBytes: 8192 } });
      expect(r.done).toEqual([false]);
    }
    // A header whose length bytes have not all arrived yet, or that has more than six of them, is not judged.
    expect(read([Uint8Array.of(0x30, 0x87, 1, 1, 1, 1, 1, 1, 1, ...FILL)], { limits: { maxInputBytes: 8192 } }).done).toEqual([false]);
  });

  it('text is probed only once enough of it is here; a short final input is decided at its end', async () => {
    await certs();
    const short = read([encode('AAAA')]);
    expect(short.done).toEqual([false]);
    expect(describeItems(short.items)).toEqual([['block', 'base64', { source: 'in.pem', index: 0 }, '000000']]);
    const oneByOne = read(Array.from(encode(root.pem), (b) => Uint8Array.of(b)));
    expect(oneByOne.items.map((i) => i.kind)).toEqual(['block']);
  });

  it('bare base64 with a foreign character names its line and column, and the line as the place', () => {
    const { items } = read([encode('QUJD\nREVG\nR0*I\n')]);
    const p = items.find((i) => i.kind === 'problem');
    expect(p).toMatchObject({ code: 'ERR_NOT_A_CERTIFICATE', reason: 'input: expected PEM, DER or base64, received text that is none of these (first character outside base64 at line 3, column 3)', at: { source: 'in.pem', line: 3 } });
    const first = read([encode('*QUJD')]).items.find((i) => i.kind === 'problem');
    expect(first).toMatchObject({ reason: expect.stringContaining('at line 1, column 1)') });
    // Base64 that is not a multiple of four characters is refused by the decoder, not read short.
    const odd = read([encode('QUJDRA')]).items.find((i) => i.kind === 'problem');
    expect(odd).toMatchObject({ code: 'ERR_BASE64_INVALID' });
  });

  it('payloads: told by the first byte after whitespace, bounded by maxPayloadBytes in any piece', () => {
    const json = encode('  \n{"displayName":"x"}');
    const asked = read([json.subarray(0, 3), json.subarray(3)], { maxPayloadBytes: 100 });
    expect(describeItems(asked.items)).toEqual([['payload', { source: 'in.pem' }, '  \n{"displayName":"x"}']]);
    const big = read([json.subarray(0, 10), json.subarray(10)], { maxPayloadBytes: json.length - 1 });
    expect(problems(big.items)).toEqual([['ERR_INPUT_TOO_LARGE', `payload: expected at most ${json.length - 1} bytes, received more`]]);
    const bigAtOnce = read([json], { maxPayloadBytes: json.length - 1 });
    expect(problems(bigAtOnce.items)).toEqual([['ERR_INPUT_TOO_LARGE', `payload: expected at most ${json.length - 1} bytes, received more`]]);
    expect(describeItems(read([json], { maxPayloadBytes: json.length }).items)).toEqual([['payload', { source: 'in.pem' }, '  \n{"displayName":"x"}']]);
  });
});

describe('InputReader: limits, labels and places', () => {
  const problems = (items: readonly ReadItem[]): unknown[] => items.flatMap((i) => (i.kind === 'problem' ? [[i.code, i.reason]] : []));
  const pemOf = (label: string): string => `-----BEGIN ${label}-----\nMIIB\n-----END ${label}-----\n`;

  it('whole: pieces after a refusal are ignored, not counted toward the size', () => {
    const reader = new InputReader({ source: 'bin', whole: true, limits: { maxInputBytes: 6000 } });
    const items: ReadItem[] = [];
    reader.push(new Uint8Array(5000), (i) => items.push(i));
    expect(reader.done).toBe(true);
    expect(() => reader.push(new Uint8Array(2000), (i) => items.push(i))).not.toThrow();
    expect(problems(items)).toHaveLength(1);
  });

  it('streamed: a binary first piece past the head is one problem, not two', () => {
    const { items } = read([new Uint8Array(10_000).fill(1)], { limits: { maxInputBytes: 5000 } });
    expect(problems(items)).toEqual([['ERR_NOT_A_CERTIFICATE', 'input: expected PEM, DER or base64, received binary data that is not DER']]);
  });

  it('streamed: the head room left after a small first piece is what a large second piece fills', async () => {
    await certs();
    const bytes = encode(`${'#'.repeat(4500)}\n${root.pem}${inter.pem}`);
    const items = read([bytes.subarray(0, 100), bytes.subarray(100)], { limits: { maxInputBytes: 5000 } }).items;
    expect(items.map((i) => i.kind)).toEqual(['block', 'block']);
  });

  it('streamed: a PEM block longer than maxInputBytes is a problem, and the next block is read', async () => {
    await certs();
    const long = `-----BEGIN CERTIFICATE-----\n${'QUFB\n'.repeat(1400)}-----END CERTIFICATE-----\n`;
    const items = read([encode(`${'#'.repeat(4200)}\n${long}${root.pem}`)], { limits: { maxInputBytes: 5000 } }).items;
    expect(items.map((i) => (i.kind === 'problem' ? i.code : i.kind))).toEqual(['ERR_LIMIT_EXCEEDED', 'block']);
  });

  it('a DER header read at the end: a short-form length over the limit, six length bytes, each judged', () => {
    const short = read([Uint8Array.from([0x30, 0x7f, ...new Array<number>(50).fill(2)])], { limits: { maxInputBytes: 100 } });
    expect(problems(short.items)).toEqual([['ERR_INPUT_TOO_LARGE', 'input: expected at most 100 bytes, received a DER value of 129']]);
    const six = read([Uint8Array.from([0x30, 0x86, 0, 0, 0, 0x10, 0, 0, ...new Array<number>(50).fill(2)])], { limits: { maxInputBytes: 100 } });
    expect(problems(six.items)).toEqual([['ERR_INPUT_TOO_LARGE', `input: expected at most 100 bytes, received a DER value of ${8 + 0x100000}`]]);
  });

  it('bare base64: the first foreign character is the one named; a problem without a line has no place but the source', () => {
    const two = read([encode('*QU*D')]).items.find((i) => i.kind === 'problem');
    expect(two).toMatchObject({ reason: expect.stringContaining('at line 1, column 1)') });
    const padding = read([encode('QUJDRA')]).items.find((i) => i.kind === 'problem');
    expect(padding?.kind === 'problem' && 'at' in padding).toBe(false);
  });

  it('a PKCS#7 bundle that cannot be read, or holds no certificate, takes one index', async () => {
    await certs();
    const bad = `-----BEGIN PKCS7-----\n${Buffer.from(Uint8Array.of(0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02, 0xa0, 0x00)).toString('base64')}\n-----END PKCS7-----\n`;
    const items = read([encode(`${bad}${root.pem}`)]).items;
    expect(items.map((i) => [i.kind, i.location.index])).toEqual([['problem', 0], ['block', 1]]);
    const empty = makePkcs7([]);
    const after = read([encode(`${toPem(empty.der, 'PKCS7')}${root.pem}`)]).items;
    expect(after.map((i) => [i.kind === 'problem' ? i.code : i.kind, i.location.index])).toEqual([['ERR_NOT_A_CERTIFICATE', 0], ['block', 1]]);
  });

  it.each([
    ['TRUSTED CERTIFICATE', 'ERR_TRUSTED_CERTIFICATE', "an OpenSSL 'TRUSTED CERTIFICATE' (a certificate with trust settings appended); export the plain certificate with 'openssl x509 -in FILE -out plain.pem'"],
    ['CERTIFICATE REQUEST', 'ERR_CSR', 'a certificate signing request (PKCS#10 CSR), not a certificate'],
    ['NEW CERTIFICATE REQUEST', 'ERR_CSR', 'a certificate signing request (PKCS#10 CSR), not a certificate'],
    ['X509 CRL', 'ERR_CRL', 'a certificate revocation list (CRL), not a certificate'],
    ['PUBLIC KEY', 'ERR_PUBLIC_KEY', 'a bare public key, not a certificate'],
    ['RSA PUBLIC KEY', 'ERR_PUBLIC_KEY', 'a bare RSA public key, not a certificate'],
  ])('a %s block is %s, said as what it is', (label, code, what) => {
    expect(problems(read([encode(pemOf(label))]).items)).toEqual([[code, `PEM block '${label}' is ${what}`]]);
  });

  it('text given as a string is never judged binary by its bytes', async () => {
    await certs();
    const text = `${'\u0001'.repeat(100)}\n${root.pem}`;
    expect(read([encode(text)]).items.map((i) => i.kind)).toEqual(['problem']);
    expect(read([encode(text)], { text: true }).items.map((i) => i.kind)).toEqual(['block']);
  });

  it('cut(): blocks after it share no buffer with blocks before it; a reader with no PEM yet may be cut', async () => {
    await certs();
    expect(() => new InputReader().cut()).not.toThrow();
    const text = encode(`${'#'.repeat(4200)}\n${root.pem}${inter.pem}${device.pem}`);
    const buffersOf = (cutAfterFirst: boolean): (ArrayBufferLike | undefined)[] => {
      const reader = new InputReader();
      const items: ReadItem[] = [];
      const emit = (i: ReadItem): void => {
        items.push(i);
        if (cutAfterFirst && items.length === 1) reader.cut();
      };
      reader.push(text, emit);
      reader.end(emit);
      return items.map((i) => (i.kind === 'block' ? i.der.buffer : undefined));
    };
    const shared = buffersOf(false);
    expect(new Set(shared).size).toBe(1);
    const cut = buffersOf(true);
    expect(cut[1]).not.toBe(cut[0]);
    expect(cut[2]).toBe(cut[1]);
  });

  it('a BEGIN line that starts no block: ERR_PEM_NO_BLOCKS at the source', () => {
    const { items } = read([encode(`${'x'.repeat(4200)}\nsee -----BEGIN CERTIFICATE----- below\n`)]);
    expect(items.filter((i) => i.kind === 'problem').map((i) => [i.kind === 'problem' && i.code, i.location])).toEqual([['ERR_PEM_NO_BLOCKS', { source: 'in.pem' }]]);
  });

  it('payloads: exactly maxPayloadBytes across pieces is read; a payload may be larger than maxInputBytes', () => {
    const json = encode(`{"displayName":"${'y'.repeat(200)}"}`);
    const exact = read([json.subarray(0, 50), json.subarray(50)], { maxPayloadBytes: json.length });
    expect(exact.items.map((i) => i.kind)).toEqual(['payload']);
    const big = read([json.subarray(0, 50), json.subarray(50)], { maxPayloadBytes: json.length, limits: { maxInputBytes: 100 } });
    expect(big.items.map((i) => i.kind)).toEqual(['payload']);
  });
});
