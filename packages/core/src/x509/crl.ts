// The CRL view (RFC 5280 §5.1): a strict, single-pass read of CertificateList and TBSCertList,
// in the manner of the certificate view. Every revoked entry is checked in that pass but none
// is kept: a serial lookup builds its index on first use, an entry becomes an object only when
// it is handed out, and extension contents (§5.2, §5.3) are decoded when first read.

import {
  DerReader,
  TAG_BIT_STRING,
  TAG_BOOLEAN,
  TAG_GENERALIZED_TIME,
  TAG_INTEGER,
  TAG_OCTET_STRING,
  TAG_OID,
  TAG_SEQUENCE,
  TAG_UTC_TIME,
  contextConstructed,
  contextTag,
} from '../encoding/der.ts';
import { toHex } from '../encoding/hex.ts';
import { ArgumentError, InputError } from '../errors.ts';
import { resolveLimits, type Limits } from '../limits.ts';
import { decodeAlgorithmIdentifier, type AlgorithmIdentifier } from './algorithm.ts';
import type { TimeEncoding } from './certificate.ts';
import {
  decodeAuthorityKeyIdentifier,
  decodeCrlDistributionPoints,
  DerExtension,
  type AuthorityKeyIdentifier,
  type CrlDistributionPoints,
  type Extension,
} from './extensions.ts';
import { decodeGeneralNames, type GeneralName } from './general-names.ts';
import { decodeIssuerName } from './name/decode.ts';
import { formatRfc4514 } from './name/rfc4514.ts';
import type { Name } from './name/types.ts';
import {
  OID_AUTHORITY_KEY_IDENTIFIER,
  OID_CERTIFICATE_ISSUER,
  OID_CRL_NUMBER,
  OID_CRL_REASON,
  OID_DELTA_CRL_INDICATOR,
  OID_FRESHEST_CRL,
  OID_INVALIDITY_DATE,
  OID_ISSUING_DISTRIBUTION_POINT,
} from './oids.ts';

/** How parseCrl reads: the limits, and the most revoked entries one CRL may list. */
export interface CrlParseOptions {
  /** maxInputBytes bounds the CRL's DER; maxDepth, maxExtensions, maxNameAttributes and maxSanEntries apply as for certificates. */
  readonly limits?: Partial<Limits>;
  /** Most entries in revokedCertificates; past it, ERR_LIMIT_EXCEEDED. Default DEFAULT_MAX_REVOKED_ENTRIES. */
  readonly maxRevokedEntries?: number;
}

/** The default bound on the revoked entries of one CRL. */
export const DEFAULT_MAX_REVOKED_ENTRIES = 1_000_000;

/** CRLReason (RFC 5280 §5.3.1) by its value; 7 is not used. */
const CRL_REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  undefined,
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
] as const;
/** The names of CRLReason (RFC 5280 §5.3.1). */
export type CrlReason = Exclude<(typeof CRL_REASONS)[number], undefined>;

/** ReasonFlags (RFC 5280 §4.2.1.13) by bit number. */
const REASON_FLAGS = [
  'unused',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'privilegeWithdrawn',
  'aACompromise',
] as const;
/** The named bits of ReasonFlags (RFC 5280 §4.2.1.13). */
export type ReasonFlag = (typeof REASON_FLAGS)[number];

/** issuingDistributionPoint (RFC 5280 §5.2.5): the scope of the CRL. */
export interface IssuingDistributionPoint {
  readonly critical: boolean;
  /** distributionPoint as fullName. */
  readonly fullName?: readonly GeneralName[];
  /** distributionPoint as nameRelativeToCRLIssuer, kept as DER. */
  readonly relativeName?: Uint8Array;
  /** Every URI of fullName, in order. */
  readonly urls: readonly string[];
  readonly onlyContainsUserCerts: boolean;
  readonly onlyContainsCACerts: boolean;
  /** Present when the CRL covers only these reasons (a partitioned CRL). */
  readonly onlySomeReasons?: readonly ReasonFlag[];
  readonly indirectCrl: boolean;
  readonly onlyContainsAttributeCerts: boolean;
}

/**
 * CRL extensions this view decodes (RFC 5280 §5.2); a critical one outside this set is listed
 * in unknownCriticalExtensions (issuerAltName and authorityInformationAccess included: they are
 * not read here, and §5.2 says a CRL with a critical extension the reader cannot process must
 * not be used).
 */
