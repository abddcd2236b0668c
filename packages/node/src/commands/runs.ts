// What lint and verify share for runs over many inputs: --jobs, the progress line on a TTY, and
// --stats.

import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Progress } from '../pipeline/run.ts';
import { UsageError } from './context.ts';

/** `--jobs`: a whole number of threads, at least 1; default every core. */
export function parseJobs(value: string | undefined): number {
  if (value === undefined) return availableParallelism();
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`--jobs: expected a whole number of threads (1 or more), received '${value}'`);
  return n;
}

/** The progress line on a TTY: files done of all, certificates (or devices), per second. */
export function progressLine(stderr: NodeJS.WritableStream, started: number, unit: Unit = CERTIFICATES): { update: (p: Progress) => void; end: () => void } {
  let shown = false;
  let last = 0;
  let latest: Progress | undefined;
  const draw = (p: Progress): void => {
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(p.certificates / seconds) : 0;
    stderr.write(`\rgraph-mtls: ${p.filesDone}/${p.filesTotal} files, ${p.certificates} ${unit.noun}, ${rate} ${unit.rate}\x1b[K`);
    shown = true;
  };
  return {
    update(p) {
      // Many files or a large bundle only; at most ten redraws a second, and always the last.
      if (p.filesTotal <= 20 && !p.streaming) return;
      latest = p;
      const now = performance.now();
      if (p.filesDone === p.filesTotal || now - last >= 100) {
        last = now;
        draw(p);
      }
    },
    end() {
      if (latest !== undefined && !shown) draw(latest);
      if (shown) stderr.write('\r\x1b[K');
    },
  };
}

/**
 * The process's peak resident set in KiB, worker threads included: Linux's VmHWM, which is this
 * process's own (getrusage's maxrss also counts the memory its parent had when it started it);
 * getrusage elsewhere.
 */
function peakRssKiB(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm !== null) return Number(hwm[1]);
  } catch {
    // Not Linux.
  }
  return process.resourceUsage().maxRSS;
}

/** What a run counts: certificates (lint) or devices (verify). */
export interface Unit {
  readonly noun: string;
  readonly rate: string;
}

const CERTIFICATES: Unit = { noun: 'certificates', rate: 'certs/s' };

export interface RunStats {
  readonly files: number;
  /** Certificates, or devices: what `unit` names. */
  readonly certificates: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly threads: number;
}

/** `--stats`: one measure a line, on stderr. MB are 10^6 bytes. */
export function renderStats(s: RunStats, unit: Unit = CERTIFICATES): string {
  const perSecond = (n: number): number => (s.seconds > 0 ? n / s.seconds : 0);
  const rows: [string, string][] = [
    ['files', String(s.files)],
    [unit.noun, String(s.certificates)],
    ['bytes', String(s.bytes)],
    ['wall time', `${s.seconds.toFixed(3)} s`],
    [unit.rate, perSecond(s.certificates).toFixed(0)],
    ['MB/s', (perSecond(s.bytes) / 1e6).toFixed(2)],
    ['jobs', s.threads === 1 ? '1 (in-process)' : `${s.threads} (worker threads)`],
    ['peak RSS', `${(peakRssKiB() / 1024).toFixed(1)} MiB`],
  ];
  return `graph-mtls stats:\n${rows.map(([k, v]) => `  ${k.padEnd(13)} ${v}\n`).join('')}`;
}
