// What the page shows, worked out in a Web Worker from the files dropped on it: each
// certificate's role, fields, identity and findings (the core's lint, self-signatures verified
// by the page's WebCrypto); the create payload, or the PATCH for a dropped configuration (a GET
// response or a payload); and whether each device certificate would authenticate against the CAs
// the payload holds (the core's verifyDevice). Plain data in, plain data out: the page renders it.

import {
  buildCreate,
  buildUpdate,
  certificateFields,
  createWebCryptoVerifier,
  identify,
  isGraphMtlsError,
  lint,
  lintPayload,
  looksLikeJson,
  verifyAuthorities,
  type AuthoritySummary,
  type CertificateAuthorityInput,
  type CertificateReport,
  type Finding,
  type TlsClientAuthParameter,
} from '@graph-mtls/core';
import { decodeBase64 } from '@graph-mtls/core/encoding';
import { readTrustConfiguration, verifyDevice } from '@graph-mtls/core/verify';
import type { MutualTlsOauthConfiguration } from '@graph-mtls/core/graph';

export interface DroppedFile {
  readonly name: string;
  readonly bytes: ArrayBuffer;
}

export interface AnalyseOptions {
  readonly parameter: TlsClientAuthParameter;
  readonly displayName: string;
  /** With a dropped configuration: the PATCH replaces its CAs with the dropped ones instead of adding them. */
  readonly replace: boolean;
  /** Milliseconds since the epoch. */
  readonly now: number;
}

export interface ShownFinding {
  readonly severity: string;
  readonly code: string;
  readonly message: string;
  readonly citation: string;
  /** The 400 body Graph would answer, as JSON text. */
  readonly graphError: string | null;
}

export interface ShownCertificate {
  readonly file: string;
  readonly place: string;
  readonly role: 'root CA' | 'intermediate CA' | 'device' | 'not a CA';
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly keyUsage: readonly string[];
  readonly sha256: string;
  readonly identity: readonly string[];
  readonly findings: readonly ShownFinding[];
}

export interface ShownProblem {
  readonly file: string;
  readonly message: string;
  readonly code: string;
}

export interface ShownPayload {
  readonly method: 'POST' | 'PATCH';
  readonly url: string;
  /** Exactly what `graph-mtls build` writes for the same files. */
  readonly json: string;
  readonly added: readonly string[];
  readonly kept: readonly string[];
  readonly removed: readonly string[];
  readonly findings: readonly ShownFinding[];
  /** Graph would refuse it (an error finding). */
  readonly refused: boolean;
}

export interface ShownDevice {
  readonly file: string;
  readonly place: string;
  readonly subject: string;
  /** `not-checked`: no CA was dropped to verify it against. */
  readonly outcome: 'trusted' | 'not-verified' | 'refused' | 'not-checked';
  readonly path: readonly string[];
  readonly identity: readonly string[];
  readonly findings: readonly ShownFinding[];
}

export interface Analysis {
  /** Payload files dropped (a create body, say from `graph-mtls build`): checked as Graph would read them; their CAs join the dropped ones. */
  readonly payloads: readonly { readonly file: string; readonly findings: readonly ShownFinding[] }[];
  readonly certificates: readonly ShownCertificate[];
  readonly problems: readonly ShownProblem[];
  readonly configuration: { readonly file: string; readonly id: string | null; readonly displayName: string | null } | null;
  readonly payload: ShownPayload | null;
  readonly devices: readonly ShownDevice[];
}

const GRAPH = 'https://graph.microsoft.com/beta/directory/certificateAuthorities/mutualTlsOauthConfigurations';

