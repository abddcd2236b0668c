// Vitest globalSetup for the browser package's page tests: certificates are generated in Node
// (test/fixtures uses node:crypto keys) and handed to the page as PEM text via provide().

import type { TestProject } from 'vitest/node';
import { makeCertificate, makeDeviceCert, makeIntermediateCa, makeRootCa } from '@graph-mtls/test/fixtures/certificates.ts';

export interface BrowserTestCertificates {
  /** A well-formed self-signed root CA. */
  readonly root: string;
  /** An intermediate CA under `root`. */
  readonly intermediate: string;
  /** A second root, for adding to a configuration. */
  readonly otherRoot: string;
  /** A self-signed "CA" without basicConstraints or keyUsage: Graph refuses it. */
  readonly badCa: string;
  /** A device certificate under `intermediate`, and one under `otherRoot`. */
  readonly device: string;
  readonly strangerDevice: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    testCertificates: BrowserTestCertificates;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const root = await makeRootCa({ key: 'p256' });
  const intermediate = await makeIntermediateCa(root, { key: 'p256' });
  const otherRoot = await makeRootCa({ key: 'p384' });
  const badCa = await makeCertificate({ subject: 'CN=Not Really A CA', key: 'p256' });
  const device = await makeDeviceCert(intermediate, { key: 'p256' });
  const strangerDevice = await makeDeviceCert(otherRoot, { key: 'p256' });
  project.provide('testCertificates', { root: root.pem, intermediate: intermediate.pem, otherRoot: otherRoot.pem, badCa: badCa.pem, device: device.pem, strangerDevice: strangerDevice.pem });
}
