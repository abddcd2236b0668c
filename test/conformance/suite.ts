// The conformance suite: the core's results on fixed fixtures, as plain JSON. It runs
// unchanged in Node, in a Chromium page, in a Web Worker and inside QuickJS-WASM, so it uses
// nothing but ES2022 and the core: no console, no Buffer, no TextDecoder, no URL.

import {
  checkCertificate,
  checkPayload,
  distinguishedNameMatch,
  formatDotNet,
  formatIpAddress,
  formatRfc4514,
  identify,
  isGraphMtlsError,
  isSelfIssued,
  lint,
  lintStream,
  matches,
  parseCertificate,
  parseDistinguishedName,
  parseIpAddress,
  scanCertificates,
  TLS_CLIENT_AUTH_PARAMETERS,
  buildCreate,
  type Certificate,
  type Finding,
  type SignatureVerifier,
  type TlsClientAuthParameter,
} from '@graph-mtls/core';
import { decodeBase64, toHex } from '@graph-mtls/core/encoding';
import { readTrustConfiguration, verifyDevice } from '@graph-mtls/core/verify';

export interface ConformanceFixtures {
  readonly now: string;
  /** DER certificates, base64. */
  readonly certificates: readonly { readonly label: string; readonly base64: string }[];
  /** Whole inputs as text (PEM bundles, garbage, keys) or base64 of bytes. */
  readonly inputs: readonly { readonly label: string; readonly text?: string; readonly base64?: string }[];
  readonly payloads: readonly { readonly label: string; readonly kind: 'create' | 'update'; readonly json: string }[];
  readonly names: readonly string[];
  readonly ips: readonly string[];
  readonly matches: readonly { readonly certificate: string; readonly parameter: string; readonly expected: string }[];
  /** Devices verified against a configuration (a create payload as JSON text); certificates in base64. */
  readonly verifications: readonly {
    readonly label: string;
    readonly configuration: string;
    readonly device: string;
    readonly intermediates: readonly string[];
    readonly expected?: string;
  }[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function attempt<T extends Json>(run: () => T): T | { error: string } {
  try {
    return run();
  } catch (error) {
    if (isGraphMtlsError(error)) return { error: error.code };
    throw error;
  }
}

function findings(list: readonly Finding[]): Json {
  return list.map((f) => ({ code: f.code, severity: f.severity, ref: f.ref ?? null, line: f.location?.line ?? null, errorCode: f.errorCode ?? null, graph: f.graphError?.error.message ?? null }));
}

function view(cert: Certificate): Json {
  return {
    version: cert.version,
    serial: cert.serialNumberHex,
    signature: cert.signatureAlgorithm.name,
    subject: cert.subjectDn,
    issuer: cert.issuerDn,
    dotNet: formatDotNet(cert.subject),
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    sha256: cert.sha256,
    publicKey: attempt(() => ({ algorithm: cert.publicKey.algorithm, bits: cert.publicKey.bits ?? null, curve: cert.publicKey.curve ?? null })),
    extensions: cert.extensions.map((e) => [e.oid, e.critical]),
    basicConstraints: attempt(() => {
      const bc = cert.basicConstraints;
      return bc === undefined ? null : { ca: bc.ca, pathLen: bc.pathLen ?? null, critical: bc.critical };
    }),
    keyUsage: attempt(() => cert.keyUsage?.usages.slice() ?? null),
    extendedKeyUsage: attempt(() => cert.extendedKeyUsage?.purposes.slice() ?? null),
    subjectKeyIdentifier: attempt(() => {
      const ski = cert.subjectKeyIdentifier;
      return ski === undefined ? null : toHex(ski);
    }),
    authorityKeyIdentifier: attempt(() => {
      const id = cert.authorityKeyIdentifier?.keyIdentifier;
      return id === undefined ? null : toHex(id);
    }),
    subjectAltName: attempt(() => cert.subjectAltName?.names.map((n) => ('value' in n ? `${n.type}:${n.value}` : n.type)) ?? null),
    crls: attempt(() => cert.crlDistributionPoints?.urls.slice() ?? null),
    selfIssued: isSelfIssued(cert),
    identities: TLS_CLIENT_AUTH_PARAMETERS.map((p) => attempt(() => identify(cert, p).values.slice())),
  };
}

/** Everything the core says about the fixtures; `verifier` is WebCrypto where the runtime has it. */
export async function runConformance(fixtures: ConformanceFixtures, verifier?: SignatureVerifier): Promise<Json> {
  const now = new Date(fixtures.now);
  const certificates: Json[] = [];
  for (const c of fixtures.certificates) {
    const der = decodeBase64(c.base64);
    const result = attempt(() => {
      const cert = parseCertificate(der);
      return {
        view: view(cert),
        asCa: findings(checkCertificate(cert, { now })),
        asDevice: findings(checkCertificate(cert, { now, role: 'device', parameter: 'tls_client_auth_san_uri' })),
      };
    });
    const report = await lint(der, { now, source: c.label, ...(verifier === undefined ? {} : { verifier }) });
    certificates.push({ label: c.label, result, lint: report.certificates.map((r) => ({ selfSignature: r.selfSignature, isRootAuthority: r.isRootAuthority, findings: findings(r.findings) })) });
  }
  const inputs = fixtures.inputs.map((i): Json => {
    const data = i.text ?? decodeBase64(i.base64 ?? '');
    return attempt(() => {
      const scanned = scanCertificates(data, { source: i.label });
      return {
        label: i.label,
        certificates: scanned.certificates.map((c) => [c.format, c.location.index ?? null, c.location.line ?? null, c.certificate.sha256]),
        problems: scanned.problems.map((p) => [p.error.code, p.location.index ?? null, p.location.line ?? null]),
      };
    });
  });
  // The streaming reader, fed in pieces of 13 (characters of a text, bytes otherwise), on every
  // input and payload: what a file or a stream read as it comes gives, on every runtime.
  const streamed: Json[] = [];
  for (const i of [...fixtures.inputs.map((x) => ({ label: x.label, data: x.text ?? decodeBase64(x.base64 ?? '') })), ...fixtures.payloads.map((x) => ({ label: x.label, data: x.json }))]) {
    const pieces: (string | Uint8Array)[] = [];
    for (let at = 0; at < i.data.length; at += 13) pieces.push(i.data.slice(at, at + 13));
    const items: Json[] = [];
    for await (const item of lintStream(pieces, { now, source: i.label })) {
      items.push([item.type, item.type === 'payload' ? item.kind : (item.location.index ?? null), item.type === 'payload' ? null : (item.location.line ?? null), findings(item.findings)]);
    }
    streamed.push({ label: i.label, items });
  }
  const payloads = fixtures.payloads.map((p): Json => ({ label: p.label, findings: attempt(() => findings(checkPayload(p.json, p.kind, { now }))) }));
  const names = fixtures.names.map((n): Json => attempt(() => {
    const rdns = parseDistinguishedName(n);
    return { rfc4514: formatRfc4514(rdns), dotNet: formatDotNet(rdns), selfMatch: distinguishedNameMatch(rdns, parseDistinguishedName(formatRfc4514(rdns))) };
  }));
  const ips = fixtures.ips.map((ip): Json => attempt(() => formatIpAddress(parseIpAddress(ip))));
  const matched = fixtures.matches.map((m): Json => attempt(() => {
    const cert = fixtures.certificates.find((c) => c.label === m.certificate);
    return cert === undefined ? 'missing' : matches(parseCertificate(decodeBase64(cert.base64)), m.parameter as TlsClientAuthParameter /* fixture data, some invalid on purpose */, m.expected).matched;
  }));
  const roots = fixtures.certificates.slice(0, 2).map((c) => ({ certificate: decodeBase64(c.base64) }));
  const built = attempt(() => {
    const r = buildCreate({ displayName: 'conformance', tlsClientAuthParameter: 'tls_client_auth_san_dns', certificateAuthorities: roots }, { now });
    return { body: JSON.parse(JSON.stringify(r.body)) as Json, authorities: r.authorities.map((a) => [a.issuer, a.issuerSki, a.isRootAuthority]), findings: findings(r.findings) };
  });
  const verifications: Json[] = [];
  for (const v of fixtures.verifications) {
    const { configuration } = readTrustConfiguration(v.configuration);
    const device = parseCertificate(decodeBase64(v.device));
    const intermediates = v.intermediates.map((i) => parseCertificate(decodeBase64(i)));
    const run = async (with_: SignatureVerifier | undefined): Promise<Json> => {
      const r = await verifyDevice(device, configuration, { now, intermediates, ...(v.expected === undefined ? {} : { expected: v.expected }), ...(with_ === undefined ? {} : { verifier: with_ }) });
      return {
        outcome: r.outcome,
        path: r.path?.map((m) => [m.role, m.origin, m.certificate.subjectDn]) ?? null,
        identity: [...r.identity.values],
        matched: r.identity.matched ?? null,
        findings: findings(r.findings),
        attempts: r.attempts.map((a) => [a.subjects.length, a.refusedBy ?? null]),
      };
    };
    // Without a verifier on every runtime; with one where the runtime has WebCrypto (null in QuickJS).
    verifications.push({ label: v.label, unverified: await run(undefined), verified: verifier === undefined ? null : await run(verifier) });
  }
  return { certificates, inputs, streamed, payloads, names, ips, matches: matched, built, verifications };
}

/** The expected results as a runtime without a verifier must produce them. */
export function withoutVerifier(expected: Json): Json {
  return JSON.parse(JSON.stringify(expected, (key, value: unknown) => (key === 'selfSignature' ? 'not-verified' : key === 'verified' ? null : value))) as Json;
}
