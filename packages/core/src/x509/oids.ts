// Object identifiers the certificate view and the checks name (RFC 5280 §4.2, RFC 3279,
// RFC 4055, RFC 5480, RFC 5758, RFC 8410), and the readable names they go by.

export const OID_BASIC_CONSTRAINTS = '2.5.29.19';
export const OID_KEY_USAGE = '2.5.29.15';
export const OID_EXT_KEY_USAGE = '2.5.29.37';
export const OID_SUBJECT_KEY_IDENTIFIER = '2.5.29.14';
export const OID_AUTHORITY_KEY_IDENTIFIER = '2.5.29.35';
export const OID_SUBJECT_ALT_NAME = '2.5.29.17';
export const OID_ISSUER_ALT_NAME = '2.5.29.18';
export const OID_CRL_DISTRIBUTION_POINTS = '2.5.29.31';
export const OID_FRESHEST_CRL = '2.5.29.46';
export const OID_NAME_CONSTRAINTS = '2.5.29.30';
export const OID_CERTIFICATE_POLICIES = '2.5.29.32';
export const OID_POLICY_MAPPINGS = '2.5.29.33';
export const OID_POLICY_CONSTRAINTS = '2.5.29.36';
export const OID_INHIBIT_ANY_POLICY = '2.5.29.54';
export const OID_AUTHORITY_INFO_ACCESS = '1.3.6.1.5.5.7.1.1';
export const OID_SUBJECT_INFO_ACCESS = '1.3.6.1.5.5.7.1.11';

// Name attribute types (RFC 4519, RFC 5280 Appendix A, PKCS #9, CA/Browser Forum EV, TCG).
export const OID_CN = '2.5.4.3';
export const OID_SURNAME = '2.5.4.4';
export const OID_SERIAL_NUMBER = '2.5.4.5';
export const OID_C = '2.5.4.6';
export const OID_L = '2.5.4.7';
export const OID_ST = '2.5.4.8';
export const OID_STREET = '2.5.4.9';
export const OID_O = '2.5.4.10';
export const OID_OU = '2.5.4.11';
export const OID_TITLE = '2.5.4.12';
export const OID_DESCRIPTION = '2.5.4.13';
export const OID_BUSINESS_CATEGORY = '2.5.4.15';
export const OID_POSTAL_CODE = '2.5.4.17';
export const OID_PO_BOX = '2.5.4.18';
export const OID_PHONE = '2.5.4.20';
export const OID_X21_ADDRESS = '2.5.4.24';
export const OID_NAME = '2.5.4.41';
export const OID_GIVEN_NAME = '2.5.4.42';
export const OID_INITIALS = '2.5.4.43';
export const OID_GENERATION_QUALIFIER = '2.5.4.44';
export const OID_DN_QUALIFIER = '2.5.4.46';
export const OID_PSEUDONYM = '2.5.4.65';
export const OID_ORGANIZATION_IDENTIFIER = '2.5.4.97';
export const OID_DC = '0.9.2342.19200300.100.1.25';
export const OID_UID = '0.9.2342.19200300.100.1.1';
export const OID_MAIL = '0.9.2342.19200300.100.1.3';
export const OID_EMAIL = '1.2.840.113549.1.9.1';
export const OID_UNSTRUCTURED_NAME = '1.2.840.113549.1.9.2';
export const OID_JURISDICTION_L = '1.3.6.1.4.1.311.60.2.1.1';
export const OID_JURISDICTION_ST = '1.3.6.1.4.1.311.60.2.1.2';
export const OID_JURISDICTION_C = '1.3.6.1.4.1.311.60.2.1.3';
export const OID_TPM_MANUFACTURER = '2.23.133.2.1';
export const OID_TPM_MODEL = '2.23.133.2.2';
export const OID_TPM_VERSION = '2.23.133.2.3';

export const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
export const OID_RSASSA_PSS = '1.2.840.113549.1.1.10';
export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
export const OID_ED25519 = '1.3.101.112';
export const OID_ED448 = '1.3.101.113';
export const OID_DSA = '1.2.840.10040.4.1';

export const OID_PKCS7_SIGNED_DATA = '1.2.840.113549.1.7.2';
export const OID_PKCS7_DATA = '1.2.840.113549.1.7.1';

/** Extensions whose content this library decodes or knows: a critical one not listed is "unknown". */
export const KNOWN_EXTENSIONS: ReadonlyMap<string, string> = new Map([
  [OID_BASIC_CONSTRAINTS, 'basicConstraints'],
  [OID_KEY_USAGE, 'keyUsage'],
  [OID_EXT_KEY_USAGE, 'extendedKeyUsage'],
  [OID_SUBJECT_KEY_IDENTIFIER, 'subjectKeyIdentifier'],
  [OID_AUTHORITY_KEY_IDENTIFIER, 'authorityKeyIdentifier'],
  [OID_SUBJECT_ALT_NAME, 'subjectAltName'],
  [OID_ISSUER_ALT_NAME, 'issuerAltName'],
  [OID_CRL_DISTRIBUTION_POINTS, 'cRLDistributionPoints'],
  [OID_FRESHEST_CRL, 'freshestCRL'],
  [OID_NAME_CONSTRAINTS, 'nameConstraints'],
  [OID_CERTIFICATE_POLICIES, 'certificatePolicies'],
  [OID_POLICY_MAPPINGS, 'policyMappings'],
  [OID_POLICY_CONSTRAINTS, 'policyConstraints'],
  [OID_INHIBIT_ANY_POLICY, 'inhibitAnyPolicy'],
  [OID_AUTHORITY_INFO_ACCESS, 'authorityInfoAccess'],
  [OID_SUBJECT_INFO_ACCESS, 'subjectInfoAccess'],
]);

