// The JSON bodies Graph's mutualTlsOauthConfiguration endpoints receive (spec/graph-api.md §1,
// §2.4, §7): property names as the service spells them (`certificateAuthorities`, plural),
// `certificate` as standard padded base64 of the DER (RFC 4648 §4; Edm.Binary), and none of
// the read-only properties (`id`, `deletedDateTime`, `issuer`, `issuerSki`). An update replaces
// the CA list whole, so it starts from the list as GET returned it.

import { sha1 } from '@noble/hashes/legacy.js';
import { isRoot, verifySelfSignatures, type SelfSignature } from '../checks/authority.ts';
import type { SignatureVerifier } from '../checks/verify-signature.ts';
import type { Finding } from '../checks/finding.ts';
import { decodeBase64, encodeBase64 } from '../encoding/base64.ts';
import { toUpperHex } from '../encoding/hex.ts';
import { ArgumentError, InputError, type InputLocation } from '../errors.ts';
import { assertTlsClientAuthParameter, type TlsClientAuthParameter } from '../identity/identify.ts';
import { scanCertificates } from '../input/read-certificates.ts';
import type { Limits } from '../limits.ts';
import { Certificate, parseCertificate } from '../x509/certificate.ts';
import { formatDotNet } from '../x509/name/dotnet.ts';
import { parseJsonOrUndefined } from '../encoding/json.ts';
import { checkPayload, type PayloadLimits } from './check.ts';

/** One entry of `certificateAuthorities` as Graph receives it. */
export interface CertificateAuthorityPayload {
  readonly certificate: string;
  readonly isRootAuthority: boolean;
  readonly certificateRevocationListUrl?: string | null;
  readonly deltaCertificateRevocationListUrl?: string | null;
}

/** The POST body of a mutualTlsOauthConfiguration. */
export interface CreatePayload {
  readonly displayName?: string;
  readonly tlsClientAuthParameter: TlsClientAuthParameter;
  readonly certificateAuthorities: readonly CertificateAuthorityPayload[];
}

/** The PATCH body of a mutualTlsOauthConfiguration. */
export interface UpdatePayload {
  readonly displayName?: string | null;
  readonly certificateAuthorities?: readonly CertificateAuthorityPayload[];
}

/** A certificate in any form the core reads: a parsed view, DER, PEM, base64 or PKCS#7. */
export type CertificateInput = Certificate | Uint8Array | string;

/** A CA to put in a payload, in any form the core reads, with what Graph should be told about it. */
export interface CertificateAuthorityInput {
  /** A text or bytes input may hold several certificates (a bundle): each becomes an entry. */
  readonly certificate: CertificateInput;
  /** Derived from the certificate when not given (self-issued means root). */
  readonly isRootAuthority?: boolean;
  readonly certificateRevocationListUrl?: string | null;
  readonly deltaCertificateRevocationListUrl?: string | null;
  /** What to call the input in findings, e.g. its file name. */
  readonly source?: string;
}

/** How payloads are built: the date the CAs are checked at, and where CRL URLs come from. */
export interface BuildOptions {
  readonly now: Date;
  readonly expiryWarningDays?: number;
  /** Take certificateRevocationListUrl from the certificate's first CRL distribution point when not given. */
  readonly crlUrlFromCertificate?: boolean;
  readonly limits?: Partial<Limits>;
  readonly payloadLimits?: Partial<PayloadLimits>;
  /**
   * Self-signatures by certificate SHA-256 (verifySelfSignatures makes them), so that a
   * key-rollover certificate (self-issued, signed by another key) is an intermediate and a root
   * whose AKI differs from its SKI is a root; without an entry the key identifiers decide.
   */
  readonly selfSignatures?: ReadonlyMap<string, SelfSignature>;
}

/** What Graph will show for a CA: its `issuer` and `issuerSki` as computed from the certificate. */
export interface AuthorityPreview {
  readonly sha256: string;
  /** The CA's subject, RFC 4514. */
  readonly subject: string;
  /** Graph's `issuer`: the CA's own subject in .NET X500DistinguishedName form. */
  readonly issuer: string;
  /**
   * Graph's `issuerSki`: the CA's subjectKeyIdentifier in upper-case hex. Without the extension,
   * what Graph most plausibly stores: the SHA-1 of the subjectPublicKey bits (RFC 5280 §4.2.1.2
   * method 1, as .NET computes it), with issuerSkiComputed true. Null when the extension or the
   * key does not decode.
   */
  readonly issuerSki: string | null;
  /** True when issuerSki was computed from the key (inferred), not read from the extension. */
  readonly issuerSkiComputed: boolean;
  readonly isRootAuthority: boolean;
  /** True when isRootAuthority was derived from the certificate rather than given. */
  readonly derived: boolean;
}