const CRL_EXTENSIONS: ReadonlySet<string> = new Set([OID_AUTHORITY_KEY_IDENTIFIER, OID_CRL_NUMBER, OID_DELTA_CRL_INDICATOR, OID_ISSUING_DISTRIBUTION_POINT, OID_FRESHEST_CRL]);
/** The CRL entry extensions of RFC 5280 §5.3. */
const ENTRY_EXTENSIONS: ReadonlySet<string> = new Set([OID_CRL_REASON, OID_INVALIDITY_DATE, OID_CERTIFICATE_ISSUER]);

const TAG_ENUMERATED = 0x0a;
const UNSET: unique symbol = Symbol('unset');
type Lazy<T> = T | typeof UNSET;
const NONE: readonly never[] = Object.freeze([]);

/** One extension as read: where its extnValue contents lie in the DER. */
type Visit = (oid: string, critical: boolean, defaultEncoded: boolean, valueStart: number, valueEnd: number) => void;

/**
 * A certificate revocation list read strictly from DER (RFC 5280 §5.1). The revoked entries are
 * checked when parsed and read again only when looked up (isRevoked) or listed (entries).
 */
export class CertificateList {
  /** The DER. CRLs read from one PEM text may share buffers; slice() keeps one alone. */
  readonly der: Uint8Array;
  /** 1 (version absent) or 2. */
  readonly version: 1 | 2;
  readonly tbsSignatureAlgorithm: AlgorithmIdentifier;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly issuer: Name;
  /** thisUpdate and nextUpdate in milliseconds since the epoch (RFC 5280 §5.1.2.4, §5.1.2.5). */
  readonly thisUpdateTime: number;
  readonly nextUpdateTime: number | undefined;
  readonly thisUpdateEncoding: TimeEncoding;
  readonly nextUpdateEncoding: TimeEncoding | undefined;
  /** How many entries revokedCertificates holds (0 when it is absent). */
  readonly revokedCount: number;
  readonly extensions: readonly Extension[];
  /** OIDs that appear more than once among the CRL extensions (RFC 5280 §4.2 forbids it). */
  readonly duplicateExtensions: readonly string[];
  /** OIDs of critical CRL extensions this view does not decode: RFC 5280 §5.2 says not to use such a CRL. */
  readonly unknownCriticalExtensions: readonly string[];
  /** OIDs of critical entry extensions outside RFC 5280 §5.3, over all entries: §5.3 says not to use such a CRL. */
  readonly unknownCriticalEntryExtensions: readonly string[];
  /**
   * Some entry carries certificateIssuer (RFC 5280 §5.3.3): the CRL is indirect, and an entry
   * without it belongs to the issuer of the entry before, so a serial alone does not name a
   * certificate.
   */
  readonly hasCertificateIssuerEntries: boolean;
  readonly limits: Limits;

  readonly #tbsStart: number;
  readonly #tbsEnd: number;
  readonly #revokedStart: number;
  readonly #revokedEnd: number;
  readonly #signatureStart: number;

  #issuerDn: Lazy<string> = UNSET;
  /** The serial lookup table (see #buildIndex), built on the first lookup, and its hash basis. */
  #index: Uint32Array | undefined;
  #seed = 0;
  #authorityKeyIdentifier: Lazy<AuthorityKeyIdentifier | undefined> = UNSET;
  #crlNumber: Lazy<bigint | undefined> = UNSET;
  #baseCrlNumber: Lazy<bigint | undefined> = UNSET;
  #issuingDistributionPoint: Lazy<IssuingDistributionPoint | undefined> = UNSET;
  #freshestCrl: Lazy<CrlDistributionPoints | undefined> = UNSET;

