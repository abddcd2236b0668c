// The benchmark corpus: certificates generated in-process by the test fixture generator
// (test/fixtures/certificates.ts makeCorpus: roots, intermediates and device certificates
// over a small pool of RSA 2048/3072/4096, P-256/P-384/P-521, Ed25519 and a few rarer keys,
// every DN string type and SAN type, signed with node:crypto). Nothing is downloaded.
//
// Generation is split over worker threads (one per core, each its own seed) and the result
// is cached as one PEM bundle in bench/.corpus/ (not committed), so only the first run pays.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { makeCorpus, pemBundle } from '../test/fixtures/certificates.ts';

/** Bump when this file changes what it writes, so stale caches are not reused. */
const CORPUS_VERSION = 1;

/** The generator's sources, hashed into the cache file name: a changed generator regenerates. */
function generatorHash(benchDir: string): string {
  const h = createHash('sha256');
  for (const f of ['certificates.ts', 'der-builder.ts']) {
    const path = join(benchDir, '..', 'test', 'fixtures', f);
    h.update(existsSync(path) ? readFileSync(path) : f);
  }
  return h.digest('hex').slice(0, 10);
}

export interface Corpus {
  /** DER of every certificate, in bundle order. */
  readonly ders: readonly Uint8Array[];
  /** The same certificates as one PEM bundle (RFC 7468, LF, 64-character lines). */
  readonly bundle: string;
  readonly derBytes: number;
  /** Bytes of the bundle text (ASCII, so characters = bytes). */
  readonly pemBytes: number;
  /** Where the cached bundle lives. */
  readonly path: string;
  /** Seconds spent generating (0 when read from the cache). */
  readonly generatedSeconds: number;
}

interface PartRequest {
  readonly corpusPart: { readonly count: number; readonly seed: number };
}

/** Seeds of the parts: part p of seed s uses s * 1000 + p, so the shape depends only on (count, seed, parts). */
function partSeeds(count: number, seed: number): { count: number; seed: number }[] {
  // Small corpora are made in one part: a part needs a few dozen items to cover every feature.
  const parts = count < 2000 ? 1 : Math.min(4, Math.max(1, availableParallelism()));
  const out: { count: number; seed: number }[] = [];
  for (let p = 0; p < parts; p++) {
    out.push({ count: Math.floor(count / parts) + (p < count % parts ? 1 : 0), seed: seed * 1000 + p });
  }
  return out;
}

async function generatePart(count: number, seed: number): Promise<string> {
  const certs = await makeCorpus(count, seed);
  return pemBundle(certs);
}

function generateInWorker(entry: URL, count: number, seed: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // --no-warnings: the fixture imports Ed448 WebCrypto keys, which Node 20 flags as experimental.
    const worker = new Worker(entry, { workerData: { corpusPart: { count, seed } } satisfies PartRequest, execArgv: ['--no-warnings'] });
    worker.once('message', (m: string) => resolve(m));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`corpus worker exited with code ${code}`));
    });
  });
}

/**
 * Call at the top of the entry module: when this thread is a corpus worker, generates its part,
 * posts it and returns true (the caller then does nothing else).
 */
export async function runCorpusWorker(): Promise<boolean> {
  if (isMainThread) return false;
  const req = workerData as PartRequest | undefined;
  if (req?.corpusPart === undefined) return false;
  parentPort!.postMessage(await generatePart(req.corpusPart.count, req.corpusPart.seed));
  return true;
}

/** Splits a PEM bundle into DERs with Buffer (not our reader, so the corpus does not depend on it). */
export function splitBundle(bundle: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  const re = /-----BEGIN CERTIFICATE-----\r?\n([A-Za-z0-9+/=\r\n]+?)-----END CERTIFICATE-----/g;
  for (let m = re.exec(bundle); m !== null; m = re.exec(bundle)) {
    const b = Buffer.from(m[1]!, 'base64');
    out.push(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  }
  return out;
}

/**
 * The corpus of `count` certificates for `seed`: read from `cacheDir` when cached, else
 * generated (in worker threads started from `entry`, the bundled script) and cached.
 */
export async function loadCorpus(options: { count: number; seed: number; cacheDir: string; entry: URL; log?: (s: string) => void }): Promise<Corpus> {
  const { count, seed, cacheDir, entry } = options;
  const path = join(cacheDir, `corpus-v${CORPUS_VERSION}-${generatorHash(dirname(cacheDir))}-n${count}-s${seed}.pem`);
  let bundle: string;
  let generatedSeconds = 0;
  if (existsSync(path)) {
    bundle = readFileSync(path, 'latin1');
  } else {
    const parts = partSeeds(count, seed);
    options.log?.(`generating ${count} certificates in ${parts.length} worker thread(s) (cached afterwards in ${path}) ...`);
    const t0 = performance.now();
    const texts = await Promise.all(parts.map((p) => (parts.length === 1 ? generatePart(p.count, p.seed) : generateInWorker(entry, p.count, p.seed))));
    bundle = texts.join('');
    generatedSeconds = (performance.now() - t0) / 1000;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(`${path}.tmp`, bundle, 'latin1');
    renameSync(`${path}.tmp`, path);
  }
  const ders = splitBundle(bundle);
  if (ders.length !== count) throw new Error(`corpus ${path}: expected ${count} certificates, found ${ders.length}; delete the file to regenerate`);
  let derBytes = 0;
  for (const d of ders) derBytes += d.length;
  return { ders, bundle, derBytes, pemBytes: bundle.length, path, generatedSeconds };
}

/** The PEM bundle text of a subset of the corpus (same encoding as the full bundle). */
export function bundleOf(ders: readonly Uint8Array[]): string {
  return pemBundle(ders);
}
