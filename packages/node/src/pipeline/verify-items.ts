// What `verify` does to each item a task reads: a certificate block is parsed and verified as a
// device by the core's verifyDevice (with this thread's node:crypto verifier) against the
// configuration, the presented intermediates and the CRLs of the job, each read once per
// thread; the run's renderer writes the verdict and the counts go into the task's tally.
// Anything else (a problem, a JSON document, a block that does not parse) is an input problem.

import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { InputError, InputReader, parseCertificate, type Certificate, type InputLocation, type ReadItem, type TlsClientAuthParameter } from '@graph-mtls/core';
import { toHex } from '@graph-mtls/core/encoding';
import { parseCrl, readTrustConfiguration, verifyDevice, type CertificateList, type DeviceVerification, type TrustConfiguration } from '@graph-mtls/core/verify';
import { createVerifier, nodeSha256 } from '../crypto.ts';
import type { Rendered, RenderOptions } from '../report/format.ts';
import { createVerifyRenderer, type VerifyRenderer } from '../report/verify.ts';
import type { ItemProcessor, RunTally, TallyData } from './tasks.ts';

/** What a verify run is judged and rendered with; plain data, so it crosses to worker threads. */
export interface VerifyJob {
  readonly kind: 'verify';
  /** Milliseconds since the epoch. */
  readonly now: number;
  readonly render: RenderOptions;
  /** The configuration as a create payload or a GET response (JSON): each thread reads it once. */
  readonly configuration: string;
  readonly parameter?: TlsClientAuthParameter;
  /** The value every device is registered under (--expect). */
  readonly expected?: string;
  /** --expect-file: the value each device is registered under, by its absolute path or its SHA-256 or SHA-1 fingerprint (lower-case hex). */
  readonly expectations?: readonly (readonly [string, string])[];
  /** The working directory the devices' paths are resolved from (with `expectations`). */
  readonly cwd?: string;
  /** Intermediates the devices present, DER. */
  readonly intermediates: readonly Uint8Array[];
  /** CRLs, DER. */
  readonly crls: readonly Uint8Array[];
  readonly expiryWarningDays: number;
}

/** Devices per issuing CA (the certificate that signed the device; '' when no path was found). */
export interface IssuerCounts {
  readonly issuer: string;
  trusted: number;
  'not-verified': number;
  refused: number;
}

/** A verify task's counts. */
export interface VerifyTallyData {
  readonly kind: 'verify';
  readonly devices: number;
  readonly trusted: number;
  readonly notVerified: number;
  readonly refused: number;
  readonly problems: number;
  /** Devices with a path of which a certificate expires within the warning window. */
  readonly expiring: number;
  /** With --expect-file: devices it does not list (verified without an expected value). */
  readonly unlisted: number;
  /** In the order the issuers were first seen. */
  readonly byIssuer: readonly IssuerCounts[];
  /** Findings by severity (SARIF and GitHub summaries). */
  readonly errors: number;
  readonly warnings: number;
  readonly notices: number;
}

/** A device's verdict as the renderers take it. */
export interface VerifiedDevice {
  readonly location: InputLocation;
  readonly sha256: string;
  readonly result: DeviceVerification;
  /** With --expect-file, false when the file does not list this device. */
  readonly listed: boolean;
}

/** An input problem as the renderers take it: the message names the input and the place. */
export interface VerifyProblem {
  readonly code: string;
  readonly message: string;
  readonly source: string;
  /** A problem found reading the input (not a system error): its code, reason and place. */
  readonly read?: { readonly error: InputError; readonly location: InputLocation };
}

export class VerifyProcessor implements ItemProcessor<VerifyTallyData> {
  readonly #configuration: TrustConfiguration;
  readonly #options: { readonly now: Date; readonly parameter?: TlsClientAuthParameter; readonly intermediates: readonly Certificate[]; readonly crls: readonly CertificateList[]; readonly verifier: ReturnType<typeof createVerifier> };
  readonly #expected: string | undefined;
  readonly #expectations: ReadonlyMap<string, string> | undefined;
  readonly #sha1Keys: boolean;
  readonly #cwd: string;
  readonly #until: number;
  readonly #renderer: VerifyRenderer;
  #tally = new VerifyTally();