  /** Use parseCrl(). */
  constructor(der: Uint8Array, limits: Limits, maxRevokedEntries: number = DEFAULT_MAX_REVOKED_ENTRIES) {
    this.der = der;
    this.limits = limits;
    if (der.length > limits.maxInputBytes) {
      throw new InputError('ERR_LIMIT_EXCEEDED', `certificateList: expected at most ${limits.maxInputBytes} bytes, received ${der.length}`);
    }
    const top = new DerReader(der, 0, der.length, 0, limits.maxDepth);
    if (top.peek() !== TAG_SEQUENCE) {
      throw new InputError('ERR_NOT_A_CRL', `certificateList: expected a DER SEQUENCE (0x30), received ${top.done ? 'no data' : `byte 0x${top.peek().toString(16).padStart(2, '0')}`}`, { offset: 0 });
    }
    const crl = top.enter(TAG_SEQUENCE, 'certificateList');
    top.finish('certificateList');

    const tbs = crl.enter(TAG_SEQUENCE, 'tbsCertList');
    this.#tbsStart = crl.elementStart;
    this.#tbsEnd = crl.valueEnd;
    if (tbs.peek() === contextConstructed(0)) {
      throw new InputError('ERR_NOT_A_CRL', 'tbsCertList: expected a TBSCertList (RFC 5280 §5.1), received the [0] version field of a TBSCertificate (a certificate)', { offset: tbs.pos });
    }

    // §5.1.2.1: version is absent (v1) or v2.
    let version: 1 | 2 = 1;
    if (tbs.optional(TAG_INTEGER, 'tbsCertList.version')) {
      const n = tbs.smallInteger('tbsCertList.version');
      if (n !== 1) throw new InputError('ERR_NOT_A_CRL', `tbsCertList.version: expected v2 (1) when present (RFC 5280 §5.1.2.1), received ${n}`, { offset: tbs.valueStart });
      version = 2;
    }
    this.version = version;
    this.tbsSignatureAlgorithm = decodeAlgorithmIdentifier(tbs, 'tbsCertList.signature');
    this.issuer = decodeIssuerName(tbs, 'tbsCertList.issuer', limits.maxNameAttributes);

    tbs.next('tbsCertList.thisUpdate');
    this.thisUpdateEncoding = timeEncoding(tbs.tag);
    this.thisUpdateTime = tbs.time('tbsCertList.thisUpdate');
    const next = tbs.peek();
    if (next === TAG_UTC_TIME || next === TAG_GENERALIZED_TIME) {
      tbs.next('tbsCertList.nextUpdate');
      this.nextUpdateEncoding = timeEncoding(next);
      this.nextUpdateTime = tbs.time('tbsCertList.nextUpdate');
    } else {
      this.nextUpdateEncoding = undefined;
      this.nextUpdateTime = undefined;
    }

    // §5.1.2.6: the list is absent when empty; an empty SEQUENCE, which some CAs write, is read as none.
    let count = 0;
    let entryExtensions = false;
    let indirect = false;
    const unknownEntry = new Set<string>();
    const visitEntry: Visit = (oid, critical) => {
      entryExtensions = true;
      if (oid === OID_CERTIFICATE_ISSUER) indirect = true;
      else if (critical && !ENTRY_EXTENSIONS.has(oid)) unknownEntry.add(oid);
    };
    this.#revokedStart = this.#revokedEnd = tbs.pos;
    if (tbs.peek() === TAG_SEQUENCE) {
      tbs.expect(TAG_SEQUENCE, 'tbsCertList.revokedCertificates');
      this.#revokedStart = tbs.valueStart;
      this.#revokedEnd = tbs.valueEnd;
      const outside = tbs.descend('tbsCertList.revokedCertificates');
      while (!tbs.done) {
        if (count >= maxRevokedEntries) {
          throw new InputError('ERR_LIMIT_EXCEEDED', `tbsCertList.revokedCertificates: expected at most ${maxRevokedEntries} entries, received more`, { offset: tbs.pos });
        }
        readEntry(tbs, limits.maxExtensions, visitEntry);
        count++;
      }
      tbs.ascend(outside, 'tbsCertList.revokedCertificates');
    }
    this.revokedCount = count;
    this.hasCertificateIssuerEntries = indirect;
    this.unknownCriticalEntryExtensions = unknownEntry.size === 0 ? NONE : [...unknownEntry];

    let extensions: readonly Extension[] = NONE;
    let duplicates: readonly string[] = NONE;
    let unknown: readonly string[] = NONE;
    if (tbs.optional(contextConstructed(0), 'tbsCertList.crlExtensions')) {
      const list = tbs.child('tbsCertList.crlExtensions').only(TAG_SEQUENCE, 'tbsCertList.crlExtensions');
      if (list.done) {
        throw new InputError('ERR_DER_SIZE_CONSTRAINT', 'tbsCertList.crlExtensions: expected at least one extension (SIZE (1..MAX), RFC 5280 §5.1), received an empty SEQUENCE', { offset: list.pos });
      }
      const found: DerExtension[] = [];
      const twice: string[] = [];
      const critical: string[] = [];
      readExtensions(list, 'tbsCertList.crlExtensions', limits.maxExtensions, (oid, isCritical, defaultEncoded, start, end) => {
        if (found.some((e) => e.oid === oid) && !twice.includes(oid)) twice.push(oid);
        if (isCritical && !CRL_EXTENSIONS.has(oid) && !critical.includes(oid)) critical.push(oid);
        found.push(new DerExtension(oid, isCritical, defaultEncoded, der, start, end));
      });
      extensions = found;
      if (twice.length > 0) duplicates = twice;
      if (critical.length > 0) unknown = critical;
    }
    this.extensions = extensions;
    this.duplicateExtensions = duplicates;
    this.unknownCriticalExtensions = unknown;
    tbs.finish('tbsCertList');
    if (version === 1 && (extensions.length > 0 || entryExtensions)) {
      throw new InputError('ERR_NOT_A_CRL', 'tbsCertList.version: expected v2 for a CRL with extensions (RFC 5280 §5.1.2.1), received v1 (version absent)', { offset: this.#tbsStart });
    }

    this.signatureAlgorithm = decodeAlgorithmIdentifier(crl, 'signatureAlgorithm');
    crl.expect(TAG_BIT_STRING, 'signatureValue');
    crl.checkBitString('signatureValue');
    this.#signatureStart = crl.valueStart + 1;
    crl.finish('certificateList');
  }

  /** The tbsCertList TLV: the bytes the issuer signed (a view of `der`). */
  get tbs(): Uint8Array {
    return this.der.subarray(this.#tbsStart, this.#tbsEnd);
  }

  /** The signature BIT STRING contents after the unused-bits octet (a view of `der`). */
  get signature(): Uint8Array {
    return this.der.subarray(this.#signatureStart);
  }

  /** The issuer as an RFC 4514 string (most specific RDN first). */
  get issuerDn(): string {
    if (this.#issuerDn === UNSET) this.#issuerDn = formatRfc4514(this.issuer);
    return this.#issuerDn;
  }

  /**
   * The entry that lists `serial`, or undefined. `serial` is the content bytes of the
   * certificate's serialNumber INTEGER (Certificate.serialNumber), compared byte for byte: DER
   * encodes each value one way, so equal serials have equal bytes (00 01 is not DER; it is
   * refused with ArgumentError). The index is built on the first call (one pass over the
   * entries); each lookup after is a hash and a byte comparison. Where a serial is listed
   * twice, the first entry is returned. In an indirect CRL (hasCertificateIssuerEntries) the
   * entry may belong to another issuer, and an entry with reason removeFromCRL (a delta CRL)
   * unrevokes; the caller decides both.
   */
  isRevoked(serial: Uint8Array): RevokedEntry | undefined {
    if (serial.length === 0 || (serial.length > 1 && ((serial[0] === 0 && serial[1]! < 0x80) || (serial[0] === 0xff && serial[1]! >= 0x80)))) {
      throw new ArgumentError('ERR_INVALID_ARGUMENT', `serial: expected the content bytes of a DER INTEGER (at least one byte, no redundant leading byte), received ${serial.length === 0 ? 'none' : `'${toHex(serial.subarray(0, 2))}…'`}`);
    }
    const index = (this.#index ??= this.#buildIndex());
    const mask = index.length / 3 - 1;
    for (let slot = serialHash(serial, 0, serial.length, this.#seed) & mask; index[3 * slot] !== 0; slot = (slot + 1) & mask) {
      if (sameBytes(this.der, index[3 * slot + 1]!, index[3 * slot + 2]!, serial, 0, serial.length)) {
        return new RevokedEntry(this.der, index[3 * slot]! - 1, this.#revokedEnd, this.limits);
      }
    }
    return undefined;
  }

  /** Every revoked entry, in order, each read when reached. */
  *entries(): Generator<RevokedEntry, void, undefined> {
    const r = new DerReader(this.der, this.#revokedStart, this.#revokedEnd, 0, this.limits.maxDepth);
    while (!r.done) {
      r.expect(TAG_SEQUENCE, 'revokedCertificate');
      yield new RevokedEntry(this.der, r.elementStart, r.valueEnd, this.limits);
    }
  }

  /** The first CRL extension with this OID. */
  extension(oid: string): Extension | undefined {
    for (const ext of this.extensions) if (ext.oid === oid) return ext;
    return undefined;
  }

  /** authorityKeyIdentifier (RFC 5280 §5.2.1): keyIdentifier names the signing key. */
  get authorityKeyIdentifier(): AuthorityKeyIdentifier | undefined {
    if (this.#authorityKeyIdentifier === UNSET) this.#authorityKeyIdentifier = decodeExtension(this.extension(OID_AUTHORITY_KEY_IDENTIFIER), 'authorityKeyIdentifier', decodeAuthorityKeyIdentifier, this.limits);
    return this.#authorityKeyIdentifier;
  }

  /** cRLNumber (RFC 5280 §5.2.3). */
  get crlNumber(): bigint | undefined {
    if (this.#crlNumber === UNSET) this.#crlNumber = decodeExtension(this.extension(OID_CRL_NUMBER), 'cRLNumber', decodeCrlNumber, this.limits);
    return this.#crlNumber;
  }

  /** True for a delta CRL: deltaCRLIndicator (RFC 5280 §5.2.4) is present. */
  get isDelta(): boolean {
    return this.extension(OID_DELTA_CRL_INDICATOR) !== undefined;
  }

  /** The BaseCRLNumber of a delta CRL's deltaCRLIndicator (RFC 5280 §5.2.4). */
  get baseCrlNumber(): bigint | undefined {
    if (this.#baseCrlNumber === UNSET) this.#baseCrlNumber = decodeExtension(this.extension(OID_DELTA_CRL_INDICATOR), 'deltaCRLIndicator', decodeCrlNumber, this.limits);
    return this.#baseCrlNumber;
  }

  /** issuingDistributionPoint (RFC 5280 §5.2.5). */
  get issuingDistributionPoint(): IssuingDistributionPoint | undefined {
    if (this.#issuingDistributionPoint === UNSET) this.#issuingDistributionPoint = decodeExtension(this.extension(OID_ISSUING_DISTRIBUTION_POINT), 'issuingDistributionPoint', decodeIssuingDistributionPoint, this.limits);
    return this.#issuingDistributionPoint;
  }

  /** freshestCRL (RFC 5280 §5.2.6): where the delta CRLs are, in cRLDistributionPoints syntax. */
  get freshestCrl(): CrlDistributionPoints | undefined {
    if (this.#freshestCrl === UNSET) this.#freshestCrl = decodeExtension(this.extension(OID_FRESHEST_CRL), 'freshestCRL', decodeCrlDistributionPoints, this.limits);
    return this.#freshestCrl;
  }

  /**
   * An open-addressing table over a hash of each serial's bytes, at most half full: per slot,
   * the entry's offset + 1 (0 for an empty slot) and its serial's start and end. It holds no
   * string or object per entry, so a CRL of a million entries costs a few typed arrays (and a
   * quarter of the time a Map of strings takes). The hash starts from a random basis, so a CRL
   * cannot be written to make its serials collide and the build quadratic (hash flooding).
   */
  #buildIndex(): Uint32Array {
    this.#seed = (Math.random() * 2 ** 32) >>> 0;
    let slots = 2;
    while (slots < 2 * this.revokedCount) slots *= 2;
    const index = new Uint32Array(3 * slots);
    const der = this.der;
    const r = new DerReader(der, this.#revokedStart, this.#revokedEnd, 0, this.limits.maxDepth);
    while (!r.done) {
      r.expect(TAG_SEQUENCE, 'revokedCertificate');
      const entry = r.child('revokedCertificate');
      entry.expect(TAG_INTEGER, 'revokedCertificate.userCertificate');
      const start = entry.valueStart;
      const end = entry.valueEnd;
      let slot = serialHash(der, start, end, this.#seed) & (slots - 1);
      // A serial listed again keeps its first entry.
      while (index[3 * slot] !== 0 && !sameBytes(der, index[3 * slot + 1]!, index[3 * slot + 2]!, der, start, end)) slot = (slot + 1) & (slots - 1);
      if (index[3 * slot] === 0) {
        index[3 * slot] = r.elementStart + 1;
        index[3 * slot + 1] = start;
        index[3 * slot + 2] = end;
      }
    }
    return index;
  }
}

/** One entry of revokedCertificates (RFC 5280 §5.1.2.6); its extensions are decoded when first read. */
export class RevokedEntry {
  /** revocationDate in milliseconds since the epoch. */
  readonly revocationTime: number;
  readonly extensions: readonly Extension[];
  /** Carries certificateIssuer (RFC 5280 §5.3.3): an entry of an indirect CRL. */
  readonly hasCertificateIssuer: boolean;
  /** OIDs of critical entry extensions outside RFC 5280 §5.3. */
  readonly unknownCriticalExtensions: readonly string[];
  readonly #der: Uint8Array;
  readonly #serialStart: number;
  readonly #serialEnd: number;
  readonly #limits: Limits;
  #serialNumberHex: Lazy<string> = UNSET;
  #reasonCode: Lazy<number | undefined> = UNSET;
  #invalidityTime: Lazy<number | undefined> = UNSET;

  /** Use CertificateList.isRevoked() or entries(): reads the entry at der[start, end). */
  constructor(der: Uint8Array, start: number, end: number, limits: Limits) {
    this.#der = der;
    this.#limits = limits;
    const found: DerExtension[] = [];
    const unknown: string[] = [];
    const place = readEntry(new DerReader(der, start, end, 0, limits.maxDepth), limits.maxExtensions, (oid, critical, defaultEncoded, s, e) => {
      if (critical && !ENTRY_EXTENSIONS.has(oid) && !unknown.includes(oid)) unknown.push(oid);
      found.push(new DerExtension(oid, critical, defaultEncoded, der, s, e));
    });
    this.#serialStart = place.serialStart;
    this.#serialEnd = place.serialEnd;
    this.revocationTime = place.time;
    this.extensions = found.length === 0 ? NONE : found;
    this.hasCertificateIssuer = found.some((e) => e.oid === OID_CERTIFICATE_ISSUER);
    this.unknownCriticalExtensions = unknown.length === 0 ? NONE : unknown;
  }

  /** userCertificate: the serial INTEGER's content bytes (a view of the CRL's DER). */
  get serialNumber(): Uint8Array {
    return this.#der.subarray(this.#serialStart, this.#serialEnd);
  }

  /** The serial's content bytes in lower-case hex, as Certificate.serialNumberHex gives them. */
  get serialNumberHex(): string {
    if (this.#serialNumberHex === UNSET) this.#serialNumberHex = toHex(this.serialNumber);
    return this.#serialNumberHex;
  }

  /** The first entry extension with this OID. */
  extension(oid: string): Extension | undefined {
    for (const ext of this.extensions) if (ext.oid === oid) return ext;
    return undefined;
  }

  /** The reasonCode value (RFC 5280 §5.3.1), when present. */
  get reasonCode(): number | undefined {
    if (this.#reasonCode === UNSET) this.#reasonCode = decodeExtension(this.extension(OID_CRL_REASON), 'reasonCode', decodeReasonCode, this.#limits);
    return this.#reasonCode;
  }

  /** The reasonCode by its RFC 5280 §5.3.1 name, when present. */
  get reason(): CrlReason | undefined {
    const code = this.reasonCode;
    return code === undefined ? undefined : CRL_REASONS[code];
  }

  /** invalidityDate (RFC 5280 §5.3.2) in milliseconds since the epoch, when present. */
  get invalidityTime(): number | undefined {
    if (this.#invalidityTime === UNSET) this.#invalidityTime = decodeExtension(this.extension(OID_INVALIDITY_DATE), 'invalidityDate', decodeInvalidityDate, this.#limits);
    return this.#invalidityTime;
  }
}

/**
 * Parses one DER CRL (CertificateList, RFC 5280 §5.1) strictly; throws InputError with a code
 * and byte offset. The signature is not checked here: verify `signature` over `tbs` with the
 * issuer's key, and compare tbsSignatureAlgorithm with signatureAlgorithm (§5.1.1.2).
 * @example
 * const crl = parseCrl(crlDer);
 * const stale = crl.nextUpdateTime !== undefined && crl.nextUpdateTime < Date.now();
 * const entry = crl.isRevoked(parseCertificate(deviceDer).serialNumber);
 */
export function parseCrl(der: Uint8Array, options: CrlParseOptions = {}): CertificateList {
  return new CertificateList(der, resolveLimits(options.limits), options.maxRevokedEntries);
}

/** FNV-1a from `seed`, then MurmurHash3's finalizer, so every bit of the state reaches the slot bits. */
function serialHash(bytes: Uint8Array, start: number, end: number, seed: number): number {
  let h = seed;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function sameBytes(a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let i = 0; i < aEnd - aStart; i++) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}

function timeEncoding(tag: number): TimeEncoding {
  return tag === TAG_UTC_TIME ? 'utcTime' : 'generalizedTime';
}

/**
 * Reads one revokedCertificates entry in place (RFC 5280 §5.1.2.6): SEQUENCE { userCertificate
 * CertificateSerialNumber, revocationDate Time, crlEntryExtensions Extensions OPTIONAL }. An
 * empty crlEntryExtensions, which Extensions' SIZE (1..MAX) forbids, is read as none: the
 * @peculiar/x509 generator writes one on every entry without extensions, and Go and OpenSSL read it.
 */
function readEntry(r: DerReader, maxExtensions: number, visit: Visit): { serialStart: number; serialEnd: number; time: number } {
  r.expect(TAG_SEQUENCE, 'revokedCertificate');
  const outside = r.descend('revokedCertificate');
  r.expect(TAG_INTEGER, 'revokedCertificate.userCertificate');
  r.checkInteger('revokedCertificate.userCertificate');
  const serialStart = r.valueStart;
  const serialEnd = r.valueEnd;
  r.next('revokedCertificate.revocationDate');
  const time = r.time('revokedCertificate.revocationDate');
  if (!r.done) {
    r.expect(TAG_SEQUENCE, 'revokedCertificate.crlEntryExtensions');
    const list = r.descend('revokedCertificate.crlEntryExtensions');
    readExtensions(r, 'revokedCertificate.crlEntryExtensions', maxExtensions, visit);
    r.ascend(list, 'revokedCertificate.crlEntryExtensions');
  }
  r.ascend(outside, 'revokedCertificate');
  return { serialStart, serialEnd, time };
}

/** Reads the Extensions (RFC 5280 §4.1) that `r` holds to its end, handing each to `visit`. */
function readExtensions(r: DerReader, what: string, max: number, visit: Visit): void {
  let count = 0;
  while (!r.done) {
    if (count++ >= max) throw new InputError('ERR_LIMIT_EXCEEDED', `${what}: expected at most ${max} extensions, received more`, { offset: r.pos });
    r.expect(TAG_SEQUENCE, 'extension');
    const outside = r.descend('extension');
    r.expect(TAG_OID, 'extension.extnID');
    const oid = r.oid('extension.extnID');
    let critical = false;
    let defaultEncoded = false;
    if (r.optional(TAG_BOOLEAN, 'extension.critical')) {
      critical = r.boolean('extension.critical');
      defaultEncoded = !critical;
    }
    r.expect(TAG_OCTET_STRING, 'extension.extnValue');
    const start = r.valueStart;
    const end = r.valueEnd;
    r.ascend(outside, 'extension');
    visit(oid, critical, defaultEncoded, start, end);
  }
}

/** Decodes `ext` when present; an error names the extension (its offsets, relative to the value, are dropped). */
function decodeExtension<T>(ext: Extension | undefined, name: string, decode: (ext: DerExtension, limits: Limits) => T, limits: Limits): T | undefined {
  if (ext === undefined) return undefined;
  try {
    return decode(ext as DerExtension, limits);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new InputError(error.code, error.reason.startsWith(name) ? error.reason : `${name}: ${error.reason}`, { cause: error });
  }
}

/** RFC 5280 §5.2.3: CRLNumber ::= INTEGER (0..MAX), at most 20 octets (also BaseCRLNumber, §5.2.4). */
function decodeCrlNumber(ext: DerExtension, limits: Limits): bigint {
  const r = ext.reader(limits.maxDepth);
  r.expect(TAG_INTEGER, 'CRLNumber');
  const bytes = r.integerBytes('CRLNumber');
  r.finish('CRLNumber');
  if (bytes[0]! >= 0x80) throw r.invalid('CRLNumber: expected a non-negative INTEGER (RFC 5280 §5.2.3), received a negative one');
  const magnitude = bytes[0] === 0 ? bytes.length - 1 : bytes.length;
  if (magnitude > 20) throw r.invalid(`CRLNumber: expected at most 20 octets (RFC 5280 §5.2.3), received ${magnitude}`);
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  return value;
}

/** RFC 5280 §5.3.1: CRLReason ::= ENUMERATED, 0 to 10 without 7. */
function decodeReasonCode(ext: DerExtension, limits: Limits): number {
  const r = ext.reader(limits.maxDepth);
  r.expect(TAG_ENUMERATED, 'reasonCode');
  const code = r.smallInteger('reasonCode');
  r.finish('reasonCode');
  if (CRL_REASONS[code] === undefined) throw r.invalid(`reasonCode: expected a CRLReason from 0 to 10 other than 7 (RFC 5280 §5.3.1), received ${code}`);
  return code;
}

/** RFC 5280 §5.3.2: InvalidityDate ::= GeneralizedTime. */
function decodeInvalidityDate(ext: DerExtension, limits: Limits): number {
  const r = ext.reader(limits.maxDepth);
  r.expect(TAG_GENERALIZED_TIME, 'invalidityDate');
  const time = r.time('invalidityDate');
  r.finish('invalidityDate');
  return time;
}

/**
 * RFC 5280 §5.2.5: IssuingDistributionPoint ::= SEQUENCE { distributionPoint [0]
 * DistributionPointName OPTIONAL, onlyContainsUserCerts [1] BOOLEAN DEFAULT FALSE,
 * onlyContainsCACerts [2] BOOLEAN DEFAULT FALSE, onlySomeReasons [3] ReasonFlags OPTIONAL,
 * indirectCRL [4] BOOLEAN DEFAULT FALSE, onlyContainsAttributeCerts [5] BOOLEAN DEFAULT FALSE }
 * (IMPLICIT tags; DistributionPointName as in §4.2.1.13).
 */
function decodeIssuingDistributionPoint(ext: DerExtension, limits: Limits): IssuingDistributionPoint {
  const seq = ext.reader(limits.maxDepth).only(TAG_SEQUENCE, 'issuingDistributionPoint');
  let fullName: GeneralName[] | undefined;
  let relativeName: Uint8Array | undefined;
  const urls: string[] = [];
  if (seq.optional(contextConstructed(0), 'issuingDistributionPoint.distributionPoint')) {
    const name = seq.child('issuingDistributionPoint.distributionPoint');
    if (name.optional(contextConstructed(0), 'issuingDistributionPoint.fullName')) {
      fullName = decodeGeneralNames(name.child('issuingDistributionPoint.fullName'), 'issuingDistributionPoint.fullName', limits.maxSanEntries, limits.maxNameAttributes);
      for (const n of fullName) if (n.type === 'uri') urls.push(n.value);
    } else {
      name.expect(contextConstructed(1), 'issuingDistributionPoint.nameRelativeToCRLIssuer');
      relativeName = name.element();
    }
    name.finish('issuingDistributionPoint.distributionPoint');
  }
  const flag = (n: number, what: string): boolean => seq.optional(contextTag(n), what) && seq.boolean(what);
  const onlyContainsUserCerts = flag(1, 'issuingDistributionPoint.onlyContainsUserCerts');
  const onlyContainsCACerts = flag(2, 'issuingDistributionPoint.onlyContainsCACerts');
  const onlySomeReasons = seq.optional(contextTag(3), 'issuingDistributionPoint.onlySomeReasons') ? reasonFlags(seq, 'issuingDistributionPoint.onlySomeReasons') : undefined;
  const indirectCrl = flag(4, 'issuingDistributionPoint.indirectCRL');
  const onlyContainsAttributeCerts = flag(5, 'issuingDistributionPoint.onlyContainsAttributeCerts');
  seq.finish('issuingDistributionPoint');
  const idp: { -readonly [K in keyof IssuingDistributionPoint]: IssuingDistributionPoint[K] } = {
    critical: ext.critical,
    urls,
    onlyContainsUserCerts,
    onlyContainsCACerts,
    indirectCrl,
    onlyContainsAttributeCerts,
  };
  if (fullName !== undefined) idp.fullName = fullName;
  if (relativeName !== undefined) idp.relativeName = relativeName;
  if (onlySomeReasons !== undefined) idp.onlySomeReasons = onlySomeReasons;
  return idp;
}

/** The named bits of the ReasonFlags BIT STRING just read (RFC 5280 §4.2.1.13: bits 0 to 8). */
function reasonFlags(r: DerReader, what: string): ReasonFlag[] {
  r.checkBitString(what);
  const flags: ReasonFlag[] = [];
  for (let i = r.valueStart + 1; i < r.valueEnd; i++) {
    for (let bit = 0; bit < 8; bit++) {
      if ((r.bytes[i]! & (0x80 >> bit)) === 0) continue;
      const flag = REASON_FLAGS[(i - r.valueStart - 1) * 8 + bit];
      if (flag === undefined) throw r.invalid(`${what}: expected ReasonFlags bits 0 to 8 (RFC 5280 §4.2.1.13), received bit ${(i - r.valueStart - 1) * 8 + bit}`);
      flags.push(flag);
    }
  }
  return flags;
}