export async function analyse(files: readonly DroppedFile[], options: AnalyseOptions, progress: (done: number, total: number) => void = () => undefined): Promise<Analysis> {
  const now = new Date(options.now);
  const verifier = globalThis.crypto?.subtle === undefined ? undefined : createWebCryptoVerifier(globalThis.crypto.subtle);
  const certificates: ShownCertificate[] = [];
  const problems: ShownProblem[] = [];
  const cas: { input: CertificateAuthorityInput; shown: ShownCertificate }[] = [];
  const devices: { report: CertificateReport; file: string; place: string }[] = [];
  let current: { file: string; body: MutualTlsOauthConfiguration } | undefined;
  const payloads: { file: string; findings: ShownFinding[] }[] = [];

  /** Certificates of one input: CAs join the payload, the others are devices to verify. */
  const certificatesOf = async (data: Uint8Array, name: string): Promise<void> => {
    const report = await lint(data, { source: name, now, role: 'auto', parameter: options.parameter, ...(verifier === undefined ? {} : { verifier }) });
    for (const input of report.inputs) for (const f of input.findings) problems.push({ file: name, code: f.errorCode ?? f.code, message: f.message });
    for (const c of report.certificates) {
      const shown = showCertificate(c, name, options.parameter);
      certificates.push(shown);
      if (c.role === 'device') devices.push({ report: c, file: name, place: shown.place });
      else cas.push({ input: { certificate: c.certificate, source: name }, shown });
    }
  };

  for (let i = 0; i < files.length; i++) {
    const { name, bytes } = files[i]!;
    const data = new Uint8Array(bytes);
    if (!looksLikeJson(data)) await certificatesOf(data, name);
    else {
      const read = readConfiguration(data, name);
      if ('problem' in read) problems.push(read.problem);
      else if ('payload' in read) {
        // A create body: checked as Graph reads it, and its CAs taken as if dropped one by one.
        const report = lintPayload(data, { source: name, now });
        payloads.push({ file: name, findings: report.findings.map(showFinding) });
        for (let k = 0; k < read.payload.length; k++) {
          const where = `${name} certificateAuthorities[${k}]`;
          try {
            await certificatesOf(decodeBase64(read.payload[k]!, where), where);
          } catch (error) {
            if (!isGraphMtlsError(error)) throw error;
            problems.push({ file: name, code: error.code, message: error.message });
          }
        }
      } else if (current !== undefined) problems.push({ file: name, code: 'TWO_CONFIGURATIONS', message: `${name}: a configuration was already dropped (${current.file}); drop one at a time` });
      else current = { file: name, body: read.body };
    }
    progress(i + 1, files.length);
  }

  let payload: ShownPayload | null = null;
  let trusted: unknown;
  if (cas.length > 0 || current !== undefined) {
    const inputs = cas.map((c) => c.input);
    const selfSignatures = verifier === undefined ? undefined : await verifyAuthorities(inputs, verifier, current?.body);
    const buildOptions = { now, ...(selfSignatures === undefined ? {} : { selfSignatures }) };
    const displayName = options.displayName.trim();
    try {
      if (current === undefined) {
        const result = buildCreate({ ...(displayName === '' ? {} : { displayName }), tlsClientAuthParameter: options.parameter, certificateAuthorities: inputs }, buildOptions);
        payload = { method: 'POST', url: GRAPH, json: JSON.stringify(result.body, null, 2) + '\n', added: result.authorities.map((a) => a.subject), kept: [], removed: [], findings: result.findings.map(showFinding), refused: result.findings.some((f) => f.severity === 'error') };
        trusted = result.body;
      } else {
        const changes = { ...(displayName === '' ? {} : { displayName }), ...(options.replace ? { certificateAuthorities: inputs } : { add: inputs }) };
        const result = buildUpdate(current.body, changes, buildOptions);
        const subject = (s: AuthoritySummary): string => s.subject ?? '(a certificate that does not decode)';
        payload = {
          method: 'PATCH',
          url: `${GRAPH}/${current.body.id}`,
          json: JSON.stringify(result.body, null, 2) + '\n',
          added: result.added.map(subject),
          kept: result.kept.map(subject),
          removed: result.removed.map(subject),
          findings: result.findings.map(showFinding),
          refused: result.findings.some((f) => f.severity === 'error'),
        };
        trusted = { ...current.body, certificateAuthorities: result.body.certificateAuthorities ?? current.body.certificateAuthorities };
      }
    } catch (error) {
      if (!isGraphMtlsError(error)) throw error;
      problems.push({ file: error.kind === 'input' ? (error.source ?? 'input') : 'payload', code: error.code, message: error.message });
    }
  }

  const shownDevices: ShownDevice[] = [];
  if (devices.length > 0) {
    const configuration = trusted === undefined ? undefined : readTrustConfiguration(trusted).configuration;
    for (const d of devices) {
      const device = d.report.certificate;
      if (configuration === undefined) {
        shownDevices.push({ file: d.file, place: d.place, subject: device.subjectDn, outcome: 'not-checked', path: [], identity: identityOf(device, options.parameter), findings: [] });
        continue;
      }
      const result = await verifyDevice(device, configuration, { now, parameter: options.parameter, ...(verifier === undefined ? {} : { verifier }) });
      shownDevices.push({
        file: d.file,
        place: d.place,
        subject: device.subjectDn,
        outcome: result.outcome,
        path: (result.path ?? []).slice(1).map((m) => m.certificate.subjectDn),
        identity: result.identity.values,
        findings: result.findings.map(showFinding),
      });
    }
  }
  return { payloads, certificates, problems, configuration: current === undefined ? null : { file: current.file, id: current.body.id, displayName: current.body.displayName ?? null }, payload, devices: shownDevices };
}

