// Fixed limits on what the core reads, so hostile input ends in ERR_LIMIT_EXCEEDED or
// ERR_INPUT_TOO_LARGE instead of a hang or an exhausted heap (rustls-webpki keeps the same
// kind of fixed bounds).

/** Bounds on what one input, certificate or name may hold, so hostile input cannot take unbounded time or memory. */
export interface Limits {
  /** Largest input (text or bytes) accepted by one read call. */
  readonly maxInputBytes: number;
  /** Largest single certificate DER. */
  readonly maxCertificateBytes: number;
  /** Most certificates (PEM blocks or PKCS#7 entries) in one input. */
  readonly maxCertificates: number;
  /** Deepest nesting of DER constructed values. */
  readonly maxDepth: number;
  /** Most GeneralNames in one subjectAltName (or other GeneralNames) extension. */
  readonly maxSanEntries: number;
  /** Most extensions in one certificate. */
  readonly maxExtensions: number;
  /** Most attributes in one distinguished name (all RDNs together). */
  readonly maxNameAttributes: number;
  /**
   * Most unreadable parts of one streamed input reported one by one; past it they are counted
   * in one summary finding, so a file of junk costs no more than a file of certificates.
   */
  readonly maxProblems: number;
}

/** 64 MiB per input, 100,000 certificates, 1 MiB per certificate, DER depth 32, 1,024 SAN entries, 128 extensions, 128 name attributes, 1,000 problems reported one by one. */
export const DEFAULT_LIMITS: Limits = Object.freeze({
  maxInputBytes: 64 * 1024 * 1024,
  maxCertificateBytes: 1024 * 1024,
  maxCertificates: 100_000,
  maxDepth: 32,
  maxSanEntries: 1024,
  maxExtensions: 128,
  maxNameAttributes: 128,
  maxProblems: 1000,
});

/** The default limits with the caller's fields over them. */
export function resolveLimits(limits: Partial<Limits> | undefined): Limits {
  return limits === undefined ? DEFAULT_LIMITS : { ...DEFAULT_LIMITS, ...limits };
}