/** What buildCreate builds the POST body from. */
export interface CreateInput {
  readonly displayName?: string;
  readonly tlsClientAuthParameter: TlsClientAuthParameter;
  readonly certificateAuthorities: readonly CertificateAuthorityInput[];
}

/** The POST body, what Graph will show for each CA, and the findings. */
export interface CreateResult {
  readonly body: CreatePayload;
  readonly authorities: readonly AuthorityPreview[];
  /** Every finding of checkPayload(body, 'create'), located at the input each CA came from. */
  readonly findings: readonly Finding[];
}

/** The certificateAuthority entry a certificate becomes (issuer, issuerSki, isRootAuthority) before any payload is built. */
export function previewCertificateAuthority(cert: Certificate, isRootAuthority: boolean = isRoot(cert), derived = true): AuthorityPreview {
  const ski = issuerSkiOf(cert);
  return {
    sha256: cert.sha256,
    subject: cert.subjectDn,
    issuer: formatDotNet(cert.subject),
    issuerSki: ski?.hex ?? null,
    issuerSkiComputed: ski?.computed ?? false,
    isRootAuthority,
    derived,
  };
}

/** The subjectKeyIdentifier, else the SHA-1 of the key's bits (RFC 5280 §4.2.1.2 method 1); undefined when neither decodes. */
function issuerSkiOf(cert: Certificate): { readonly hex: string; readonly computed: boolean } | undefined {
  try {
    const ski = cert.subjectKeyIdentifier;
    return ski === undefined ? { hex: toUpperHex(sha1(cert.subjectPublicKey)), computed: true } : { hex: toUpperHex(ski), computed: false };
  } catch {
    return undefined;
  }
}

/**
 * The `selfSignatures` option of buildCreate and buildUpdate: every self-issued certificate among
 * the CA inputs and the CAs of `current` (the configuration as GET returned it), verified with
 * its own key. An input that does not read is left to the build, which reports it.
 * @example
 * const cas = [{ certificate: pemText }];
 * const selfSignatures = await verifyAuthorities(cas, createWebCryptoVerifier(crypto.subtle));
 * const { body } = buildCreate({ tlsClientAuthParameter: 'tls_client_auth_san_uri', certificateAuthorities: cas }, { now: new Date(), selfSignatures });
 * // body.certificateAuthorities[0].isRootAuthority: true only for a root its own key verifies
 */
export function verifyAuthorities(inputs: readonly CertificateAuthorityInput[], verifier: SignatureVerifier, current?: unknown): Promise<Map<string, SelfSignature>> {
  const certificates: Certificate[] = [];
  const read = (input: CertificateInput): void => {
    try {
      for (const found of readInput(input, 'input', undefined)) certificates.push(found.certificate);
    } catch {
      // Reported by the build.
    }
  };
  for (const input of inputs) read(input.certificate);
  const base = typeof current === 'string' ? parseJsonOrUndefined(current) : current;
  const list = (base as { certificateAuthorities?: unknown } | null | undefined)?.certificateAuthorities;
  if (Array.isArray(list)) {
    for (const entry of list) {
      const certificate = (entry as { certificate?: unknown } | null)?.certificate;
      if (typeof certificate === 'string') read(certificate);
    }
  }
  return verifySelfSignatures(certificates, verifier);
}

/**
 * The POST body for /directory/certificateAuthorities/mutualTlsOauthConfigurations, checked.
 * @example
 * const { body, findings } = buildCreate(
 *   { displayName: 'Door cameras', tlsClientAuthParameter: 'tls_client_auth_san_uri', certificateAuthorities: [{ certificate: pemText }] },
 *   { now: new Date() },
 * );
 * // POST JSON.stringify(body) to /beta/directory/certificateAuthorities/mutualTlsOauthConfigurations
 * // when no finding is an error
 */
export function buildCreate(input: CreateInput, options: BuildOptions): CreateResult {
  const tlsClientAuthParameter = assertTlsClientAuthParameter(input.tlsClientAuthParameter);
  if (input.displayName !== undefined && typeof input.displayName !== 'string') {
    throw new ArgumentError('ERR_INVALID_ARGUMENT', `displayName: expected a string, received ${typeof input.displayName}`);
  }
  const entries = resolveAuthorities(input.certificateAuthorities, options);
  const certificateAuthorities = entries.map((e) => e.payload);
  const body: CreatePayload =
    input.displayName === undefined
      ? { tlsClientAuthParameter, certificateAuthorities }
      : { displayName: input.displayName, tlsClientAuthParameter, certificateAuthorities };
  return { body, authorities: entries.map((e) => e.preview), findings: locate(checkPayload(body, 'create', options), entries.map((e) => e.location)) };
}