export const OID_EKU_ANY = '2.5.29.37.0';
export const OID_EKU_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

/** Key purposes (RFC 5280 §4.2.1.12) by their RFC names, for messages. */
export const EXTENDED_KEY_USAGES: ReadonlyMap<string, string> = new Map([
  [OID_EKU_ANY, 'anyExtendedKeyUsage'],
  ['1.3.6.1.5.5.7.3.1', 'serverAuth'],
  [OID_EKU_CLIENT_AUTH, 'clientAuth'],
  ['1.3.6.1.5.5.7.3.3', 'codeSigning'],
  ['1.3.6.1.5.5.7.3.4', 'emailProtection'],
  ['1.3.6.1.5.5.7.3.8', 'timeStamping'],
  ['1.3.6.1.5.5.7.3.9', 'OCSPSigning'],
]);

export interface SignatureAlgorithmInfo {
  readonly name: string;
  /** Digest used, for the weak-hash check; undefined when the scheme fixes it (EdDSA). */
  readonly hash?: 'MD2' | 'MD5' | 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512';
  readonly key: 'rsa' | 'rsa-pss' | 'ec' | 'ed25519' | 'ed448' | 'dsa';
}

export const SIGNATURE_ALGORITHMS: ReadonlyMap<string, SignatureAlgorithmInfo> = new Map([
  ['1.2.840.113549.1.1.2', { name: 'md2WithRSAEncryption', hash: 'MD2', key: 'rsa' }],
  ['1.2.840.113549.1.1.4', { name: 'md5WithRSAEncryption', hash: 'MD5', key: 'rsa' }],
  ['1.2.840.113549.1.1.5', { name: 'sha1WithRSAEncryption', hash: 'SHA-1', key: 'rsa' }],
  ['1.2.840.113549.1.1.14', { name: 'sha224WithRSAEncryption', hash: 'SHA-224', key: 'rsa' }],
  ['1.2.840.113549.1.1.11', { name: 'sha256WithRSAEncryption', hash: 'SHA-256', key: 'rsa' }],
  ['1.2.840.113549.1.1.12', { name: 'sha384WithRSAEncryption', hash: 'SHA-384', key: 'rsa' }],
  ['1.2.840.113549.1.1.13', { name: 'sha512WithRSAEncryption', hash: 'SHA-512', key: 'rsa' }],
  [OID_RSASSA_PSS, { name: 'rsassaPss', key: 'rsa-pss' }],
  ['1.2.840.10045.4.1', { name: 'ecdsaWithSHA1', hash: 'SHA-1', key: 'ec' }],
  ['1.2.840.10045.4.3.1', { name: 'ecdsaWithSHA224', hash: 'SHA-224', key: 'ec' }],
  ['1.2.840.10045.4.3.2', { name: 'ecdsaWithSHA256', hash: 'SHA-256', key: 'ec' }],
  ['1.2.840.10045.4.3.3', { name: 'ecdsaWithSHA384', hash: 'SHA-384', key: 'ec' }],
  ['1.2.840.10045.4.3.4', { name: 'ecdsaWithSHA512', hash: 'SHA-512', key: 'ec' }],
  ['1.2.840.10040.4.3', { name: 'dsaWithSHA1', hash: 'SHA-1', key: 'dsa' }],
  ['2.16.840.1.101.3.4.3.2', { name: 'dsaWithSHA256', hash: 'SHA-256', key: 'dsa' }],
  [OID_ED25519, { name: 'Ed25519', key: 'ed25519' }],
  [OID_ED448, { name: 'Ed448', key: 'ed448' }],
]);

export const HASH_ALGORITHMS: ReadonlyMap<string, 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512'> = new Map([
  ['1.3.14.3.2.26', 'SHA-1'],
  ['2.16.840.1.101.3.4.2.4', 'SHA-224'],
  ['2.16.840.1.101.3.4.2.1', 'SHA-256'],
  ['2.16.840.1.101.3.4.2.2', 'SHA-384'],
  ['2.16.840.1.101.3.4.2.3', 'SHA-512'],
] as const);

export const NAMED_CURVES: ReadonlyMap<string, string> = new Map([
  ['1.2.840.10045.3.1.7', 'P-256'],
  ['1.3.132.0.34', 'P-384'],
  ['1.3.132.0.35', 'P-521'],
  ['1.3.132.0.10', 'secp256k1'],
  ['1.2.840.10045.3.1.1', 'P-192'],
  ['1.3.132.0.33', 'P-224'],
  ['1.3.36.3.3.2.8.1.1.7', 'brainpoolP256r1'],
  ['1.3.36.3.3.2.8.1.1.11', 'brainpoolP384r1'],
  ['1.3.36.3.3.2.8.1.1.13', 'brainpoolP512r1'],
]);

// CRL and CRL entry extensions (RFC 5280 §5.2, §5.3), read by x509/crl.ts.
export const OID_CRL_NUMBER = '2.5.29.20';
export const OID_CRL_REASON = '2.5.29.21';
export const OID_INVALIDITY_DATE = '2.5.29.24';
export const OID_DELTA_CRL_INDICATOR = '2.5.29.27';
export const OID_ISSUING_DISTRIBUTION_POINT = '2.5.29.28';
export const OID_CERTIFICATE_ISSUER = '2.5.29.29';
