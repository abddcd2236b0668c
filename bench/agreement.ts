// Agreement: does every library report the same subject attributes and SAN values as ours?
// Per certificate: the subject as type=value in encoded order (members of a multi-valued RDN
// compared as a set, since SET OF has no order and some libraries group or flatten them),
// the dNSName, rfc822Name, URI and iPAddress values as sets (IP addresses compared as bytes),
// plus basicConstraints cA and notAfter. A library that throws on a certificate is counted
// as "failed" with its message; nothing is fixed up: a known limitation shows as mismatches.

import type { Library, View } from './libraries.ts';

export interface AgreementResult {
  readonly library: Library;
  readonly checked: number;
  /** Indices (into the corpus) the library parsed. */
  readonly parsed: readonly number[];
  readonly failed: number;
  /** Error message to count. */
  readonly failures: ReadonlyMap<string, number>;
  /** Field to count of certificates that differ there. */
  readonly mismatches: ReadonlyMap<string, number>;
  /** Certificates with any difference. */
  readonly certificatesDiffering: number;
  /** First examples: "#index field: ours=… theirs=…". */
  readonly examples: readonly string[];
}

const FIELDS = ['subject', 'dns', 'email', 'uri', 'ip', 'ca', 'notAfter'] as const;
type Field = (typeof FIELDS)[number];

function subjectKey(view: View, chunks: readonly number[]): string {
  const flat = view.subject.flat();
  // Regroup by our RDN sizes and sort inside each RDN, so grouping and flattening do not count.
  const out: string[] = [];
  let at = 0;
  for (const size of chunks) {
    out.push(flat.slice(at, at + size).sort().join(' + '));
    at += size;
  }
  if (at < flat.length) out.push(flat.slice(at).join(' + '));
  return out.join(' | ');
}

function setKey(values: readonly string[]): string {
  return JSON.stringify([...values].sort());
}

function fieldKey(view: View, field: Field, chunks: readonly number[]): string {
  switch (field) {
    case 'subject':
      return subjectKey(view, chunks);
    case 'ca':
      return String(view.ca);
    case 'notAfter':
      return Number.isFinite(view.notAfter) ? new Date(view.notAfter).toISOString() : String(view.notAfter);
    default:
      return setKey(view[field]);
  }
}

function short(s: string, n = 160): string {
  const j = JSON.stringify(s);
  return j.length > n ? `${j.slice(0, n)}…"` : j;
}

/** Compares `lib` with `reference` (ours) on the certificates at `indices`. */
export function checkAgreement(lib: Library, reference: readonly View[], ders: readonly Uint8Array[], indices: readonly number[], maxExamples = 4): AgreementResult {
  const failures = new Map<string, number>();
  const mismatches = new Map<string, number>();
  const examples: string[] = [];
  const parsed: number[] = [];
  let differing = 0;
  for (const i of indices) {
    let view: View;
    try {
      view = lib.view(ders[i]!);
    } catch (error) {
      const msg = String((error as Error)?.message ?? error).split('\n')[0]!.slice(0, 90);
      failures.set(msg, (failures.get(msg) ?? 0) + 1);
      continue;
    }
    parsed.push(i);
    const ours = reference[i]!;
    const chunks = ours.subject.map((r) => r.length);
    let differs = false;
    for (const f of FIELDS) {
      const a = fieldKey(ours, f, chunks);
      const b = fieldKey(view, f, chunks);
      if (a === b) continue;
      differs = true;
      mismatches.set(f, (mismatches.get(f) ?? 0) + 1);
      if (examples.length < maxExamples && !examples.some((e) => e.includes(` ${f}: `))) {
        examples.push(`#${i} ${f}: ours=${short(a)} theirs=${short(b)}`);
      }
    }
    if (differs) differing++;
  }
  return {
    library: lib,
    checked: indices.length,
    parsed,
    failed: indices.length - parsed.length,
    failures,
    mismatches,
    certificatesDiffering: differing,
    examples,
  };
}
