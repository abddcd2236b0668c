// Decoders for the extensions the checks and identities read (RFC 5280 §4.2.1): basic
// constraints, key usage, extended key usage, subject and authority key identifiers, subject
// alternative name and CRL distribution points. Each takes the extnValue contents and is
// strict: the contents must be exactly one DER value of the extension's syntax.

import {
  DerReader,
  TAG_BIT_STRING,
  TAG_BOOLEAN,
  TAG_INTEGER,
  TAG_OCTET_STRING,
  TAG_OID,
  TAG_SEQUENCE,
  contextConstructed,
  contextTag,
} from '../encoding/der.ts';
import type { Limits } from '../limits.ts';
import { decodeGeneralNames, type GeneralName } from './general-names.ts';

/** A certificate extension as encoded (RFC 5280 §4.1.2.9). */
export interface Extension {
  readonly oid: string;
  readonly critical: boolean;
  /** The extnValue OCTET STRING contents: the DER of the extension's own syntax. */
  readonly value: Uint8Array;
  /** critical was encoded as an explicit FALSE, which DER forbids for a DEFAULT value (X.690 §11.5). */
  readonly defaultEncoded: boolean;
}

/** An extension read from a certificate; `value` is a view of the DER, made when read. */
export class DerExtension implements Extension {
  readonly oid: string;
  readonly critical: boolean;
  readonly defaultEncoded: boolean;
  readonly #bytes: Uint8Array;
  readonly #start: number;
  readonly #end: number;

  constructor(oid: string, critical: boolean, defaultEncoded: boolean, bytes: Uint8Array, start: number, end: number) {
    this.oid = oid;
    this.critical = critical;
    this.defaultEncoded = defaultEncoded;
    this.#bytes = bytes;
    this.#start = start;
    this.#end = end;
  }

  get value(): Uint8Array {
    return this.#bytes.subarray(this.#start, this.#end);
  }

