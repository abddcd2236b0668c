// Rotation impact: what a change of a configuration's CAs does to a fleet, before it is applied.
// Each device is verified against the current and the planned configuration (verifyDevice);
// the result says which devices lose their path, which gain one, and which keep one only
// through a CA that expires within the warning window.

import type { Finding } from '../checks/finding.ts';
import type { InputLocation } from '../errors.ts';
import type { Certificate } from '../x509/certificate.ts';
import type { TrustConfiguration } from './trust.ts';
import { verifyDevice, type DeviceOutcome, type VerifyDeviceOptions } from './verify-device.ts';

const DAY = 86_400_000;

/** What the change does to one device. */
export type DeviceChange = 'loses' | 'gains' | 'keeps' | 'never';

export interface DeviceImpact {
  readonly certificate: Certificate;
  readonly location?: InputLocation;
  readonly before: DeviceOutcome;
  readonly after: DeviceOutcome;
  /** `loses`: it authenticates today and would not after; `gains` the reverse; `keeps` both; `never` neither. */
  readonly change: DeviceChange;
  /** After the change, the CA of its path that expires first, when that is within the warning window. */
  readonly expiring?: { readonly subject: string; readonly notAfter: Date; readonly days: number };
  /** Why it is refused after the change (empty when it is not). */
  readonly reasons: readonly Finding[];
}

export interface RotationImpact {
  readonly devices: readonly DeviceImpact[];
  readonly loses: number;
  readonly gains: number;
  readonly keeps: number;
  readonly never: number;
  /** Devices that keep or gain a path only through a CA expiring within the window. */
  readonly expiring: number;
}

/** How rotationImpact verifies: verifyDevice's options, and the days before a CA's notAfter that count as expiring (default 30). */
export interface RotationOptions extends Omit<VerifyDeviceOptions, 'expected' | 'intermediates'> {
  readonly expiryWarningDays?: number;
}

/**
 * The impact on `devices` of replacing `current` by `planned` (what plan would send).
 * @example
 * const { configuration: current } = readTrustConfiguration(currentJson);
 * const impact = await rotationImpact([{ certificate: parseCertificate(deviceDer) }], current, { ...current, authorities: [] }, { now: new Date() });
 * // impact.loses: devices that authenticate today and would not after the change
 */
export async function rotationImpact(
  devices: readonly { readonly certificate: Certificate; readonly location?: InputLocation; readonly intermediates?: readonly Certificate[] }[],
  current: TrustConfiguration,
  planned: TrustConfiguration,
  options: RotationOptions,
): Promise<RotationImpact> {
  const window = (options.expiryWarningDays ?? 30) * DAY;
  const now = options.now.getTime();
  const out: DeviceImpact[] = [];
  const counts = { loses: 0, gains: 0, keeps: 0, never: 0, expiring: 0 };
  for (const d of devices) {
    const common = { ...options, ...(d.intermediates === undefined ? {} : { intermediates: d.intermediates }) };
    const before = await verifyDevice(d.certificate, current, common);
    const after = await verifyDevice(d.certificate, planned, common);
    const was = before.outcome !== 'refused';
    const is = after.outcome !== 'refused';
    const change: DeviceChange = was ? (is ? 'keeps' : 'loses') : is ? 'gains' : 'never';
    counts[change]++;
    let expiring: DeviceImpact['expiring'];
    if (is) {
      const first = (after.path ?? []).slice(1).reduce<Certificate | undefined>((a, m) => (a === undefined || m.certificate.notAfterTime < a.notAfterTime ? m.certificate : a), undefined);
      if (first !== undefined && first.notAfterTime - now < window) {
        expiring = { subject: first.subjectDn, notAfter: first.notAfter, days: Math.floor((first.notAfterTime - now) / DAY) };
        counts.expiring++;
      }
    }
    out.push({
      certificate: d.certificate,
      ...(d.location === undefined ? {} : { location: d.location }),
      before: before.outcome,
      after: after.outcome,
      change,
      ...(expiring === undefined ? {} : { expiring }),
      reasons: is ? [] : after.findings.filter((f) => f.severity === 'error'),
    });
  }
  return { devices: out, ...counts };
}