/** What buildUpdate changes: the name, CAs to add or remove, or the whole list. */
export interface UpdateChanges {
  /** A new displayName; null clears it. */
  readonly displayName?: string | null;
  /** CAs to add to the current list (a CA already present is kept, not duplicated). */
  readonly add?: readonly CertificateAuthorityInput[];
  /** CAs to remove: the certificate, or its SHA-256 or subjectKeyIdentifier in hex (any case, ':' allowed). */
  readonly remove?: readonly (Certificate | string)[];
  /** The whole new list, instead of add/remove. */
  readonly certificateAuthorities?: readonly CertificateAuthorityInput[];
  /** Set once at create: any other value than the current one is refused with ERR_IMMUTABLE_PROPERTY. */
  readonly tlsClientAuthParameter?: TlsClientAuthParameter;
}

/** A CA of an update, as the result lists it. */
export interface AuthoritySummary {
  /** SHA-256 of the DER; undefined when the current entry's certificate does not decode. */
  readonly sha256?: string;
  readonly subject?: string;
  readonly issuerSki?: string | null;
  readonly isRootAuthority: boolean;
}

/** The PATCH body, whether anything changed, the CAs added, kept and removed, and the findings. */
export interface UpdateResult {
  /** The PATCH body: `{}` when nothing changes. */
  readonly body: UpdatePayload;
  readonly changed: boolean;
  readonly added: readonly AuthoritySummary[];
  readonly kept: readonly AuthoritySummary[];
  readonly removed: readonly AuthoritySummary[];
  /** Entries of `remove` that matched no current CA. */
  readonly notFound: readonly string[];
  readonly findings: readonly Finding[];
}

interface CurrentEntry {
  readonly payload: CertificateAuthorityPayload;
  readonly summary: AuthoritySummary;
  readonly certificate: Certificate | undefined;
  /** The issuerSki GET returned, lower-case hex, if any. */
  readonly returnedSki: string | undefined;
}

/**
 * The PATCH body that turns `current` (the configuration as GET returned it) into what
 * `changes` asks for. The CA list is replaced whole by Graph, so kept entries are re-sent.
 * @example
 * // currentJson: what GET returned for the configuration
 * const { body, changed } = buildUpdate(currentJson, { displayName: 'Door cameras (2027)' }, { now: new Date() });
 * // PATCH JSON.stringify(body) when changed
 */
