// The certificate view (RFC 5280 §4.1): a strict, single-pass read of the Certificate and
// TBSCertificate structure. Names are decoded at parse time; extension contents, the public
// key and the fingerprint are decoded on first access, so bulk work pays only for what it
// reads (the design measured this approach at far above schema-driven parsers).

import { sha256 } from '@noble/hashes/sha2.js';
import {
  DerReader,
  TAG_BIT_STRING,
  TAG_BOOLEAN,
  TAG_INTEGER,
  TAG_OCTET_STRING,
  TAG_OID,
  TAG_SEQUENCE,
  TAG_UTC_TIME,
  contextConstructed,
  contextTag,
} from '../encoding/der.ts';
import { toHex } from '../encoding/hex.ts';
import { InputError } from '../errors.ts';
import { resolveLimits, type Limits } from '../limits.ts';
import { decodeAlgorithmIdentifier, type AlgorithmIdentifier } from './algorithm.ts';
import {
  decodeAuthorityKeyIdentifier,
  decodeBasicConstraints,
  decodeCrlDistributionPoints,
  decodeExtendedKeyUsage,
  decodeKeyUsage,
  decodeSubjectAltName,
  decodeSubjectKeyIdentifier,
  DerExtension,
  type AuthorityKeyIdentifier,
  type BasicConstraints,
  type CrlDistributionPoints,
  type ExtendedKeyUsage,
  type Extension,
  type KeyUsage,
  type SubjectAltName,
} from './extensions.ts';
import { decodeIssuerName, decodeName } from './name/decode.ts';
import { formatRfc4514 } from './name/rfc4514.ts';
import type { Name } from './name/types.ts';
import {
  OID_AUTHORITY_KEY_IDENTIFIER,
  OID_BASIC_CONSTRAINTS,
  OID_CRL_DISTRIBUTION_POINTS,
  OID_EXT_KEY_USAGE,
  OID_KEY_USAGE,
  OID_SUBJECT_ALT_NAME,
  OID_SUBJECT_KEY_IDENTIFIER,
} from './oids.ts';
import { decodePublicKey, type PublicKeyInfo } from './public-key.ts';

/** How parseCertificate reads: the limits, and a faster SHA-256 where the platform has one. */
export interface ParseOptions {
  readonly limits?: Partial<Limits>;
  /** SHA-256 for the fingerprint where the platform has a faster one (node:crypto); default the pure one. */
  readonly sha256?: Sha256;
}

/** A SHA-256 function: the 32-byte digest of `data`. */
export type Sha256 = (data: Uint8Array) => Uint8Array;

/** How a validity time was encoded (RFC 5280 §4.1.2.5: UTCTime through 2049). */
export type TimeEncoding = 'utcTime' | 'generalizedTime';

const UNSET: unique symbol = Symbol('unset');
type Lazy<T> = T | typeof UNSET;

const NONE: readonly never[] = Object.freeze([]);

/**
 * An X.509 v1-v3 certificate read strictly from DER (RFC 5280 §4.1): the TBSCertificate fields
 * at once, the extensions decoded when first read (a malformed one throws then, not before).
 */
export class Certificate {
  /** The DER. Certificates read from one PEM text share buffers of up to 64 KiB; slice() keeps one alone. */
  readonly der: Uint8Array;
  readonly version: number;
  readonly tbsSignatureAlgorithm: AlgorithmIdentifier;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly issuer: Name;
  readonly subject: Name;
  /** notBefore and notAfter in milliseconds since the epoch (what the Date getters hold). */
  readonly notBeforeTime: number;
  readonly notAfterTime: number;
  readonly notBeforeEncoding: TimeEncoding;
  readonly notAfterEncoding: TimeEncoding;
  readonly hasUniqueIdentifiers: boolean;
  readonly extensions: readonly Extension[];
  /** OIDs that appear more than once among the extensions (RFC 5280 §4.2 forbids it). */
  readonly duplicateExtensions: readonly string[];
  readonly limits: Limits;
  readonly #sha256Of: Sha256;

  // Where the parts the views below return lie in `der` (offsets, so a bulk read makes no
  // view it does not hand out).
  readonly #tbsStart: number;
  readonly #tbsEnd: number;
  readonly #serialStart: number;
  readonly #serialEnd: number;
  readonly #spkiStart: number;
  readonly #spkiEnd: number;
  readonly #signatureStart: number;

