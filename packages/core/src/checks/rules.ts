// The rule catalogue: every check's code, severity, applicability, evidence level and
// citation, in the manner of zlint's lint metadata. Profile `graph` (the only one so far)
// reports what makes Graph answer 400 as errors and what is risky as warnings or notices.

import type { Rule } from './finding.ts';
import { GRAPH_CERTIFICATE_ERROR, GRAPH_INVALID_JSON_ERROR, GRAPH_INVALID_VALUES_ERROR, graphReadOnlyError } from './graph-errors.ts';

/** The code of every rule in the catalogue (see docs/rules.md). */
export type RuleCode =
  | 'INPUT_UNREADABLE'
  | 'INPUT_NOT_STRICT_DER'
  | 'INPUT_FILE_UNREADABLE'
  | 'INPUT_PRIVATE_KEY'
  | 'INPUT_NOT_A_CERTIFICATE'
  | 'CA_BASIC_CONSTRAINTS_MISSING'
  | 'CA_BASIC_CONSTRAINTS_NOT_CA'
  | 'CA_BASIC_CONSTRAINTS_NOT_CRITICAL'
  | 'CA_PATH_LEN_NEGATIVE'
  | 'CA_ROOT_PATH_LEN_PRESENT'
  | 'CA_KEY_USAGE_MISSING'
  | 'CA_KEY_USAGE_NO_CERT_SIGN'
  | 'CA_KEY_USAGE_NO_CRL_SIGN'
  | 'CA_SKI_MISSING'
  | 'CA_AKI_MISSING'
  | 'CA_SUBJECT_EMPTY'
  | 'CA_EKU_EXCLUDES_CLIENT_AUTH'
  | 'CA_SELF_ISSUED_NOT_SELF_SIGNED'
  | 'CA_ROOT_AKI_MISMATCH'
  | 'CRL_DP_NOT_HTTP'
  | 'CRL_DP_MULTIPLE'
  | 'CERT_NOT_YET_VALID'
  | 'CERT_EXPIRED'
  | 'CERT_EXPIRING_SOON'
  | 'CERT_VALIDITY_INVERTED'
  | 'CERT_TIME_ENCODING'
  | 'CERT_VERSION_NOT_V3'
  | 'CERT_UNIQUE_IDENTIFIERS'
  | 'CERT_SERIAL_NOT_POSITIVE'
  | 'CERT_SERIAL_TOO_LONG'
  | 'CERT_SIGNATURE_ALGORITHM_MISMATCH'
  | 'CERT_EXTENSION_DUPLICATE'
  | 'CERT_FIELD_MALFORMED'
  | 'CERT_EXTENSION_MALFORMED'
  | 'CERT_EXTENSION_DEFAULT_ENCODED'
  | 'CERT_UNKNOWN_CRITICAL_EXTENSION'
  | 'KEY_RSA_TOO_SMALL'
  | 'KEY_CURVE_NOT_ALLOWED'
  | 'KEY_ALGORITHM_UNSUPPORTED'
  | 'KEY_MALFORMED'
  | 'SIGNATURE_WEAK_HASH'
  | 'DEVICE_IDENTITY_MISSING'
  | 'DEVICE_IS_CA'
  | 'DEVICE_EKU_NO_CLIENT_AUTH'
  | 'DEVICE_KEY_USAGE_NO_DIGITAL_SIGNATURE'
  | 'PAYLOAD_INVALID_JSON'
  | 'PAYLOAD_NOT_AN_OBJECT'
  | 'PAYLOAD_UNKNOWN_PROPERTY'
  | 'PAYLOAD_READ_ONLY_PROPERTY'
  | 'PAYLOAD_WRONG_TYPE'
  | 'PAYLOAD_NULL_NOT_ALLOWED'
  | 'PAYLOAD_MISSING_PROPERTY'
  | 'PAYLOAD_ENUM_INVALID'
  | 'PAYLOAD_PARAMETER_IN_UPDATE'
  | 'PAYLOAD_CERTIFICATE_NOT_BASE64'
  | 'PAYLOAD_CERTIFICATE_BASE64_NOT_CANONICAL'
  | 'PAYLOAD_ODATA_TYPE'
  | 'PAYLOAD_ROOT_FLAG_MISMATCH'
  | 'PAYLOAD_DUPLICATE_CERTIFICATE'
  | 'PAYLOAD_DUPLICATE_SKI'
  | 'PAYLOAD_ISSUER_NOT_IN_LIST'
  | 'PAYLOAD_NO_ROOT'
  | 'PAYLOAD_NO_CERTIFICATE_AUTHORITIES'
  | 'PAYLOAD_TOO_MANY_CERTIFICATE_AUTHORITIES'
  | 'PAYLOAD_CERTIFICATE_TOO_LARGE'
  | 'PAYLOAD_CRL_URL_NOT_HTTP'
  | 'PAYLOAD_DISPLAY_NAME_EMPTY'
  | 'PAYLOAD_DISPLAY_NAME_TOO_LONG'
  | 'VERIFY_NO_PATH'
  | 'VERIFY_PATH_LIMIT'
  | 'VERIFY_SIGNATURE_INVALID'
  | 'VERIFY_SIGNATURE_NOT_VERIFIED'
  | 'VERIFY_EXPIRED'
  | 'VERIFY_NOT_YET_VALID'
  | 'VERIFY_ISSUER_NOT_CA'
  | 'VERIFY_ISSUER_NO_CERT_SIGN'
  | 'VERIFY_PATH_LEN_EXCEEDED'
  | 'VERIFY_UNKNOWN_CRITICAL_EXTENSION'
  | 'VERIFY_FIELD_MALFORMED'
  | 'VERIFY_EKU_NO_CLIENT_AUTH'
  | 'VERIFY_NAME_CONSTRAINTS'
  | 'VERIFY_REVOKED'
  | 'VERIFY_CRL_UNUSABLE'
  | 'VERIFY_CRL_NOT_GIVEN'
  | 'VERIFY_IDENTITY_MISSING'
  | 'VERIFY_IDENTITY_MISMATCH';

