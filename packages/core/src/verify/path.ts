// Path building (RFC 4158) from a device certificate up to a trust anchor: at each step the
// candidates are the certificates whose subject is the current certificate's issuer name,
// ranked so the likeliest path comes first (the authorityKeyIdentifier names the candidate's
// key, an anchor ends the path, the candidate is valid now, the newest first, then by SHA-256
// so the order never depends on input order). A certificate appears at most once per path, so
// loops end; the search is bounded in path length and in steps, so a hostile configuration
// cannot make it exponential. The pool is made once for a configuration and what the devices
// present, and remembers which candidates each issuer name selects: a fleet's devices name a
// few issuers, so the names are compared once per issuer, not once per device.

import { bytesEqual } from '../encoding/hex.ts';
import { sameName } from '../checks/authority.ts';
import type { InputLocation } from '../errors.ts';
import type { Certificate } from '../x509/certificate.ts';
import type { Name } from '../x509/name/types.ts';

/** A certificate a path may use: from the configuration (an anchor or a member) or presented by the device. */
export interface PathCandidate {
  readonly certificate: Certificate;
  readonly anchor: boolean;
  readonly origin: 'configuration' | 'presented';
  readonly location?: InputLocation;
}

/** The certificates paths may use, each once, and the candidates each issuer name selects (kept). */
export class CandidatePool {
  readonly candidates: readonly PathCandidate[];
  /**
   * By issuer Name: the candidates whose subject is that name. Issuer names are interned by the
   * certificate reader, so a CA's devices share one Name object; kept weakly, so a stream of
   * distinct names holds no memory.
   */
  readonly #byIssuer = new WeakMap<Name, readonly PathCandidate[]>();

  constructor(candidates: readonly PathCandidate[]) {
    this.candidates = candidates;
  }

  /** The candidates whose subject is the issuer `cert` names (RFC 5280 §7.1 name matching). */
  issuersOf(cert: Certificate): readonly PathCandidate[] {
    let found = this.#byIssuer.get(cert.issuer);
    if (found === undefined) {
      found = this.candidates.filter((c) => namesIssuer(cert, c.certificate));
      this.#byIssuer.set(cert.issuer, found);
    }
    return found;
  }
}

/** Bounds of the search: certificates per path (device and anchor included), and steps in all. */
export interface PathLimits {
  readonly maxLength: number;
  readonly maxSteps: number;
}

export const DEFAULT_PATH_LIMITS: PathLimits = Object.freeze({ maxLength: 8, maxSteps: 256 });

/** The paths from `device` to an anchor, likeliest first; `limited` is set when a bound stopped the search. */
export interface PathSearch {
  readonly paths: (readonly PathCandidate[])[];
  readonly limited: boolean;
}

/**
 * Every path from `device` up to an anchor among `pool`, in rank order (device first, anchor
 * last; the device itself is not in the returned lists). Stops at the bounds of `limits`.
 */
export function buildPaths(device: Certificate, pool: CandidatePool, now: number, limits: PathLimits = DEFAULT_PATH_LIMITS): PathSearch {
  const paths: PathCandidate[][] = [];
  let steps = 0;
  let limited = false;
  const ranked = new Map<Certificate, readonly PathCandidate[]>();
  const issuersOf = (cert: Certificate): readonly PathCandidate[] => {
    let found = ranked.get(cert);
    if (found === undefined) {
      const candidates = pool.issuersOf(cert);
      found = candidates.length < 2 ? candidates : rank(cert, [...candidates], now);
      ranked.set(cert, found);
    }
    return found;
  };
  const walk = (cert: Certificate, path: PathCandidate[]): void => {
    for (const candidate of issuersOf(cert)) {
      if (limited) return;
      if (++steps > limits.maxSteps) {
        limited = true;
        return;
      }
      // The pool holds each certificate once, so identity finds a loop; the device is compared by its bytes.
      if (bytesEqual(candidate.certificate.der, device.der) || path.includes(candidate)) continue;
      const next = [...path, candidate];
      if (candidate.anchor) paths.push(next);
      // An anchor ends a path; the device counts as one certificate of the length.
      else if (next.length + 1 < limits.maxLength) walk(candidate.certificate, next);
      else limited = true;
    }
  };
  walk(device, []);
  return { paths, limited };
}

/** `issuer`'s subject is the name `cert` names as its issuer. */
export function namesIssuer(cert: Certificate, issuer: Certificate): boolean {
  return sameName(cert.issuer, issuer.subject);
}

/** How the authorityKeyIdentifier of `cert` relates to `issuer`'s key: 0 names it, 1 cannot tell, 2 names another key. */
function keyMatch(cert: Certificate, issuer: Certificate): number {
  let aki: Uint8Array | undefined;
  let ski: Uint8Array | undefined;
  try {
    aki = cert.authorityKeyIdentifier?.keyIdentifier;
    ski = issuer.subjectKeyIdentifier;
  } catch {
    return 1; // A malformed identifier is reported by the checks; it ranks as unknown.
  }
  if (aki === undefined || ski === undefined) return 1;
  return bytesEqual(aki, ski) ? 0 : 2;
}

function rank(cert: Certificate, candidates: PathCandidate[], now: number): PathCandidate[] {
  const key = (c: PathCandidate): readonly number[] => [
    keyMatch(cert, c.certificate),
    c.anchor ? 0 : 1,
    now >= c.certificate.notBeforeTime && now <= c.certificate.notAfterTime ? 0 : 1,
    -c.certificate.notBeforeTime,
  ];
  const keys = new Map(candidates.map((c) => [c, key(c)]));
  return candidates.sort((a, b) => {
    const ka = keys.get(a)!;
    const kb = keys.get(b)!;
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
    return a.certificate.sha256 < b.certificate.sha256 ? -1 : a.certificate.sha256 > b.certificate.sha256 ? 1 : 0;
  });
}