export function buildUpdate(current: unknown, changes: UpdateChanges, options: BuildOptions): UpdateResult {
  const base = typeof current === 'string' ? parseJson(current) : current;
  if (typeof base !== 'object' || base === null || Array.isArray(base)) {
    throw new ArgumentError('ERR_INVALID_ARGUMENT', 'buildUpdate current: expected the configuration object as GET returns it, received ' + (Array.isArray(base) ? 'a list' : String(base)));
  }
  const cur = base as Record<string, unknown>;
  if (changes.tlsClientAuthParameter !== undefined && changes.tlsClientAuthParameter !== cur['tlsClientAuthParameter']) {
    throw new ArgumentError('ERR_IMMUTABLE_PROPERTY',
      `tlsClientAuthParameter: expected no change (it is set once at create), received '${String(changes.tlsClientAuthParameter).slice(0, 60)}' for a configuration with '${String(cur['tlsClientAuthParameter']).slice(0, 60)}'; delete the configuration and create it again`,
    );
  }
  if (changes.certificateAuthorities !== undefined && (changes.add !== undefined || changes.remove !== undefined)) {
    throw new ArgumentError('ERR_INVALID_ARGUMENT', 'buildUpdate changes: expected either certificateAuthorities (the whole list) or add/remove, received both');
  }
  const currentList = readCurrentList(cur['certificateAuthorities']);
  const touchesList = changes.certificateAuthorities !== undefined || changes.add !== undefined || changes.remove !== undefined;

  let next: { payload: CertificateAuthorityPayload; summary: AuthoritySummary; location: InputLocation }[] = [];
  const added: AuthoritySummary[] = [];
  const removed: AuthoritySummary[] = [];
  const notFound: string[] = [];
  if (!touchesList) {
    next = currentList.map((e) => ({ payload: e.payload, summary: e.summary, location: {} }));
  } else if (changes.certificateAuthorities !== undefined) {
    const wanted = resolveAuthorities(changes.certificateAuthorities, options);
    const wantedSha = new Set(wanted.map((w) => w.preview.sha256));
    const currentSha = new Set(currentList.map((c) => c.summary.sha256));
    for (const c of currentList) if (c.summary.sha256 === undefined || !wantedSha.has(c.summary.sha256)) removed.push(c.summary);
    for (const w of wanted) {
      const summary = summarize(w.preview);
      next.push({ payload: w.payload, summary, location: w.location });
      if (!currentSha.has(w.preview.sha256)) added.push(summary);
    }
  } else {
    const targets = (changes.remove ?? []).map((r) => ({ raw: r, key: removalKey(r), hit: false }));
    for (const c of currentList) {
      const t = targets.find((t) => matchesRemoval(t.key, c));
      if (t !== undefined) {
        t.hit = true;
        removed.push(c.summary);
      } else next.push({ payload: c.payload, summary: c.summary, location: {} });
    }
    for (const t of targets) if (!t.hit) notFound.push(typeof t.raw === 'string' ? t.raw : t.raw.sha256);
    for (const w of resolveAuthorities(changes.add ?? [], options)) {
      if (next.some((n) => n.summary.sha256 === w.preview.sha256)) continue;
      const summary = summarize(w.preview);
      next.push({ payload: w.payload, summary, location: w.location });
      added.push(summary);
    }
  }
  const kept = next.filter((n) => !added.includes(n.summary)).map((n) => n.summary);

  const body: { displayName?: string | null; certificateAuthorities?: CertificateAuthorityPayload[] } = {};
  if (changes.displayName !== undefined && changes.displayName !== cur['displayName']) body.displayName = changes.displayName;
  const nextList = next.map((n) => n.payload);
  const listChanged = JSON.stringify(nextList.map(canonical)) !== JSON.stringify(currentList.map((c) => canonical(c.payload)));
  if (touchesList && listChanged) body.certificateAuthorities = nextList;
  const keptIndices = new Set(next.flatMap((n, i) => (added.includes(n.summary) ? [] : [i])));
  const findings = locate(checkPayload(body, 'update', options), next.map((n) => n.location)).map((f) => keptExpired(f, keptIndices));
  return { body, changed: Object.keys(body).length > 0, added, kept, removed, notFound, findings };
}

interface ResolvedAuthority {
  readonly payload: CertificateAuthorityPayload;
  readonly preview: AuthorityPreview;
  readonly location: InputLocation;
}

function resolveAuthorities(inputs: readonly CertificateAuthorityInput[], options: BuildOptions): ResolvedAuthority[] {
  const out: ResolvedAuthority[] = [];
  inputs.forEach((input, i) => {
    const source = input.source ?? `certificateAuthorities input ${i}`;
    const found = readInput(input.certificate, source, options.limits);
    if (found.length > 1 && input.isRootAuthority !== undefined) {
      throw new ArgumentError('ERR_INVALID_ARGUMENT', `expected one certificate when isRootAuthority is given, received ${found.length}`, { source });
    }
    for (const { certificate, location } of found) {
      const derived = input.isRootAuthority === undefined;
      const isRootAuthority = input.isRootAuthority ?? isRoot(certificate, options.selfSignatures?.get(certificate.sha256));
      const entry: { -readonly [K in keyof CertificateAuthorityPayload]: CertificateAuthorityPayload[K] } = {
        certificate: encodeBase64(certificate.der),
        isRootAuthority,
      };
      let crl = input.certificateRevocationListUrl;
      if (crl === undefined && options.crlUrlFromCertificate === true) {
        try {
          crl = certificate.crlDistributionPoints?.urls[0] ?? null;
        } catch {
          crl = null; // A malformed CDP is reported by the checks.
        }
      }
      if (crl !== undefined) entry.certificateRevocationListUrl = crl;
      if (input.deltaCertificateRevocationListUrl !== undefined) entry.deltaCertificateRevocationListUrl = input.deltaCertificateRevocationListUrl;
      out.push({ payload: entry, preview: previewCertificateAuthority(certificate, isRootAuthority, derived), location });
    }
  });
  return out;
}

function readInput(input: CertificateInput, source: string, limits: Partial<Limits> | undefined): { certificate: Certificate; location: InputLocation }[] {
  if (input instanceof Certificate) return [{ certificate: input, location: { source } }];
  const { certificates, problems } = scanCertificates(input, limits === undefined ? { source } : { source, limits });
  const problem = problems[0];
  if (problem !== undefined) throw problem.error;
  if (certificates.length === 0) throw new InputError('ERR_NOT_A_CERTIFICATE', `${source}: expected a certificate, received none`, { source });
  return certificates.map((c) => ({ certificate: c.certificate, location: c.location }));
}