type RuleSpec = Omit<Rule, 'code' | 'rejects'> & { readonly rejects?: true };
const G = GRAPH_CERTIFICATE_ERROR;
const CSDL = 'Graph beta CSDL: mutualTlsOauthConfiguration, certificateAuthority (not an open type)';

const SPECS: Record<RuleCode, RuleSpec> = {
  INPUT_UNREADABLE: {
    severity: 'error', appliesTo: 'input', evidence: 'documented', graphError: G,
    description: 'The input is not a well-formed PEM, base64 or certificate structure (truncated, trailing bytes, wrong tags, bad base64): no reader can load it.',
    citation: 'RFC 5280 §4.1; X.690 §8; Graph certificateAuthority.certificate: "the public certificate"',
  },
  INPUT_NOT_STRICT_DER: {
    severity: 'error', appliesTo: 'input', evidence: 'inferred',
    description: 'The certificate breaks a DER rule that lenient readers (OpenSSL, Windows CryptoAPI, and Go for some) accept: an empty RDN SET, an empty extensions SEQUENCE, an explicitly encoded default, a BER length or BOOLEAN. Graph most plausibly loads it, so no 400 is predicted; graph-mtls reads DER strictly and checks it no further, and strict verifiers refuse it.',
    citation: 'X.690 §10, §11.5 (DER); RFC 5280 §4.1 (Name, Extensions SIZE (1..MAX))',
  },
  INPUT_FILE_UNREADABLE: {
    severity: 'error', appliesTo: 'input', evidence: 'documented',
    description: 'A path given could not be read: no such file, permission denied, or a glob that matched nothing.',
    citation: 'the file system (ENOENT, EACCES, ...)',
  },
  INPUT_PRIVATE_KEY: {
    severity: 'error', appliesTo: 'input', evidence: 'documented', graphError: G,
    description: 'The input is a private key (or a PKCS#12 archive); it is refused and its content never shown.',
    citation: 'Graph certificateAuthority.certificate: "the public certificate"',
  },
  INPUT_NOT_A_CERTIFICATE: {
    severity: 'error', appliesTo: 'input', evidence: 'documented', graphError: G,
    description: 'The input is something other than a certificate: a CSR, a CRL, a bare public key, a TRUSTED CERTIFICATE, or unrecognised data.',
    citation: 'Graph certificateAuthority.certificate: "the public certificate"',
  },
  CA_BASIC_CONSTRAINTS_MISSING: {
    severity: 'error', appliesTo: 'ca', evidence: 'inferred', graphError: G,
    description: 'A CA certificate has no basicConstraints extension, so it cannot be a CA.',
    citation: 'RFC 5280 §4.2.1.9, §6.1.4 (k)',
  },
  CA_BASIC_CONSTRAINTS_NOT_CA: {
    severity: 'error', appliesTo: 'ca', evidence: 'inferred', graphError: G,
    description: 'basicConstraints has cA FALSE: the certificate is an end-entity certificate, not a CA.',
    citation: 'RFC 5280 §4.2.1.9, §6.1.4 (k)',
  },
  CA_BASIC_CONSTRAINTS_NOT_CRITICAL: {
    severity: 'warning', appliesTo: 'ca', evidence: 'best-practice',
    description: 'basicConstraints of a CA certificate is not marked critical.',
    citation: 'RFC 5280 §4.2.1.9 ("MUST mark the extension as critical")',
  },
  CA_PATH_LEN_NEGATIVE: {
    severity: 'error', appliesTo: 'ca', evidence: 'inferred', graphError: G,
    description: 'pathLenConstraint is negative; its syntax is INTEGER (0..MAX).',
    citation: 'RFC 5280 §4.2.1.9',
  },
  CA_ROOT_PATH_LEN_PRESENT: {
    severity: 'warning', appliesTo: 'root', evidence: 'best-practice',
    description: 'A root CA carries pathLenConstraint, which limits every chain below it.',
    citation: 'CA/Browser Forum BR §7.1.2.1 (root basicConstraints pathLenConstraint NOT RECOMMENDED); zlint w_root_ca_basic_constraints_path_len_constraint_field_present',
  },
  CA_KEY_USAGE_MISSING: {
    severity: 'warning', appliesTo: 'ca', evidence: 'best-practice',
    description: 'A CA certificate has no keyUsage extension.',
    citation: 'RFC 5280 §4.2.1.3 ("conforming CAs MUST include this extension in certificates that contain public keys that are used to validate digital signatures on other public key certificates")',
  },
  CA_KEY_USAGE_NO_CERT_SIGN: {
    severity: 'error', appliesTo: 'ca', evidence: 'inferred', graphError: G,
    description: 'keyUsage is present but lacks keyCertSign, so the key may not sign certificates.',
    citation: 'RFC 5280 §4.2.1.3, §6.1.4 (n)',
  },
  CA_KEY_USAGE_NO_CRL_SIGN: {
    severity: 'notice', appliesTo: 'ca', evidence: 'best-practice',
    description: 'keyUsage lacks cRLSign, so this CA cannot sign the CRLs Entra fetches for revocation.',
    citation: 'RFC 5280 §4.2.1.3, §6.3.3 (f)',
  },
  CA_SKI_MISSING: {
    severity: 'warning', appliesTo: 'ca', evidence: 'inferred',
    description: 'A CA certificate has no subjectKeyIdentifier; Graph then most plausibly computes the non-nullable issuerSki from the key (SHA-1 of its bits, RFC 5280 §4.2.1.2 method 1), which the AKI of what it issued may not match.',
    citation: 'RFC 5280 §4.2.1.2 ("MUST appear in all conforming CA certificates"); Graph certificateAuthority.issuerSki',
  },
  CA_AKI_MISSING: {
    severity: 'warning', appliesTo: 'intermediate', evidence: 'inferred',
    description: 'An intermediate CA has no authorityKeyIdentifier keyIdentifier, so its issuer cannot be found by issuerSki.',
    citation: 'RFC 5280 §4.2.1.1; MSIdentityTools Test-MsIdCBATrustStoreConfiguration (AKI matched against IssuerSki)',
  },
  CA_SUBJECT_EMPTY: {
    severity: 'error', appliesTo: 'ca', evidence: 'inferred', graphError: G,
    description: 'A CA certificate has an empty subject; Graph computes the non-nullable issuer from it.',
    citation: 'RFC 5280 §4.1.2.6 ("the subject field MUST be populated" for CAs)',
  },
  CA_EKU_EXCLUDES_CLIENT_AUTH: {
    severity: 'warning', appliesTo: 'ca', evidence: 'inferred',
    description: 'The CA restricts extendedKeyUsage without clientAuth or anyExtendedKeyUsage; verifiers that nest EKUs (Windows CryptoAPI, Go) reject device certificates for TLS client authentication.',
    citation: 'RFC 5280 §4.2.1.12; RFC 8705 §2.1',
  },
  CA_SELF_ISSUED_NOT_SELF_SIGNED: {
    severity: 'notice', appliesTo: 'intermediate', evidence: 'inferred',
    description: "A self-issued certificate (subject and issuer the same name) that its own key does not verify: a key-rollover certificate signed by another key of the same CA, so an intermediate (isRootAuthority false). The finding names the certificate whose key verifies it when one is in the same run.",
    citation: 'RFC 5280 §3.1 (key rollover: old with new, new with old), §6.1',
  },
  CA_ROOT_AKI_MISMATCH: {
    severity: 'warning', appliesTo: 'root', evidence: 'best-practice',
    description: 'A self-signed root whose authorityKeyIdentifier differs from its subjectKeyIdentifier; verifiers that follow the AKI look for another issuer.',
    citation: 'RFC 5280 §4.2.1.1 (the keyIdentifier names the key that signed the certificate)',
  },
  CRL_DP_NOT_HTTP: {
    severity: 'warning', appliesTo: 'ca', evidence: 'inferred',
    description: 'A CRL distribution point URL is not http:; Entra fetches CRLs over HTTP only.',
    citation: 'Entra how-to-configure-certificate-authorities ("Only HTTP URLs"); RFC 5280 §4.2.1.13',
  },
  CRL_DP_MULTIPLE: {
    severity: 'notice', appliesTo: 'ca', evidence: 'inferred',
    description: 'More than one CRL URL; certificateRevocationListUrl holds one.',
    citation: 'Entra how-to-configure-certificate-authorities ("Only one CRL Distribution Point"); Graph certificateAuthority.certificateRevocationListUrl',
  },
  CERT_NOT_YET_VALID: {
    severity: 'error', appliesTo: 'any', evidence: 'inferred', graphError: G,
    description: 'notBefore is after the time of the check.',
    citation: 'RFC 5280 §4.1.2.5, §6.1.3 (a)(2)',
  },
  CERT_EXPIRED: {
    severity: 'error', appliesTo: 'any', evidence: 'inferred', graphError: G,
    description: 'notAfter is before the time of the check.',
    citation: 'RFC 5280 §4.1.2.5, §6.1.3 (a)(2); Entra CA store: upload fails while any CA is expired',
  },
  CERT_EXPIRING_SOON: {
    severity: 'warning', appliesTo: 'any', evidence: 'best-practice',
    description: 'notAfter falls within the expiry-warning window (30 days unless configured).',
    citation: 'RFC 5280 §4.1.2.5',
  },
  CERT_VALIDITY_INVERTED: {
    severity: 'error', appliesTo: 'any', evidence: 'inferred', graphError: G,
    description: 'notAfter is earlier than notBefore: the certificate is never valid.',
    citation: 'RFC 5280 §4.1.2.5; zlint e_validity_time_not_positive',
  },
  CERT_TIME_ENCODING: {
    severity: 'warning', appliesTo: 'any', evidence: 'best-practice',
    description: 'A validity date from 1950 through 2049 is encoded as GeneralizedTime; RFC 5280 requires UTCTime for those years.',
    citation: 'RFC 5280 §4.1.2.5',
  },
  CERT_VERSION_NOT_V3: {
    severity: 'warning', appliesTo: 'any', evidence: 'best-practice',
    description: 'The certificate is v1 or v2; only v3 certificates carry the extensions a CA needs.',
    citation: 'RFC 5280 §4.1.2.1',
  },
  CERT_UNIQUE_IDENTIFIERS: {
    severity: 'notice', appliesTo: 'any', evidence: 'best-practice',
    description: 'issuerUniqueID or subjectUniqueID is present.',
    citation: 'RFC 5280 §4.1.2.8 ("CAs conforming to this profile MUST NOT generate certificates with unique identifiers")',
  },
  CERT_SERIAL_NOT_POSITIVE: {
    severity: 'warning', appliesTo: 'any', evidence: 'best-practice',
    description: 'The serial number is zero or negative.',
    citation: 'RFC 5280 §4.1.2.2 ("MUST be a positive integer")',
  },
  CERT_SERIAL_TOO_LONG: {
    severity: 'warning', appliesTo: 'any', evidence: 'best-practice',
    description: 'The serial number is longer than 20 octets.',
    citation: 'RFC 5280 §4.1.2.2',
  },
  CERT_SIGNATURE_ALGORITHM_MISMATCH: {
    severity: 'error', appliesTo: 'any', evidence: 'inferred', graphError: G,
    description: 'signatureAlgorithm differs from tbsCertificate.signature.',
    citation: 'RFC 5280 §4.1.1.2 ("MUST contain the same algorithm identifier")',
  },
  CERT_EXTENSION_DUPLICATE: {
    severity: 'error', appliesTo: 'any', evidence: 'inferred', graphError: G,
    description: 'The same extension appears more than once; verifiers such as OpenSSL reject the certificate.',
    citation: 'RFC 5280 §4.2 ("MUST NOT include more than one instance of a particular extension")',
  },
  CERT_FIELD_MALFORMED: {
    severity: 'error', appliesTo: 'any', evidence: 'inferred', graphError: G,
    description: "An extension Graph reads when it takes a CA (basicConstraints for cA, keyUsage for keyCertSign, subjectKeyIdentifier for issuerSki) does not decode as its RFC 5280 syntax.",
    citation: 'RFC 5280 §4.2.1.2, §4.2.1.3, §4.2.1.9; X.690 §10',
  },
  CERT_EXTENSION_MALFORMED: {
    severity: 'warning', appliesTo: 'any', evidence: 'inferred',
    description: 'An extension Graph has no known reason to decode (authorityKeyIdentifier, subjectAltName, extendedKeyUsage, cRLDistributionPoints) does not decode as its RFC 5280 syntax, or keyUsage names bits RFC 5280 does not define. .NET decodes extensions on demand, so the upload most plausibly succeeds; verifiers that read the extension refuse it.',
    citation: 'RFC 5280 §4.2.1; X.690 §10',
  },
  CERT_EXTENSION_DEFAULT_ENCODED: {
    severity: 'warning', appliesTo: 'any', evidence: 'best-practice',
    description: 'A BOOLEAN DEFAULT FALSE (extension critical, or cA) is encoded explicitly, which DER forbids.',
    citation: 'X.690 §11.5; zlint e_cert_ext_invalid_der, e_basic_constr_invalid_der',
  },
  CERT_UNKNOWN_CRITICAL_EXTENSION: {
    severity: 'warning', appliesTo: 'any', evidence: 'best-practice',
    description: 'A critical extension this tool does not recognise; verifiers that do not know it must reject the certificate.',
    citation: 'RFC 5280 §4.2 ("MUST reject the certificate if it encounters a critical extension it does not recognize")',
  },
  KEY_RSA_TOO_SMALL: {
    severity: 'warning', appliesTo: 'any', evidence: 'best-practice',
    description: 'The RSA key is shorter than 2048 bits.',
    citation: 'NIST SP 800-131A Rev. 2 §3; CA/Browser Forum BR §6.1.5',
  },
  KEY_CURVE_NOT_ALLOWED: {
    severity: 'warning', appliesTo: 'any', evidence: 'best-practice',
    description: 'The EC key is on a curve other than P-256, P-384 or P-521 (or uses explicit parameters).',
    citation: 'RFC 5480 §2.1.1.1; CA/Browser Forum BR §6.1.5',
  },
  KEY_ALGORITHM_UNSUPPORTED: {
    severity: 'warning', appliesTo: 'any', evidence: 'best-practice',
    description: 'The key is neither RSA, EC (P-256/384/521), Ed25519 nor Ed448.',
    citation: 'RFC 5280 §4.1.2.7; RFC 8410',
  },
  KEY_MALFORMED: {
    severity: 'warning', appliesTo: 'any', evidence: 'inferred',
    description: "The public key inside subjectPublicKeyInfo does not decode (an RSA key that is not a DER RSAPublicKey, an EC point off its encoding). Loading a certificate does not decode the key, so no 400 is predicted; every signature the key should verify fails.",
    citation: 'RFC 3279 §2.3; RFC 5480 §2.2',
  },
  SIGNATURE_WEAK_HASH: {
    severity: 'warning', appliesTo: 'any', evidence: 'best-practice',
    description: 'The certificate is signed with MD2, MD5 or SHA-1.',
    citation: 'RFC 6151 (MD5); NIST SP 800-131A Rev. 2 §5 (SHA-1 signatures disallowed)',
  },
  DEVICE_IDENTITY_MISSING: {
    severity: 'error', appliesTo: 'device', evidence: 'documented',
    description: 'The device certificate has no value in the field tlsClientAuthParameter selects, so Entra cannot identify the device.',
    citation: 'RFC 8705 §2.1.2; Graph mutualTlsOauthConfiguration.tlsClientAuthParameter',
  },
  DEVICE_IS_CA: {
    severity: 'warning', appliesTo: 'device', evidence: 'best-practice',
    description: 'A device (end-entity) certificate asserts cA TRUE.',
    citation: 'RFC 5280 §4.2.1.9',
  },
  DEVICE_EKU_NO_CLIENT_AUTH: {
    severity: 'warning', appliesTo: 'device', evidence: 'inferred',
    description: 'The device certificate restricts extendedKeyUsage without clientAuth, so TLS client authentication fails.',
    citation: 'RFC 5280 §4.2.1.12 (id-kp-clientAuth); RFC 8705 §2',
  },
  DEVICE_KEY_USAGE_NO_DIGITAL_SIGNATURE: {
    severity: 'warning', appliesTo: 'device', evidence: 'inferred',
    description: 'The device certificate has keyUsage without digitalSignature, which the TLS CertificateVerify signature needs.',
    citation: 'RFC 5280 §4.2.1.3; RFC 8446 §4.4.3',
  },
  PAYLOAD_INVALID_JSON: {
    severity: 'error', appliesTo: 'payload', evidence: 'inferred', graphError: GRAPH_INVALID_JSON_ERROR,
    description: 'The body is not JSON.',
    citation: 'RFC 8259; Graph errors (BadRequest)',
  },
  PAYLOAD_NOT_AN_OBJECT: {
    severity: 'error', appliesTo: 'payload', evidence: 'inferred', rejects: true,
    description: 'The body, or a certificateAuthorities entry, is not a JSON object (an array, a string, a number, null).',
    citation: 'OData JSON Format 4.01 §4.1; ' + CSDL,
  },
  PAYLOAD_UNKNOWN_PROPERTY: {
    severity: 'error', appliesTo: 'payload', evidence: 'inferred', rejects: true,
    description: "A property the type does not declare, such as the docs' issuerSubjectkeyIdentifier; neither type is open, so OData refuses it.",
    citation: CSDL + '; spec/graph-api.md §1.7',
  },
  PAYLOAD_READ_ONLY_PROPERTY: {
    severity: 'warning', appliesTo: 'payload', evidence: 'inferred',
    description: 'A read-only property (id, deletedDateTime, issuer, issuerSki) is sent with a value; Graph computes it and may refuse it.',
    citation: 'Graph certificateAuthority (issuer, issuerSki "calculated from the certificate value"); directoryObject',
  },
  PAYLOAD_WRONG_TYPE: {
    severity: 'error', appliesTo: 'payload', evidence: 'inferred', rejects: true,
    description: 'A property has the wrong JSON type (a string where a boolean belongs, an object where a list belongs).',
    citation: CSDL,
  },
  PAYLOAD_NULL_NOT_ALLOWED: {
    severity: 'error', appliesTo: 'payload', evidence: 'inferred', rejects: true,
    description: 'A non-nullable property (certificate, isRootAuthority, tlsClientAuthParameter, certificateAuthorities, and the read-only issuer and issuerSki) is null.',
    citation: CSDL + ' (Nullable="false")',
  },
  PAYLOAD_MISSING_PROPERTY: {
    severity: 'error', appliesTo: 'payload', evidence: 'documented', rejects: true,
    description: 'A required property is missing: tlsClientAuthParameter on create, certificate or isRootAuthority in a CA entry.',
    citation: 'Graph create mutualTlsOauthConfiguration ("Required"); ' + CSDL,
  },
  PAYLOAD_ENUM_INVALID: {
    severity: 'error', appliesTo: 'payload', evidence: 'inferred', graphError: GRAPH_INVALID_VALUES_ERROR,
    description: 'tlsClientAuthParameter is not one of the five members (unknownFutureValue included: it is the evolvable-enum sentinel).',
    citation: 'Graph tlsClientRegistrationMetadata; Microsoft API guidelines, evolvable enums',
  },
  PAYLOAD_PARAMETER_IN_UPDATE: {
    severity: 'error', appliesTo: 'payload', evidence: 'inferred', graphError: graphReadOnlyError('tlsClientAuthParameter'),
    description: "An update sends tlsClientAuthParameter, which is read-only after create (delete and recreate the configuration to change it); the directory's read-only answer is inferred, and Graph's read-only convention may let the unchanged value through.",
    citation: 'Graph update mutualTlsOauthConfiguration (tlsClientAuthParameter "Read-only"); Microsoft API guidelines for Graph (a read-only property set to its current value is a no-op)',
  },
  PAYLOAD_CERTIFICATE_NOT_BASE64: {
    severity: 'error', appliesTo: 'payload', evidence: 'inferred', rejects: true,
    description: "certificate is not base64 as .NET's Convert.FromBase64String reads it (characters outside the standard alphabet such as PEM armour or base64url, a length that is not a multiple of 4, a misplaced '='), so the Edm.Binary conversion fails.",
    citation: 'RFC 4648 §4; OData CSDL Edm.Binary; spec/graph-api.md §3.3',
  },
  PAYLOAD_CERTIFICATE_BASE64_NOT_CANONICAL: {
    severity: 'warning', appliesTo: 'payload', evidence: 'inferred',
    description: "certificate holds white space (line-wrapped base64) or set bits before the padding: .NET's Convert.FromBase64String, behind Edm.Binary, skips them, so no 400; strict base64 readers refuse them.",
    citation: 'RFC 4648 §3.3, §3.5; OData CSDL Edm.Binary',
  },
  PAYLOAD_ODATA_TYPE: {
    severity: 'error', appliesTo: 'payload', evidence: 'inferred', rejects: true,
    description: "An @odata.type annotation naming a type the model does not resolve where the property's type belongs ('#microsoft.graph.certificateAuthority', or the same without the '#', which the OData reader also takes).",
    citation: 'OData JSON Format 4.01 §4.5.3; spec/graph-api.md §2.1',
  },
  PAYLOAD_ROOT_FLAG_MISMATCH: {
    severity: 'warning', appliesTo: 'payload', evidence: 'inferred',
    description: 'isRootAuthority disagrees with the certificate: true for a certificate that is not self-issued, or false for one that is.',
    citation: 'Graph certificateAuthority.isRootAuthority; MSIdentityTools Test-MsIdCBATrustStoreConfiguration',
  },
  PAYLOAD_DUPLICATE_CERTIFICATE: {
    severity: 'warning', appliesTo: 'payload', evidence: 'best-practice',
    description: 'The same certificate (same SHA-256) appears twice in certificateAuthorities.',
    citation: 'spec/graph-api.md §3.4 (duplicate CA)',
  },
  PAYLOAD_DUPLICATE_SKI: {
    severity: 'warning', appliesTo: 'payload', evidence: 'inferred',
    description: 'Two different certificates share a subjectKeyIdentifier, so issuerSki cannot tell them apart.',
    citation: 'spec/graph-api.md §3.4; RFC 5280 §4.2.1.2',
  },
  PAYLOAD_ISSUER_NOT_IN_LIST: {
    severity: 'warning', appliesTo: 'payload', evidence: 'inferred',
    description: "An intermediate CA's issuer (its authorityKeyIdentifier, else its issuer DN) is not among the listed CAs, so chains through it may not reach a trusted root.",
    citation: 'MSIdentityTools Test-MsIdCBATrustStoreConfiguration ("issuer not present in the tenant certificate store"); RFC 5280 §6.1',
  },
  PAYLOAD_NO_ROOT: {
    severity: 'warning', appliesTo: 'payload', evidence: 'inferred',
    description: 'No certificateAuthorities entry has isRootAuthority true.',
    citation: 'Graph certificateBasedApplicationConfiguration ("at least one must be isRootAuthority") as the sibling store',
  },
  PAYLOAD_NO_CERTIFICATE_AUTHORITIES: {
    severity: 'warning', appliesTo: 'payload', evidence: 'inferred',
    description: 'A create without certificate authorities, or an update that leaves none: the configuration can authenticate no device.',
    citation: 'Graph create mutualTlsOauthConfiguration; spec/graph-api.md §8 (open question 3)',
  },
  PAYLOAD_TOO_MANY_CERTIFICATE_AUTHORITIES: {
    severity: 'warning', appliesTo: 'payload', evidence: 'inferred',
    description: 'More certificate authorities than Entra stores are known to hold (250 unless configured).',
    citation: 'Entra PKI-based CA store limit (250 CAs), spec/graph-api.md §3.4',
  },
  PAYLOAD_CERTIFICATE_TOO_LARGE: {
    severity: 'warning', appliesTo: 'payload', evidence: 'inferred',
    description: 'A CA certificate larger than Entra stores are known to take (8 KB of DER unless configured).',
    citation: 'Entra PKI-based CA store limit (8 KB per CA file), spec/graph-api.md §3.4',
  },
  PAYLOAD_CRL_URL_NOT_HTTP: {
    severity: 'warning', appliesTo: 'payload', evidence: 'inferred',
    description: 'certificateRevocationListUrl or deltaCertificateRevocationListUrl is not an http: URL.',
    citation: 'Entra how-to-configure-certificate-authorities ("Only HTTP URLs")',
  },
  PAYLOAD_DISPLAY_NAME_EMPTY: {
    severity: 'warning', appliesTo: 'payload', evidence: 'best-practice',
    description: 'displayName is empty or white space only.',
    citation: 'Graph mutualTlsOauthConfiguration.displayName',
  },
  PAYLOAD_DISPLAY_NAME_TOO_LONG: {
    severity: 'warning', appliesTo: 'payload', evidence: 'inferred',
    description: 'displayName is longer than directory display names usually may be (256 characters unless configured).',
    citation: 'Graph mutualTlsOauthConfiguration.displayName; spec/graph-api.md §8 (open question 4)',
  },
  VERIFY_NO_PATH: {
    severity: 'error', appliesTo: 'path', evidence: 'documented',
    description: "No path leads from the device certificate to a root of the configuration: its issuer (by name, and by authorityKeyIdentifier where it has one) is neither a configured CA nor an intermediate the device presents.",
    citation: 'RFC 5280 §6.1; RFC 4158 §2, §3; Entra certificate-based authentication for devices (the chain must end at a configured CA)',
  },
  VERIFY_PATH_LIMIT: {
    severity: 'error', appliesTo: 'path', evidence: 'best-practice',
    description: 'Path building stopped at its bounds (path length, paths tried) before any path passed: a configuration or chain this tangled is refused rather than searched without end.',
    citation: 'RFC 4158 §2.6 (loops), §5 (bounding the search)',
  },
  VERIFY_SIGNATURE_INVALID: {
    severity: 'error', appliesTo: 'path', evidence: 'documented',
    description: "A certificate's signature does not verify with its issuer's key.",
    citation: 'RFC 5280 §6.1.3 (a)(1)',
  },
  VERIFY_SIGNATURE_NOT_VERIFIED: {
    severity: 'warning', appliesTo: 'path', evidence: 'inferred',
    description: 'A signature on the path could not be verified here (no verifier, as in QuickJS, or an algorithm it cannot check): the path is not called trusted.',
    citation: 'RFC 5280 §6.1.3 (a)(1)',
  },
  VERIFY_EXPIRED: {
    severity: 'error', appliesTo: 'path', evidence: 'documented',
    description: 'A certificate of the path, the device certificate or a CA, has expired at the time of the check.',
    citation: 'RFC 5280 §4.1.2.5, §6.1.3 (a)(2)',
  },
  VERIFY_NOT_YET_VALID: {
    severity: 'error', appliesTo: 'path', evidence: 'documented',
    description: 'A certificate of the path is not valid yet at the time of the check.',
    citation: 'RFC 5280 §4.1.2.5, §6.1.3 (a)(2)',
  },
  VERIFY_ISSUER_NOT_CA: {
    severity: 'error', appliesTo: 'path', evidence: 'inferred',
    description: 'A certificate that issues another on the path lacks basicConstraints cA TRUE.',
    citation: 'RFC 5280 §4.2.1.9, §6.1.4 (k)',
  },
  VERIFY_ISSUER_NO_CERT_SIGN: {
    severity: 'error', appliesTo: 'path', evidence: 'inferred',
    description: "An issuer on the path has keyUsage without keyCertSign.",
    citation: 'RFC 5280 §4.2.1.3, §6.1.4 (n)',
  },
  VERIFY_PATH_LEN_EXCEEDED: {
    severity: 'error', appliesTo: 'path', evidence: 'inferred',
    description: "More intermediates follow a CA than its pathLenConstraint allows (a root's constraint applied too, as OpenSSL and Windows do).",
    citation: 'RFC 5280 §4.2.1.9, §6.1.4 (l), (m)',
  },
  VERIFY_UNKNOWN_CRITICAL_EXTENSION: {
    severity: 'error', appliesTo: 'path', evidence: 'inferred',
    description: 'A certificate of the path carries a critical extension the verifier does not recognise.',
    citation: 'RFC 5280 §4.2, §6.1.4 (o)',
  },
  VERIFY_FIELD_MALFORMED: {
    severity: 'error', appliesTo: 'path', evidence: 'inferred',
    description: 'An extension the verifier must read on a path certificate (basicConstraints, keyUsage, extendedKeyUsage) does not decode.',
    citation: 'RFC 5280 §4.2.1; X.690 §10',
  },
  VERIFY_EKU_NO_CLIENT_AUTH: {
    severity: 'error', appliesTo: 'path', evidence: 'inferred',
    description: 'The device certificate restricts extendedKeyUsage to purposes without clientAuth or anyExtendedKeyUsage, so it cannot authenticate a TLS client.',
    citation: 'RFC 5280 §4.2.1.12; RFC 8705 §2',
  },
  VERIFY_NAME_CONSTRAINTS: {
    severity: 'error', appliesTo: 'path', evidence: 'inferred',
    description: "A name of a certificate below a CA with nameConstraints (SAN dNSName, rfc822Name, URI host, iPAddress, or the subject) is outside its permitted subtrees or inside its excluded ones, or has a form whose constraint cannot be evaluated here.",
    citation: 'RFC 5280 §4.2.1.10, §6.1.3 (b), (c)',
  },
  VERIFY_REVOKED: {
    severity: 'error', appliesTo: 'path', evidence: 'inferred',
    description: 'A certificate of the path is listed by a usable CRL of its issuer (given as a file).',
    citation: 'RFC 5280 §5, §6.3; Entra certificate revocation (CRLs fetched from certificateRevocationListUrl)',
  },
  VERIFY_CRL_UNUSABLE: {
    severity: 'warning', appliesTo: 'path', evidence: 'inferred',
    description: "A CRL given for an issuer of the path cannot be used: its signature does not verify, it expired or is not valid yet, it has an unknown critical extension, its scope excludes the certificate, or it is a delta, indirect or partitioned CRL.",
    citation: 'RFC 5280 §5.2, §6.3.3',
  },
  VERIFY_CRL_NOT_GIVEN: {
    severity: 'warning', appliesTo: 'path', evidence: 'inferred',
    description: 'The configuration names a certificateRevocationListUrl for a CA of the path, and no usable CRL of that CA was given: revocation was not checked there.',
    citation: 'Graph certificateAuthority.certificateRevocationListUrl; RFC 5280 §6.3',
  },
  VERIFY_IDENTITY_MISSING: {
    severity: 'error', appliesTo: 'path', evidence: 'documented',
    description: 'The device certificate has no value in the field tlsClientAuthParameter selects (or it does not decode), so Entra cannot identify the device.',
    citation: 'RFC 8705 §2.1.2; Graph mutualTlsOauthConfiguration.tlsClientAuthParameter',
  },
  VERIFY_IDENTITY_MISMATCH: {
    severity: 'error', appliesTo: 'path', evidence: 'documented',
    description: 'None of the values of the selected field matches the value the device is registered under (RFC 8705 §2.1.2 matching).',
    citation: 'RFC 8705 §2.1.2; RFC 4517 §4.2.15',
  },
};

/** Every rule, sorted by code. */
export const RULES: readonly Rule[] = Object.freeze(
  (Object.keys(SPECS) as RuleCode[]).sort().map((code) => {
    const spec = SPECS[code];
    return Object.freeze({ code, ...spec, rejects: spec.rejects ?? spec.graphError !== undefined });
  }),
);

const BY_CODE = new Map(RULES.map((r) => [r.code, r]));

/** The catalogue entry of a rule: severity, applicability, evidence, citation and Graph's 400 body. */
export function getRule(code: RuleCode): Rule {
  return BY_CODE.get(code)!;
}