  /** A reader over the value in place (no view made). */
  reader(maxDepth: number): DerReader {
    return new DerReader(this.#bytes, this.#start, this.#end, 0, maxDepth);
  }
}

/** basicConstraints (RFC 5280 §4.2.1.9). */
export interface BasicConstraints {
  readonly critical: boolean;
  readonly ca: boolean;
  /** pathLenConstraint; may be negative when the certificate is malformed (checks report it). */
  readonly pathLen?: number;
  /** cA was encoded as an explicit FALSE (DER forbids encoding a DEFAULT value). */
  readonly defaultEncoded: boolean;
}

export const KEY_USAGE_NAMES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
/** The bits of keyUsage, by their RFC 5280 names. */
export type KeyUsageName = (typeof KEY_USAGE_NAMES)[number];

/** keyUsage (RFC 5280 §4.2.1.3). */
export interface KeyUsage {
  readonly critical: boolean;
  readonly usages: readonly KeyUsageName[];
  /** Set bits past decipherOnly (8), which RFC 5280 does not define and readers ignore. */
  readonly undefinedBits: readonly number[];
}

/** extendedKeyUsage (RFC 5280 §4.2.1.12): the purposes as dotted OIDs. */
export interface ExtendedKeyUsage {
  readonly critical: boolean;
  readonly purposes: readonly string[];
}

/** authorityKeyIdentifier (RFC 5280 §4.2.1.1). */
export interface AuthorityKeyIdentifier {
  readonly keyIdentifier?: Uint8Array;
  readonly issuer?: readonly GeneralName[];
  readonly serialNumber?: Uint8Array;
}

/** subjectAltName (RFC 5280 §4.2.1.6). */
export interface SubjectAltName {
  readonly critical: boolean;
  readonly names: readonly GeneralName[];
}

/** One DistributionPoint of cRLDistributionPoints (RFC 5280 §4.2.1.13). */
export interface DistributionPoint {
  readonly fullName?: readonly GeneralName[];
  /** nameRelativeToCRLIssuer, kept as DER. */
  readonly relativeName?: Uint8Array;
  readonly reasons?: Uint8Array;
  readonly crlIssuer?: readonly GeneralName[];
}

/** cRLDistributionPoints (RFC 5280 §4.2.1.13). */
export interface CrlDistributionPoints {
  readonly critical: boolean;
  readonly points: readonly DistributionPoint[];
  /** Every URI of every fullName, in order. */
  readonly urls: readonly string[];
}

function reader(ext: Extension, limits: Limits): DerReader {
  if (ext instanceof DerExtension) return ext.reader(limits.maxDepth);
  return new DerReader(ext.value, 0, ext.value.length, 0, limits.maxDepth);
}

/** RFC 5280 §4.2.1.9: SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }. */
export function decodeBasicConstraints(ext: Extension, limits: Limits): BasicConstraints {
  const r = reader(ext, limits);
  const seq = r.only(TAG_SEQUENCE, 'basicConstraints');
  let ca = false;
  let defaultEncoded = false;
  let pathLen: number | undefined;
  if (seq.optional(TAG_BOOLEAN, 'basicConstraints.cA')) {
    ca = seq.boolean('basicConstraints.cA');
    defaultEncoded = !ca;
  }
  if (seq.optional(TAG_INTEGER, 'basicConstraints.pathLenConstraint')) {
    pathLen = seq.smallInteger('basicConstraints.pathLenConstraint');
  }
  seq.finish('basicConstraints');
  return pathLen === undefined ? { critical: ext.critical, ca, defaultEncoded } : { critical: ext.critical, ca, pathLen, defaultEncoded };
}

/** RFC 5280 §4.2.1.3: KeyUsage ::= BIT STRING, bit 0 = digitalSignature ... bit 8 = decipherOnly. */
export function decodeKeyUsage(ext: Extension, limits: Limits): KeyUsage {
  const r = reader(ext, limits);
  r.expect(TAG_BIT_STRING, 'keyUsage');
  r.checkBitString('keyUsage');
  r.finish('keyUsage');
  const b = r.bytes;
  let mask = 0;
  let undefinedBits: number[] | undefined;
  for (let i = r.valueStart + 1; i < r.valueEnd; i++) {
    const byte = b[i]!;
    if (byte === 0) continue;
    const first = (i - r.valueStart - 1) * 8;
    for (let bit = 0; bit < 8; bit++) {
      if ((byte & (0x80 >> bit)) === 0) continue;
      if (first + bit < KEY_USAGE_NAMES.length) mask |= 1 << (first + bit);
      else (undefinedBits ??= []).push(first + bit);
    }
  }
  const usages = (): readonly KeyUsageName[] => Object.freeze(KEY_USAGE_NAMES.filter((_, bit) => (mask & (1 << bit)) !== 0));
  if (undefinedBits !== undefined) return Object.freeze({ critical: ext.critical, usages: usages(), undefinedBits: Object.freeze(undefinedBits) });
  // At most 2^10 distinct values: each is made once and shared (frozen).
  const key = mask * 2 + (ext.critical ? 1 : 0);
  let usage = KEY_USAGES.get(key);
  if (usage === undefined) {
    usage = Object.freeze({ critical: ext.critical, usages: usages(), undefinedBits: NO_BITS });
    KEY_USAGES.set(key, usage);
  }
  return usage;
}

const NO_BITS: readonly number[] = Object.freeze([]);

const KEY_USAGES = new Map<number, KeyUsage>();

/** RFC 5280 §4.2.1.12: ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId. */
export function decodeExtendedKeyUsage(ext: Extension, limits: Limits): ExtendedKeyUsage {
  const r = reader(ext, limits);
  const seq = r.only(TAG_SEQUENCE, 'extendedKeyUsage');
  const purposes: string[] = [];
  while (!seq.done) {
    if (purposes.length >= limits.maxSanEntries) throw seq.invalid(`extendedKeyUsage: expected at most ${limits.maxSanEntries} purposes, received more`);
    seq.expect(TAG_OID, 'extendedKeyUsage.purpose');
    purposes.push(seq.oid('extendedKeyUsage.purpose'));
  }
  if (purposes.length === 0) throw r.invalid('extendedKeyUsage: expected at least one KeyPurposeId, received none');
  return { critical: ext.critical, purposes: purposes.slice() };
}

/** RFC 5280 §4.2.1.2: SubjectKeyIdentifier ::= OCTET STRING. */
export function decodeSubjectKeyIdentifier(ext: Extension, limits: Limits): Uint8Array {
  const r = reader(ext, limits);
  r.expect(TAG_OCTET_STRING, 'subjectKeyIdentifier');
  r.finish('subjectKeyIdentifier');
  return r.value();
}

/** RFC 5280 §4.2.1.1: SEQUENCE { [0] KeyIdentifier OPTIONAL, [1] GeneralNames OPTIONAL, [2] serial OPTIONAL }. */
export function decodeAuthorityKeyIdentifier(ext: Extension, limits: Limits): AuthorityKeyIdentifier {
  const r = reader(ext, limits);
  const seq = r.only(TAG_SEQUENCE, 'authorityKeyIdentifier');
  let keyIdentifier: Uint8Array | undefined;
  let issuer: GeneralName[] | undefined;
  let serialNumber: Uint8Array | undefined;
  if (seq.optional(contextTag(0), 'authorityKeyIdentifier.keyIdentifier')) keyIdentifier = seq.value();
  if (seq.optional(contextConstructed(1), 'authorityKeyIdentifier.authorityCertIssuer')) {
    issuer = decodeGeneralNames(seq.child('authorityKeyIdentifier.authorityCertIssuer'), 'authorityKeyIdentifier.authorityCertIssuer', limits.maxSanEntries, limits.maxNameAttributes);
  }
  if (seq.optional(contextTag(2), 'authorityKeyIdentifier.authorityCertSerialNumber')) {
    serialNumber = seq.integerBytes('authorityKeyIdentifier.authorityCertSerialNumber');
  }
  seq.finish('authorityKeyIdentifier');
  const aki: { keyIdentifier?: Uint8Array; issuer?: readonly GeneralName[]; serialNumber?: Uint8Array } = {};
  if (keyIdentifier !== undefined) aki.keyIdentifier = keyIdentifier;
  if (issuer !== undefined) aki.issuer = issuer;
  if (serialNumber !== undefined) aki.serialNumber = serialNumber;
  return aki;
}

/** RFC 5280 §4.2.1.6: SubjectAltName ::= GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName. */
export function decodeSubjectAltName(ext: Extension, limits: Limits): SubjectAltName {
  const r = reader(ext, limits);
  const seq = r.only(TAG_SEQUENCE, 'subjectAltName');
  const names = decodeGeneralNames(seq, 'subjectAltName', limits.maxSanEntries, limits.maxNameAttributes);
  return { critical: ext.critical, names };
}

/**
 * RFC 5280 §4.2.1.13: SEQUENCE OF DistributionPoint { [0] DistributionPointName OPTIONAL,
 * [1] ReasonFlags OPTIONAL, [2] GeneralNames OPTIONAL }, DistributionPointName ::= CHOICE
 * { fullName [0] GeneralNames, nameRelativeToCRLIssuer [1] RDN }.
 */
export function decodeCrlDistributionPoints(ext: Extension, limits: Limits): CrlDistributionPoints {
  const r = reader(ext, limits);
  const seq = r.only(TAG_SEQUENCE, 'cRLDistributionPoints');
  const points: DistributionPoint[] = [];
  const urls: string[] = [];
  // Static names (no string built per point); errors carry the byte offset.
  const what = 'cRLDistributionPoints.DistributionPoint';
  while (!seq.done) {
    if (points.length >= limits.maxSanEntries) throw seq.invalid(`cRLDistributionPoints: expected at most ${limits.maxSanEntries} points, received more`);
    const dp = seq.enter(TAG_SEQUENCE, what);
    const point: { fullName?: GeneralName[]; relativeName?: Uint8Array; reasons?: Uint8Array; crlIssuer?: GeneralName[] } = {};
    if (dp.optional(contextConstructed(0), 'DistributionPoint.distributionPoint')) {
      const name = dp.child('DistributionPoint.distributionPoint');
      if (name.optional(contextConstructed(0), 'DistributionPoint.fullName')) {
        point.fullName = decodeGeneralNames(name.child('DistributionPoint.fullName'), 'DistributionPoint.fullName', limits.maxSanEntries, limits.maxNameAttributes);
        for (const n of point.fullName) if (n.type === 'uri') urls.push(n.value);
      } else {
        name.expect(contextConstructed(1), 'DistributionPoint.nameRelativeToCRLIssuer');
        point.relativeName = name.element();
      }
      name.finish('DistributionPoint.distributionPoint');
    }
    if (dp.optional(contextTag(1), 'DistributionPoint.reasons')) point.reasons = dp.value();
    if (dp.optional(contextConstructed(2), 'DistributionPoint.cRLIssuer')) {
      point.crlIssuer = decodeGeneralNames(dp.child('DistributionPoint.cRLIssuer'), 'DistributionPoint.cRLIssuer', limits.maxSanEntries, limits.maxNameAttributes);
    }
    dp.finish(what);
    points.push(point);
  }
  return { critical: ext.critical, points: points.slice(), urls: urls.slice() };
}
