// Child processes, one per measurement, so each peak is its own: the memory of holding a
// bundle's certificates (or lint report), the streaming path on a multiple of the corpus, and
// lint() on the whole text. The child is this same bundle run with --child.

import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { lint, lintStream } from '../packages/core/src/index.ts';
import { NOW, library } from './libraries.ts';
import { gc, keep } from './timing.ts';

const ENTRY = new URL(import.meta.url);

export interface MemoryReport {
  readonly certs: number;
  readonly seconds: number;
  readonly heapHeldMB: number;
  readonly heapPeakMB: number;
  readonly externalMB: number;
  readonly rssPeakMB: number;
}

export const MB = 1024 * 1024;

/**
 * Peak resident set size, sampled every 2 ms from a worker thread (the main thread is busy in
 * one synchronous call); resettable, unlike getrusage's high-water mark, so what the child did
 * before (reading its input) does not hide the run's own peak.
 */
async function startRssSampler(): Promise<{ reset(): void; peak(): number; stop(): Promise<number> }> {
  const shared = new Float64Array(new SharedArrayBuffer(8));
  const code = `const { workerData } = require('node:worker_threads');
const a = new Float64Array(workerData);
setInterval(() => { const r = process.memoryUsage.rss(); if (r > a[0]) a[0] = r; }, 2);`;
  const worker = new Worker(code, { eval: true, workerData: shared.buffer });
  await new Promise((resolve) => worker.once('online', resolve));
  const peak = (): number => Math.max(shared[0]!, process.memoryUsage.rss());
  return {
    reset: () => {
      shared[0] = process.memoryUsage.rss();
    },
    peak,
    stop: async () => {
      const p = peak();
      await worker.terminate();
      return p;
    },
  };
}

/** In a child: hold every certificate of the bundle file at `path` (or its lint report). */
async function childHold(libId: string, scenario: 'bundle' | 'lint', path: string): Promise<MemoryReport> {
  const lib = library(libId);
  const text = readFileSync(path, 'latin1');
  const rss = await startRssSampler();
  gc();
  gc();
  const base = process.memoryUsage();
  rss.reset();
  const t0 = performance.now();
  const held = scenario === 'lint' ? await lint(text, { now: NOW, role: 'auto' }) : lib.bundle(text);
  const seconds = (performance.now() - t0) / 1000;
  gc();
  const after = process.memoryUsage();
  const certs = Array.isArray(held) ? held.length : held.certificates.length;
  keep(certs);
  const peakRss = await rss.stop();
  return {
    certs,
    seconds,
    heapHeldMB: (after.heapUsed - base.heapUsed) / MB,
    heapPeakMB: Number.NaN,
    externalMB: (after.external + after.arrayBuffers - base.external - base.arrayBuffers) / MB,
    rssPeakMB: (peakRss - base.rss) / MB,
  };
}

/**
 * In a child: the core's streaming API (lintStream) on `times` x the corpus, read in 256 KiB
 * pieces as from a file or stdin; reports are reduced to counts as they come, so nothing grows
 * with the input. Every 4 MiB the live heap is sampled after a full GC (GC time is not counted
 * in the rate).
 */
async function childStream(path: string, times: number): Promise<MemoryReport & { findings: number }> {
  const corpus = new Uint8Array(readFileSync(path));
  const CHUNK = 256 * 1024;
  const SAMPLE_EVERY = 16;
  const rss = await startRssSampler();
  gc();
  gc();
  const base = process.memoryUsage();
  rss.reset();
  let peakLive = base.heapUsed;
  let certs = 0;
  let findings = 0;
  let gcMs = 0;
  async function* input(): AsyncGenerator<Uint8Array> {
    let chunks = 0;
    for (let r = 0; r < times; r++) {
      for (let at = 0; at < corpus.length; at += CHUNK) {
        yield corpus.subarray(at, at + CHUNK);
        if (++chunks % SAMPLE_EVERY === 0) {
          const g0 = performance.now();
          gc();
          const h = process.memoryUsage().heapUsed;
          if (h > peakLive) peakLive = h;
          gcMs += performance.now() - g0;
        }
      }
    }
  }
  const t0 = performance.now();
  for await (const report of lintStream(input(), { now: NOW, role: 'auto' })) {
    if (report.type === 'certificate') certs++;
    findings += report.findings.length;
  }
  const seconds = (performance.now() - t0 - gcMs) / 1000;
  const peakRss = await rss.stop();
  return {
    certs,
    findings,
    seconds,
    heapHeldMB: Number.NaN,
    heapPeakMB: (peakLive - base.heapUsed) / MB,
    externalMB: Number.NaN,
    rssPeakMB: (peakRss - base.rss) / MB,
  };
}

/** In a child: lint(text) on the whole `times` x corpus text at once (what the one-call API holds). */
async function childWhole(path: string, times: number): Promise<MemoryReport & { findings: number }> {
  const text = readFileSync(path, 'latin1').repeat(times);
  const rss = await startRssSampler();
  gc();
  gc();
  const base = process.memoryUsage();
  rss.reset();
  const t0 = performance.now();
  const report = await lint(text, { now: NOW, role: 'auto', limits: { maxInputBytes: 1024 * MB, maxCertificates: 10_000_000 } });
  const seconds = (performance.now() - t0) / 1000;
  gc();
  const peak = process.memoryUsage().heapUsed;
  let findings = 0;
  for (const c of report.certificates) findings += c.findings.length;
  const peakRss = await rss.stop();
  return {
    certs: report.certificates.length,
    findings,
    seconds,
    heapHeldMB: (peak - base.heapUsed) / MB,
    heapPeakMB: (peak - base.heapUsed) / MB,
    externalMB: Number.NaN,
    rssPeakMB: (peakRss - base.rss) / MB,
  };
}

export function runChild<T>(args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(ENTRY), ['--child', ...args], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: T | undefined;
    child.on('message', (m) => {
      result = m as T;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && result !== undefined) resolve(result);
      else reject(new Error(`child ${args.join(' ')} exited with code ${code}`));
    });
  });
}

export async function childMain(args: string[]): Promise<void> {
  const [kind, ...rest] = args;
  let result: unknown;
  if (kind === 'hold') result = await childHold(rest[0]!, rest[1] as 'bundle' | 'lint', rest[2]!);
  else if (kind === 'stream') result = await childStream(rest[0]!, Number(rest[1]));
  else if (kind === 'whole') result = await childWhole(rest[0]!, Number(rest[1]));
  else throw new Error(`unknown child kind ${kind}`);
  process.send!(result, () => process.exit(0));
}
