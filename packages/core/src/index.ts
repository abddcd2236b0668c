// @graph-mtls/core: read certificates, check CA certificates the way Graph does, extract
// device identities, lint, build Graph payloads. Pure ES2022: no I/O, no clock, no globals.
// Two more entries: @graph-mtls/core/graph (the Graph protocol and client) and
// @graph-mtls/core/encoding (base64, PEM, hex, times, text safe to show).

export {
  ArgumentError,
  GraphError,
  GraphMtlsError,
  InputError,
  isGraphMtlsError,
  type AnyGraphMtlsError,
  type ArgumentErrorCode,
  type ArgumentErrorOptions,
  type ErrorCode,
  type GraphErrorCode,
  type GraphErrorOptions,
  type InputErrorCode,
  type InputErrorOptions,
  type InputLocation,
} from './errors.ts';
export { DEFAULT_LIMITS, type Limits } from './limits.ts';

export {
  readCertificate,
  readCertificates,
  scanCertificates,
  type CertificateEntry,
  type InputFormat,
  type InputProblem,
  type ReadOptions,
  type ScanResult,
} from './input/read-certificates.ts';

export { Certificate, parseCertificate, type ParseOptions, type Sha256, type TimeEncoding } from './x509/certificate.ts';
export type { AlgorithmIdentifier } from './x509/algorithm.ts';
export type {
  AuthorityKeyIdentifier,
  BasicConstraints,
  CrlDistributionPoints,
  DistributionPoint,
  ExtendedKeyUsage,
  Extension,
  KeyUsage,
  KeyUsageName,
  SubjectAltName,
} from './x509/extensions.ts';
export type { GeneralName, GeneralNameType } from './x509/general-names.ts';
export type { AttributeTypeAndValue, Name, RelativeDistinguishedName } from './x509/name/types.ts';
export { dottedTypeNames, formatRfc4514 } from './x509/name/rfc4514.ts';
export { formatDotNet } from './x509/name/dotnet.ts';
export { parseDistinguishedName } from './x509/name/parse.ts';
export { formatIpAddress, parseIpAddress } from './x509/ip-address.ts';
export { certificateFields, orUndefined, type CertificateFields } from './x509/fields.ts';
export type { PublicKeyAlgorithm, PublicKeyInfo } from './x509/public-key.ts';

export { distinguishedNameMatch } from './identity/dn-match.ts';
export {
  TLS_CLIENT_AUTH_PARAMETERS,
  assertTlsClientAuthParameter,
  identify,
  matches,
  type Identity,
  type MatchResult,
  type TlsClientAuthParameter,
} from './identity/identify.ts';

export { checkCertificate, type CertificateRole, type CheckOptions, type Profile } from './checks/check-certificate.ts';
export {
  classifyAuthority,
  isRoot,
  isSelfIssued,
  presumeSelfSigned,
  verifySelfSignature,
  verifySelfSignatures,
  verifySignedBy,
  type AuthorityKind,
  type SelfSignature,
} from './checks/authority.ts';
export { createWebCryptoVerifier, type SignatureVerifier, type SubtleCryptoLike, type VerifyInput } from './checks/verify-signature.ts';
export { RULES, getRule, type RuleCode } from './checks/rules.ts';
export { applyRuleSettings, closestName, readRuleConfig, rulesFor, type RuleConfig, type RuleSetting } from './checks/rule-config.ts';
export { GRAPH_CERTIFICATE_ERROR } from './checks/graph-errors.ts';
export { countFindings, finding, inputFinding, problemFinding, sortFindings, unreadableFinding, type FindingCounts, type AppliesTo, type Evidence, type Finding, type GraphErrorBody, type Rule, type Severity } from './checks/finding.ts';

export {
  Linter,
  LintTally,
  guessPayloadKind,
  lint,
  lintPayload,
  lintStream,
  summarize,
  unreadableInput,
  type CertificateReport,
  type InputReport,
  type LintItem,
  type LintOptions,
  type LintReport,
  type LintStreamOptions,
  type LintSummary,
  type PayloadReport,
} from './lint.ts';
export { InputReader, type CertificateBlock, type InputProblemData, type ReadItem, type ReaderOptions } from './input/reader.ts';
export { bomLength, decodeText, looksLikeJson, looksLikeText, sniffContent, type ContentKind } from './input/content.ts';

export {
  buildCreate,
  buildUpdate,
  previewCertificateAuthority,
  verifyAuthorities,
  type AuthorityPreview,
  type AuthoritySummary,
  type BuildOptions,
  type CertificateAuthorityInput,
  type CertificateAuthorityPayload,
  type CertificateInput,
  type CreateInput,
  type CreatePayload,
  type CreateResult,
  type UpdateChanges,
  type UpdatePayload,
  type UpdateResult,
} from './payload/build.ts';
export { DEFAULT_PAYLOAD_LIMITS, checkPayload, type PayloadCheckOptions, type PayloadKind, type PayloadLimits } from './payload/check.ts';