  constructor(job: VerifyJob) {
    // The main thread read all of these and reported their problems; here they are only rebuilt.
    this.#configuration = readTrustConfiguration(job.configuration).configuration;
    this.#options = {
      now: new Date(job.now),
      ...(job.parameter === undefined ? {} : { parameter: job.parameter }),
      intermediates: job.intermediates.map((der) => parseCertificate(der, { sha256: nodeSha256 })),
      crls: job.crls.map((der) => parseCrl(der)),
      verifier: createVerifier(),
    };
    this.#expected = job.expected;
    this.#expectations = job.expectations === undefined ? undefined : new Map(job.expectations);
    this.#sha1Keys = job.expectations?.some(([key]) => /^[0-9a-f]{40}$/.test(key)) === true;
    this.#cwd = job.cwd ?? '/';
    this.#until = job.now + job.expiryWarningDays * 86_400_000;
    this.#renderer = createVerifyRenderer(job.render);
  }

  reader(source: string): InputReader {
    return new InputReader({ source });
  }

  add(item: ReadItem, source: string): void | Promise<void> {
    if (item.kind === 'problem') return this.#problem(new InputError(item.code, item.reason, item.at ?? item.location), source, item.at ?? item.location);
    // Never without maxPayloadBytes: JSON is read as certificates, and refused as none.
    if (item.kind === 'payload') return this.#problem(new InputError('ERR_NOT_A_CERTIFICATE', 'expected device certificates, received a JSON document', item.location), source, item.location);
    let device: Certificate;
    try {
      device = parseCertificate(item.der, { sha256: nodeSha256 });
    } catch (error) {
      if (error instanceof InputError) return this.#problem(error.at(item.location), source, item.location);
      throw error;
    }
    const { expected, listed } = this.#expectedFor(device, source);
    return verifyDevice(device, this.#configuration, expected === undefined ? this.#options : { ...this.#options, expected }).then((result) => {
      const verified: VerifiedDevice = { location: item.location, sha256: device.sha256, result, listed };
      this.#tally.add(verified, this.#until);
      this.#renderer.device(verified, source);
    });
  }

  unreadable(source: string, message: string, code: string): void {
    this.#tally.problem();
    this.#renderer.problem({ code, message, source }, source);
  }

  sizes(): readonly [number, number, number] {
    return this.#renderer.sizes();
  }

  take(): Rendered {
    return this.#renderer.take();
  }

  takeTally(): VerifyTallyData {
    const t = this.#tally;
    this.#tally = new VerifyTally();
    return t.data();
  }

  #problem(error: InputError, source: string, location: InputLocation): void {
    this.#tally.problem();
    this.#renderer.problem({ code: error.code, message: error.message, source, read: { error, location } }, source);
  }

  /** --expect, or the value --expect-file lists for the device (by path, SHA-256 or SHA-1). */
  #expectedFor(device: Certificate, source: string): { expected: string | undefined; listed: boolean } {
    const expectations = this.#expectations;
    if (expectations === undefined) return { expected: this.#expected, listed: true };
    const expected = expectations.get(resolve(this.#cwd, source)) ?? expectations.get(device.sha256) ?? (this.#sha1Keys ? expectations.get(toHex(createHash('sha1').update(device.der).digest())) : undefined);
    return { expected, listed: expected !== undefined };
  }
}

/** Counts of a task (and, merged, of a run). */
export class VerifyTally implements RunTally {
  devices = 0;
  trusted = 0;
  notVerified = 0;
  refused = 0;
  problems = 0;
  expiring = 0;
  unlisted = 0;
  errors = 0;
  warnings = 0;
  notices = 0;
  readonly #byIssuer = new Map<string, IssuerCounts>();

  get byIssuer(): readonly IssuerCounts[] {
    return [...this.#byIssuer.values()];
  }

  add(d: VerifiedDevice, until: number): void {
    const { outcome, path, findings } = d.result;
    this.devices++;
    if (outcome === 'trusted') this.trusted++;
    else if (outcome === 'not-verified') this.notVerified++;
    else this.refused++;
    if (!d.listed) this.unlisted++;
    for (const f of findings) this[f.severity === 'error' ? 'errors' : f.severity === 'warning' ? 'warnings' : 'notices']++;
    this.#issuer(path?.[1]?.certificate.subjectDn ?? '')[outcome]++;
    if (outcome !== 'refused' && path!.some((m) => m.certificate.notAfterTime < until)) this.expiring++;
  }

  problem(): void {
    this.problems++;
    this.errors++;
  }

  merge(o: TallyData): void {
    if (o.kind !== 'verify') return;
    this.devices += o.devices;
    this.trusted += o.trusted;
    this.notVerified += o.notVerified;
    this.refused += o.refused;
    this.problems += o.problems;
    this.expiring += o.expiring;
    this.unlisted += o.unlisted;
    this.errors += o.errors;
    this.warnings += o.warnings;
    this.notices += o.notices;
    for (const i of o.byIssuer) {
      const row = this.#issuer(i.issuer);
      row.trusted += i.trusted;
      row['not-verified'] += i['not-verified'];
      row.refused += i.refused;
    }
  }

  /** The progress line's count. */
  get items(): number {
    return this.devices;
  }

  data(): VerifyTallyData {
    const { devices, trusted, notVerified, refused, problems, expiring, unlisted, errors, warnings, notices } = this;
    return { kind: 'verify', devices, trusted, notVerified, refused, problems, expiring, unlisted, byIssuer: this.byIssuer, errors, warnings, notices };
  }

  #issuer(issuer: string): IssuerCounts {
    let row = this.#byIssuer.get(issuer);
    if (row === undefined) this.#byIssuer.set(issuer, (row = { issuer, trusted: 0, 'not-verified': 0, refused: 0 }));
    return row;
  }
}