  #notBefore: Lazy<Date> = UNSET;
  #notAfter: Lazy<Date> = UNSET;
  #serialNumberHex: Lazy<string> = UNSET;
  #subjectDn: Lazy<string> = UNSET;
  #issuerDn: Lazy<string> = UNSET;
  #publicKey: Lazy<PublicKeyInfo> = UNSET;
  #basicConstraints: Lazy<BasicConstraints | undefined> = UNSET;
  #keyUsage: Lazy<KeyUsage | undefined> = UNSET;
  #extendedKeyUsage: Lazy<ExtendedKeyUsage | undefined> = UNSET;
  #subjectKeyIdentifier: Lazy<Uint8Array | undefined> = UNSET;
  #authorityKeyIdentifier: Lazy<AuthorityKeyIdentifier | undefined> = UNSET;
  #subjectAltName: Lazy<SubjectAltName | undefined> = UNSET;
  #crlDistributionPoints: Lazy<CrlDistributionPoints | undefined> = UNSET;
  #sha256: Lazy<string> = UNSET;

  /** Use parseCertificate(). */
  constructor(der: Uint8Array, limits: Limits, sha256Of: Sha256 = sha256) {
    this.der = der;
    this.limits = limits;
    this.#sha256Of = sha256Of;
    if (der.length > limits.maxCertificateBytes) {
      throw new InputError('ERR_LIMIT_EXCEEDED', `certificate: expected at most ${limits.maxCertificateBytes} bytes, received ${der.length}`);
    }
    const top = new DerReader(der, 0, der.length, 0, limits.maxDepth);
    if (top.peek() !== TAG_SEQUENCE) {
      throw new InputError('ERR_NOT_A_CERTIFICATE', `certificate: expected a DER SEQUENCE (0x30), received ${top.done ? 'no data' : `byte 0x${top.peek().toString(16).padStart(2, '0')}`}`, { offset: 0 });
    }
    const cert = top.enter(TAG_SEQUENCE, 'certificate');
    top.finish('certificate');

    const tbs = cert.enter(TAG_SEQUENCE, 'tbsCertificate');
    this.#tbsStart = cert.elementStart;
    this.#tbsEnd = cert.valueEnd;

    let version = 1;
    if (tbs.optional(contextConstructed(0), 'tbsCertificate.version')) {
      const v = tbs.child('tbsCertificate.version');
      v.expect(TAG_INTEGER, 'tbsCertificate.version');
      const n = v.smallInteger('tbsCertificate.version');
      v.finish('tbsCertificate.version');
      if (n === 0) throw new InputError('ERR_DER_BER_ENCODING', 'tbsCertificate.version: expected v1 to be omitted (DEFAULT, DER), received an explicit v1', { offset: v.valueStart });
      if (n !== 1 && n !== 2) throw new InputError('ERR_NOT_A_CERTIFICATE', `tbsCertificate.version: expected v1, v2 or v3, received ${n + 1}`, { offset: v.valueStart });
      version = n + 1;
    }
    this.version = version;

    tbs.expect(TAG_INTEGER, 'tbsCertificate.serialNumber');
    tbs.checkInteger('tbsCertificate.serialNumber');
    this.#serialStart = tbs.valueStart;
    this.#serialEnd = tbs.valueEnd;
    this.tbsSignatureAlgorithm = decodeAlgorithmIdentifier(tbs, 'tbsCertificate.signature');
    this.issuer = decodeIssuerName(tbs, 'tbsCertificate.issuer', limits.maxNameAttributes);

    const validity = tbs.enter(TAG_SEQUENCE, 'tbsCertificate.validity');
    validity.next('tbsCertificate.validity.notBefore');
    this.notBeforeEncoding = validity.tag === TAG_UTC_TIME ? 'utcTime' : 'generalizedTime';
    this.notBeforeTime = validity.time('tbsCertificate.validity.notBefore');
    validity.next('tbsCertificate.validity.notAfter');
    this.notAfterEncoding = validity.tag === TAG_UTC_TIME ? 'utcTime' : 'generalizedTime';
    this.notAfterTime = validity.time('tbsCertificate.validity.notAfter');
    validity.finish('tbsCertificate.validity');

    this.subject = decodeName(tbs, 'tbsCertificate.subject', limits.maxNameAttributes);

    tbs.expect(TAG_SEQUENCE, 'tbsCertificate.subjectPublicKeyInfo');
    this.#spkiStart = tbs.elementStart;
    this.#spkiEnd = tbs.valueEnd;

    const issuerUid = tbs.optional(contextTag(1), 'tbsCertificate.issuerUniqueID');
    const subjectUid = tbs.optional(contextTag(2), 'tbsCertificate.subjectUniqueID');
    this.hasUniqueIdentifiers = issuerUid || subjectUid;

    let extensions: readonly Extension[] = NONE;
    let duplicates: readonly string[] = NONE;
    if (tbs.optional(contextConstructed(3), 'tbsCertificate.extensions')) {
      const wrapper = tbs.child('tbsCertificate.extensions');
      const list = wrapper.only(TAG_SEQUENCE, 'tbsCertificate.extensions');
      if (list.done) {
        throw new InputError('ERR_DER_SIZE_CONSTRAINT', 'tbsCertificate.extensions: expected at least one extension (RFC 5280 §4.1), received an empty SEQUENCE', { offset: list.pos });
      }
      const found: Extension[] = [];
      const twice: string[] = [];
      while (!list.done) {
        // Static names (no string built per extension); errors carry the byte offset.
        const what = 'tbsCertificate.extensions.extension';
        if (found.length >= limits.maxExtensions) {
          throw new InputError('ERR_LIMIT_EXCEEDED', `tbsCertificate.extensions: expected at most ${limits.maxExtensions} extensions, received more`, { offset: list.pos });
        }
        list.expect(TAG_SEQUENCE, what);
        const outside = list.descend(what);
        list.expect(TAG_OID, 'extension.extnID');
        const oid = list.oid('extension.extnID');
        let critical = false;
        let defaultEncoded = false;
        if (list.optional(TAG_BOOLEAN, 'extension.critical')) {
          critical = list.boolean('extension.critical');
          defaultEncoded = !critical;
        }
        list.expect(TAG_OCTET_STRING, 'extension.extnValue');
        const valueStart = list.valueStart;
        const valueEnd = list.valueEnd;
        list.ascend(outside, what);
        // A scan beats a Set for the dozen extensions a certificate has; OIDs are interned.
        for (let i = 0; i < found.length; i++) {
          if (found[i]!.oid === oid) {
            if (!twice.includes(oid)) twice.push(oid);
            break;
          }
        }
        found.push(new DerExtension(oid, critical, defaultEncoded, der, valueStart, valueEnd));
      }
      extensions = found.slice();
      if (twice.length > 0) duplicates = twice;
    }
    this.extensions = extensions;
    this.duplicateExtensions = duplicates;
    tbs.finish('tbsCertificate');

    this.signatureAlgorithm = decodeAlgorithmIdentifier(cert, 'signatureAlgorithm');
    cert.expect(TAG_BIT_STRING, 'signatureValue');
    cert.checkBitString('signatureValue');
    this.#signatureStart = cert.valueStart + 1;
    cert.finish('certificate');
  }