function readCurrentList(value: unknown): CurrentEntry[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ArgumentError('ERR_INVALID_ARGUMENT', 'buildUpdate current.certificateAuthorities: expected a list, received ' + typeof value);
  return value.map((item: unknown, i): CurrentEntry => {
    if (typeof item !== 'object' || item === null || typeof (item as Record<string, unknown>)['certificate'] !== 'string') {
      throw new ArgumentError('ERR_INVALID_ARGUMENT', `buildUpdate current.certificateAuthorities[${i}]: expected an object with a base64 certificate, received ${item === null ? 'null' : typeof item}`);
    }
    const raw = item as Record<string, unknown>;
    const payload: { -readonly [K in keyof CertificateAuthorityPayload]: CertificateAuthorityPayload[K] } = {
      certificate: raw['certificate'] as string,
      isRootAuthority: raw['isRootAuthority'] === true,
    };
    // Kept as GET returned them; issuer, issuerSki and annotations are read-only and dropped.
    for (const key of ['certificateRevocationListUrl', 'deltaCertificateRevocationListUrl'] as const) {
      const v = raw[key];
      if (typeof v === 'string' || v === null) payload[key] = v;
    }
    let certificate: Certificate | undefined;
    try {
      certificate = parseCertificate(decodeBase64(payload.certificate));
    } catch {
      certificate = undefined; // checkPayload reports it.
    }
    const summary: AuthoritySummary =
      certificate === undefined
        ? { isRootAuthority: payload.isRootAuthority }
        : summarize(previewCertificateAuthority(certificate, payload.isRootAuthority, false));
    const returned = raw['issuerSki'];
    return { payload, summary, certificate, returnedSki: typeof returned === 'string' ? returned.toLowerCase() : undefined };
  });
}

/** An entry for comparison: an absent URL and a null one mean the same to Graph. */
function canonical(p: CertificateAuthorityPayload): unknown[] {
  return [p.certificate, p.isRootAuthority, p.certificateRevocationListUrl ?? null, p.deltaCertificateRevocationListUrl ?? null];
}

function summarize(p: AuthorityPreview): AuthoritySummary {
  return { sha256: p.sha256, subject: p.subject, issuerSki: p.issuerSki, isRootAuthority: p.isRootAuthority };
}

/** A certificate's SHA-256, or hex that may be a SHA-256 or a subjectKeyIdentifier. */
type RemovalKey = { readonly sha256: string } | { readonly hex: string };

function removalKey(target: Certificate | string): RemovalKey {
  if (target instanceof Certificate) return { sha256: target.sha256 };
  const hex = target.replace(/[:\s]/g, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex) || hex.length === 0) {
    throw new ArgumentError('ERR_INVALID_ARGUMENT', `buildUpdate remove: expected a certificate, a SHA-256 or a subjectKeyIdentifier in hex, received '${target.slice(0, 60)}'`);
  }
  return { hex };
}

function matchesRemoval(key: RemovalKey, entry: CurrentEntry): boolean {
  if ('sha256' in key) return entry.summary.sha256 === key.sha256;
  // 64 hex digits may be a SHA-256 or a 32-byte SKI: either matches.
  if (entry.summary.sha256 === key.hex) return true;
  const ski = entry.summary.issuerSki;
  return entry.returnedSki === key.hex || (ski !== undefined && ski !== null && ski.toLowerCase() === key.hex);
}

/**
 * An expired CA that is only kept is a warning, not an error (spec/graph-api.md §3.4): it is
 * already in the configuration, and refusing the PATCH would block every other change.
 */
function keptExpired(f: Finding, kept: ReadonlySet<number>): Finding {
  const m = /^certificateAuthorities\[(\d+)\]/.exec(f.ref ?? '');
  if (f.code !== 'CERT_EXPIRED' || m === null || !kept.has(Number(m[1]))) return f;
  const { graphError: _dropped, ...rest } = f;
  return { ...rest, severity: 'warning', message: `${f.message}; it is already in the configuration (Entra's sibling CA store refuses uploads while any CA is expired, so remove it)` };
}

/** Gives findings about `certificateAuthorities[i]` the location of the input entry i came from. */
function locate(findings: readonly Finding[], locations: readonly InputLocation[]): Finding[] {
  return findings.map((f) => {
    const m = /^certificateAuthorities\[(\d+)\]/.exec(f.ref ?? '');
    const at = m === null ? undefined : locations[Number(m[1])];
    return at === undefined || Object.keys(at).length === 0 ? f : { ...f, location: at };
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ArgumentError('ERR_INVALID_ARGUMENT', 'buildUpdate current: expected JSON text, received text that does not parse', { cause: error });
  }
}