/**
 * A dropped JSON file: a configuration as Graph returns it (with its id: the PATCH is made for
 * it), or a create payload (no id: its CAs' base64), or neither.
 */
function readConfiguration(data: Uint8Array, file: string): { body: MutualTlsOauthConfiguration } | { payload: string[] } | { problem: ShownProblem } {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(data));
  } catch (error) {
    return { problem: { file, code: 'NOT_JSON', message: `${file}: not JSON (${(error as Error).message})` } };
  }
  const o = body as Partial<MutualTlsOauthConfiguration> | null;
  if (typeof o !== 'object' || o === null || !Array.isArray(o.certificateAuthorities)) {
    return { problem: { file, code: 'NOT_A_CONFIGURATION', message: `${file}: expected a configuration (a GET response) or a create payload, with certificateAuthorities` } };
  }
  if (typeof o.id === 'string') return { body: o as MutualTlsOauthConfiguration };
  return { payload: o.certificateAuthorities.map((a) => (typeof (a as { certificate?: unknown })?.certificate === 'string' ? (a as { certificate: string }).certificate : '')) };
}

function showCertificate(c: CertificateReport, file: string, parameter: TlsClientAuthParameter): ShownCertificate {
  const x = certificateFields(c.certificate);
  const isCa = x.isCA === true;
  return {
    file,
    place: c.location.line === undefined ? `#${(c.location.index ?? 0) + 1}` : `line ${c.location.line}`,
    role: c.role === 'device' ? 'device' : c.isRootAuthority ? 'root CA' : isCa ? 'intermediate CA' : 'not a CA',
    subject: x.subject,
    issuer: x.issuer,
    notBefore: x.notBefore,
    notAfter: x.notAfter,
    keyUsage: x.keyUsage ?? [],
    sha256: x.sha256,
    identity: identityOf(c.certificate, parameter),
    findings: c.findings.map(showFinding),
  };
}

function identityOf(cert: CertificateReport['certificate'], parameter: TlsClientAuthParameter): string[] {
  try {
    return [...identify(cert, parameter).values];
  } catch {
    return [];
  }
}

function showFinding(f: Finding): ShownFinding {
  return { severity: f.severity, code: f.code, message: f.message, citation: f.citation, graphError: f.graphError === undefined ? null : JSON.stringify(f.graphError, null, 2) };
}