  /** The tbsCertificate TLV: the bytes the issuer signed (a view of `der`). */
  get tbs(): Uint8Array {
    return this.der.subarray(this.#tbsStart, this.#tbsEnd);
  }

  /** The serialNumber INTEGER's content bytes (a view of `der`). */
  get serialNumber(): Uint8Array {
    return this.der.subarray(this.#serialStart, this.#serialEnd);
  }

  get serialNumberHex(): string {
    if (this.#serialNumberHex === UNSET) this.#serialNumberHex = toHex(this.serialNumber);
    return this.#serialNumberHex;
  }

  /** The whole SubjectPublicKeyInfo TLV (a view of `der`). */
  get subjectPublicKeyInfo(): Uint8Array {
    return this.der.subarray(this.#spkiStart, this.#spkiEnd);
  }

  /** The subjectPublicKey BIT STRING contents after the unused-bits octet (a view of `der`): the key's bits. */
  get subjectPublicKey(): Uint8Array {
    const spki = new DerReader(this.der, this.#spkiStart, this.#spkiEnd, 0, this.limits.maxDepth).enter(TAG_SEQUENCE, 'subjectPublicKeyInfo');
    spki.expect(TAG_SEQUENCE, 'subjectPublicKeyInfo.algorithm');
    spki.expect(TAG_BIT_STRING, 'subjectPublicKeyInfo.subjectPublicKey');
    return this.der.subarray(spki.valueStart + 1, spki.valueEnd);
  }

  /** The signature BIT STRING contents after the unused-bits octet (a view of `der`). */
  get signature(): Uint8Array {
    return this.der.subarray(this.#signatureStart);
  }

  get notBefore(): Date {
    if (this.#notBefore === UNSET) this.#notBefore = new Date(this.notBeforeTime);
    return this.#notBefore;
  }

  get notAfter(): Date {
    if (this.#notAfter === UNSET) this.#notAfter = new Date(this.notAfterTime);
    return this.#notAfter;
  }

  /** The subject as an RFC 4514 string (most specific RDN first). */
  get subjectDn(): string {
    if (this.#subjectDn === UNSET) this.#subjectDn = formatRfc4514(this.subject);
    return this.#subjectDn;
  }

  get issuerDn(): string {
    if (this.#issuerDn === UNSET) this.#issuerDn = formatRfc4514(this.issuer);
    return this.#issuerDn;
  }

  get publicKey(): PublicKeyInfo {
    if (this.#publicKey === UNSET) this.#publicKey = decodePublicKey(this.subjectPublicKeyInfo, this.limits.maxDepth);
    return this.#publicKey;
  }

  /** The first extension with this OID. */
  extension(oid: string): Extension | undefined {
    for (const ext of this.extensions) if (ext.oid === oid) return ext;
    return undefined;
  }

  get basicConstraints(): BasicConstraints | undefined {
    if (this.#basicConstraints === UNSET) this.#basicConstraints = this.#decode(OID_BASIC_CONSTRAINTS, decodeBasicConstraints);
    return this.#basicConstraints;
  }

  get keyUsage(): KeyUsage | undefined {
    if (this.#keyUsage === UNSET) this.#keyUsage = this.#decode(OID_KEY_USAGE, decodeKeyUsage);
    return this.#keyUsage;
  }

  get extendedKeyUsage(): ExtendedKeyUsage | undefined {
    if (this.#extendedKeyUsage === UNSET) this.#extendedKeyUsage = this.#decode(OID_EXT_KEY_USAGE, decodeExtendedKeyUsage);
    return this.#extendedKeyUsage;
  }

  get subjectKeyIdentifier(): Uint8Array | undefined {
    if (this.#subjectKeyIdentifier === UNSET) this.#subjectKeyIdentifier = this.#decode(OID_SUBJECT_KEY_IDENTIFIER, decodeSubjectKeyIdentifier);
    return this.#subjectKeyIdentifier;
  }

  get authorityKeyIdentifier(): AuthorityKeyIdentifier | undefined {
    if (this.#authorityKeyIdentifier === UNSET) this.#authorityKeyIdentifier = this.#decode(OID_AUTHORITY_KEY_IDENTIFIER, decodeAuthorityKeyIdentifier);
    return this.#authorityKeyIdentifier;
  }

  get subjectAltName(): SubjectAltName | undefined {
    if (this.#subjectAltName === UNSET) this.#subjectAltName = this.#decode(OID_SUBJECT_ALT_NAME, decodeSubjectAltName);
    return this.#subjectAltName;
  }

  get crlDistributionPoints(): CrlDistributionPoints | undefined {
    if (this.#crlDistributionPoints === UNSET) this.#crlDistributionPoints = this.#decode(OID_CRL_DISTRIBUTION_POINTS, decodeCrlDistributionPoints);
    return this.#crlDistributionPoints;
  }

  /** Lower-case hex SHA-256 of the DER: the certificate's fingerprint. */
  get sha256(): string {
    if (this.#sha256 === UNSET) this.#sha256 = toHex(this.#sha256Of(this.der));
    return this.#sha256;
  }

  #decode<T>(oid: string, decode: (ext: Extension, limits: Limits) => T): T | undefined {
    const ext = this.extension(oid);
    if (ext === undefined) return undefined;
    try {
      return decode(ext, this.limits);
    } catch (error) {
      if (error instanceof InputError) {
        // Offsets inside an extension are relative to its value; say which extension it was.
        throw new InputError(error.code, error.reason, { cause: error });
      }
      throw error;
    }
  }
}

/**
 * Parses one DER certificate strictly; throws InputError with a code and byte offset.
 * @example
 * const device = parseCertificate(deviceDer);
 * const expires = new Date(device.notAfterTime);
 */
export function parseCertificate(der: Uint8Array, options: ParseOptions = {}): Certificate {
  return new Certificate(der, resolveLimits(options.limits), options.sha256);
}
