// Path building (RFC 4158) from a device certificate up to a trust anchor: at each step the
// candidates are the certificates whose subject is the current certificate's issuer name,
// ranked so the likeliest path comes first (the authorityKeyIdentifier names the candidate's
// key, an anchor ends the path, the candidate is valid now, the newest first, then by SHA-256
// so the order never depends on input order). A certificate appears at most once per path, so
// loops end; the search is bounded in path length and in steps, so a hostile configuration
// cannot make it exponential.

import { bytesEqual } from '../encoding/hex.ts';
import { sameName } from '../checks/authority.ts';
import type { InputLocation } from '../errors.ts';
import type { Certificate } from '../x509/certificate.ts';

/** A certificate a path may use: from the configuration (an anchor or a member) or presented by the device. */
export interface PathCandidate {
  readonly certificate: Certificate;
  readonly anchor: boolean;
  readonly origin: 'configuration' | 'presented';
  readonly location?: InputLocation;
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
export function buildPaths(device: Certificate, pool: readonly PathCandidate[], now: number, limits: PathLimits = DEFAULT_PATH_LIMITS): PathSearch {
  const paths: PathCandidate[][] = [];
  let steps = 0;
  let limited = false;
  const ranked = new Map<Certificate, PathCandidate[]>();
  const issuersOf = (cert: Certificate): PathCandidate[] => {
    let found = ranked.get(cert);
    if (found === undefined) {
      found = rank(cert, pool.filter((c) => namesIssuer(cert, c.certificate)), now);
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
      if (candidate.certificate.sha256 === device.sha256 || path.some((p) => p.certificate.sha256 === candidate.certificate.sha256)) continue;
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
