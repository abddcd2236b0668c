// @graph-mtls/core/verify: will a device authenticate against a configuration? CRLs, path building
// to the configured CAs, the RFC 5280 §6.1 checks along it, and the identity the parameter
// selects. Pure like the rest of the core; it builds on the root entry's certificate view.

export { readTrustConfiguration, type TrustConfiguration, type TrustedAuthority } from './trust.ts';
export {
  verifyDevice,
  type DeviceOutcome,
  type DeviceVerification,
  type PathAttempt,
  type PathMember,
  type VerifyDeviceOptions,
} from './verify-device.ts';
export type { PathLimits } from './path.ts';
export { rotationImpact, type DeviceChange, type DeviceImpact, type RotationImpact, type RotationOptions } from './rotation.ts';
export {
  CertificateList,
  DEFAULT_MAX_REVOKED_ENTRIES,
  parseCrl,
  RevokedEntry,
  type CrlParseOptions,
  type CrlReason,
  type IssuingDistributionPoint,
  type ReasonFlag,
} from '../x509/crl.ts';
export { readCrls, type CrlScanResult, type LocatedCrl, type ReadCrlsOptions } from '../input/read-crls.ts';
