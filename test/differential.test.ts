// Differential test of the certificate view (packages/core/src/x509/certificate.ts) against two
// independent parsers on a generated corpus: @peculiar/asn1-x509 (schema-driven, asn1js) and
// Node's X509Certificate (OpenSSL). Every field is compared per certificate; a failure lists
// each "<certificate label> | <field>: ours=… theirs=…" so the culprit is named. The generator's
// own record of what it wrote (names, SPKI, serial, dates) is a third reference.

import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { AsnConvert } from '@peculiar/asn1-schema';
import * as asn from '@peculiar/asn1-x509';
import { parseCertificate, type Certificate } from '../packages/core/src/x509/certificate.ts';
import type { GeneralName } from '../packages/core/src/x509/general-names.ts';
import type { Name } from '../packages/core/src/x509/name/types.ts';
import { makeCorpus, type CorpusCertificate } from './fixtures/certificates.ts';
import { ab, children, encodeString, ipBytes, type StringKind } from './fixtures/der-builder.ts';

const CORPUS_SIZE = 300;

// ---------------------------------------------------------------------------------------------
// Mismatch collection
// ---------------------------------------------------------------------------------------------

const hex = (b: Uint8Array | ArrayBuffer | undefined | null): string | undefined =>
  b === undefined || b === null ? undefined : Buffer.from(b instanceof ArrayBuffer ? new Uint8Array(b) : b).toString('hex');

function show(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x instanceof Uint8Array ? `0x${hex(x)}` : x instanceof Date ? x.toISOString() : x)) ?? 'undefined';
}

class Mismatches {
  readonly items: string[] = [];
  constructor(readonly label: string) {}
  eq(field: string, ours: unknown, theirs: unknown): void {
    if (show(ours) !== show(theirs)) this.items.push(`${this.label} | ${field}: ours=${show(ours)} theirs=${show(theirs)}`);
  }
}

interface Parsed {
  readonly gen: CorpusCertificate;
  readonly ours: Certificate;
  readonly asn: asn.Certificate;
  readonly node: X509Certificate;
}

type Comparator = (ours: Certificate, other: Omit<Parsed, 'ours'>, m: Mismatches) => void;

// ---------------------------------------------------------------------------------------------
// @peculiar/asn1-x509 side
// ---------------------------------------------------------------------------------------------

const TAG_OF: ReadonlyArray<readonly [keyof asn.AttributeValue, number, StringKind]> = [
  ['utf8String', 0x0c, 'utf8'],
  ['printableString', 0x13, 'printable'],
  ['teletexString', 0x14, 'teletex'],
  ['ia5String', 0x16, 'ia5'],
  ['universalString', 0x1c, 'universal'],
  ['bmpString', 0x1e, 'bmp'],
];

function asnNameView(name: asn.Name): { type: string; tag: number; value: string | undefined; der: string | undefined }[][] {
  return name.map((rdn) =>
    rdn.map((atv) => {
      for (const [field, tag, kind] of TAG_OF) {
        const v = atv.value[field];
        if (typeof v === 'string') return { type: atv.type, tag, value: v, der: hex(encodeString(kind, v)) };
      }
      const any = atv.value.anyValue ? new Uint8Array(atv.value.anyValue) : undefined;
      const tag = any?.[0] ?? -1;
      // asn1-x509's DirectoryString has no VisibleString or NumericString: decode those ASCII types here.
      const text = any && (tag === 0x1a || tag === 0x12) ? Buffer.from(any.subarray(2)).toString('latin1') : undefined;
      return { type: atv.type, tag, value: text, der: hex(any) };
    }),
  );
}

function oursNameView(name: Name): { type: string; tag: number; value: string | undefined; der: string | undefined }[][] {
  return name.rdns.map((rdn) => rdn.map((a) => ({ type: a.type, tag: a.valueTag, value: a.value, der: hex(a.valueDer) })));
}

function compareNames(field: string, ours: Name, theirs: asn.Name, m: Mismatches): void {
  const o = oursNameView(ours);
  const t = asnNameView(theirs);
  m.eq(`${field}.rdnCount`, o.length, t.length);
  for (let i = 0; i < Math.max(o.length, t.length); i++) {
    const or = o[i] ?? [];
    const tr = t[i] ?? [];
    m.eq(`${field}.rdns[${i}].size`, or.length, tr.length);
    for (let j = 0; j < Math.max(or.length, tr.length); j++) {
      m.eq(`${field}.rdns[${i}][${j}].type`, or[j]?.type, tr[j]?.type);
      m.eq(`${field}.rdns[${i}][${j}].valueTag`, or[j]?.tag, tr[j]?.tag);
      // asn1js keeps only the low 16 bits of UniversalString code points above U+FFFF, so those
      // values are left to the OpenSSL and generator comparisons.
      if (tr[j]?.tag === 0x1c && [...(or[j]?.value ?? '')].some((ch) => ch.codePointAt(0)! > 0xffff)) continue;
      m.eq(`${field}.rdns[${i}][${j}].value`, or[j]?.value, tr[j]?.value);
      m.eq(`${field}.rdns[${i}][${j}].valueDer`, or[j]?.der, tr[j]?.der);
    }
  }
}

/** The otherName's value TLV (inside [0] EXPLICIT) read from our whole-otherName DER with der-builder's reader. */
function otherNameValue(der: Uint8Array): string | undefined {
  const parts = children(der);
  return parts[1] ? hex(children(parts[1])[0]) : undefined;
}

function compareGeneralNames(field: string, ours: readonly GeneralName[] | undefined, theirs: readonly asn.GeneralName[] | undefined, m: Mismatches): void {
  m.eq(`${field}.count`, ours?.length, theirs?.length);
  const n = Math.max(ours?.length ?? 0, theirs?.length ?? 0);
  for (let i = 0; i < n; i++) {
    const o = ours?.[i];
    const t = theirs?.[i];
    const f = `${field}[${i}]`;
    if (!t || !o) {
      m.eq(f, o?.type, t ? 'present' : undefined);
      continue;
    }
    if (t.dNSName !== undefined) m.eq(f, o, { type: 'dns', value: t.dNSName });
    else if (t.rfc822Name !== undefined) m.eq(f, o, { type: 'email', value: t.rfc822Name });
    else if (t.uniformResourceIdentifier !== undefined) m.eq(f, o, { type: 'uri', value: t.uniformResourceIdentifier });
    else if (t.registeredID !== undefined) m.eq(f, o, { type: 'registeredId', value: t.registeredID });
    else if (t.iPAddress !== undefined) {
      m.eq(`${f}.type`, o.type, 'ip');
      if (o.type !== 'ip') continue;
      m.eq(`${f}.bytes`, hex(o.bytes), hex(ipBytes(t.iPAddress)));
      // asn1-x509 writes RFC 5952 text except for IPv4-mapped addresses, which RFC 5952 §5 writes mixed.
      const bytes = ipBytes(t.iPAddress);
      const mapped = bytes.length === 16 && bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
      m.eq(`${f}.value`, o.value, mapped ? `::ffff:${[...bytes.subarray(12)].join('.')}` : t.iPAddress);
    } else if (t.directoryName !== undefined) {
      m.eq(`${f}.type`, o.type, 'directoryName');
      if (o.type === 'directoryName') compareNames(`${f}.directoryName`, o.name, t.directoryName, m);
    } else if (t.otherName !== undefined) {
      m.eq(`${f}.type`, o.type, 'otherName');
      if (o.type !== 'otherName') continue;
      m.eq(`${f}.typeId`, o.typeId, t.otherName.typeId);
      m.eq(`${f}.value`, otherNameValue(o.der), hex(t.otherName.value));
    } else if (t.x400Address !== undefined) {
      m.eq(`${f}.type`, o.type, 'x400Address');
    } else if (t.ediPartyName !== undefined) {
      m.eq(`${f}.type`, o.type, 'ediPartyName');
    } else {
      m.eq(f, o.type, 'unrecognised by asn1-x509');
    }
  }
}

function asnExtension(a: asn.Certificate, oid: string): asn.Extension | undefined {
  return a.tbsCertificate.extensions?.find((e) => e.extnID === oid);
}

function asnExtensionValue<T>(a: asn.Certificate, oid: string, type: new () => T): { critical: boolean; value: T } | undefined {
  const e = asnExtension(a, oid);
  return e ? { critical: e.critical, value: AsnConvert.parse(e.extnValue.buffer, type) } : undefined;
}

const KU_ORDER = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];

const asnComparators: Record<string, Comparator> = {
  'version and serial': (ours, { asn: a }, m) => {
    m.eq('version', ours.version, a.tbsCertificate.version + 1);
    m.eq('serialNumber', hex(ours.serialNumber), hex(a.tbsCertificate.serialNumber));
    m.eq('serialNumberHex', ours.serialNumberHex, hex(a.tbsCertificate.serialNumber));
    m.eq('hasUniqueIdentifiers', ours.hasUniqueIdentifiers, a.tbsCertificate.issuerUniqueID !== undefined || a.tbsCertificate.subjectUniqueID !== undefined);
  },
  'signature algorithms': (ours, { asn: a }, m) => {
    const params = (p: ArrayBuffer | null | undefined): string | undefined => (p === null ? '0500' : hex(p));
    m.eq('signatureAlgorithm.oid', ours.signatureAlgorithm.oid, a.signatureAlgorithm.algorithm);
    m.eq('signatureAlgorithm.parameters', hex(ours.signatureAlgorithm.parameters), params(a.signatureAlgorithm.parameters));
    m.eq('tbsSignatureAlgorithm.oid', ours.tbsSignatureAlgorithm.oid, a.tbsCertificate.signature.algorithm);
    m.eq('tbsSignatureAlgorithm.parameters', hex(ours.tbsSignatureAlgorithm.parameters), params(a.tbsCertificate.signature.parameters));
    m.eq('signature', hex(ours.signature), hex(a.signatureValue));
  },
  'issuer and subject': (ours, { asn: a }, m) => {
    compareNames('issuer', ours.issuer, a.tbsCertificate.issuer, m);
    compareNames('subject', ours.subject, a.tbsCertificate.subject, m);
  },
  validity: (ours, { asn: a }, m) => {
    const v = a.tbsCertificate.validity;
    m.eq('notBefore', ours.notBefore, v.notBefore.getTime());
    m.eq('notAfter', ours.notAfter, v.notAfter.getTime());
    m.eq('notBeforeEncoding', ours.notBeforeEncoding, v.notBefore.utcTime ? 'utcTime' : 'generalizedTime');
    m.eq('notAfterEncoding', ours.notAfterEncoding, v.notAfter.utcTime ? 'utcTime' : 'generalizedTime');
  },
  'public key algorithm': (ours, { asn: a }, m) => {
    const spki = a.tbsCertificate.subjectPublicKeyInfo;
    m.eq('publicKey.oid', ours.publicKey.oid, spki.algorithm.algorithm);
    if (spki.algorithm.algorithm === '1.2.840.10045.2.1' && spki.algorithm.parameters) {
      const p = new Uint8Array(spki.algorithm.parameters);
      const names: Record<string, string> = { '2a8648ce3d030107': 'P-256', '2b81040022': 'P-384', '2b81040023': 'P-521', '2b8104000a': 'secp256k1' };
      m.eq('publicKey.curve', ours.publicKey.curve, names[hex(p.subarray(2))!] ?? `unmapped ${hex(p)}`);
    }
  },
  'extension list': (ours, { asn: a }, m) => {
    const theirs = a.tbsCertificate.extensions ?? [];
    m.eq('extensions.count', ours.extensions.length, theirs.length);
    for (let i = 0; i < Math.max(ours.extensions.length, theirs.length); i++) {
      const o = ours.extensions[i];
      const t = theirs[i];
      m.eq(`extensions[${i}].oid`, o?.oid, t?.extnID);
      m.eq(`extensions[${i}].critical`, o?.critical, t?.critical);
      m.eq(`extensions[${i}].value`, hex(o?.value), hex(t?.extnValue.buffer));
    }
  },
  basicConstraints: (ours, { asn: a }, m) => {
    const t = asnExtensionValue(a, asn.id_ce_basicConstraints, asn.BasicConstraints);
    const o = ours.basicConstraints;
    m.eq('basicConstraints', o && { critical: o.critical, ca: o.ca, pathLen: o.pathLen }, t && { critical: t.critical, ca: t.value.cA, pathLen: t.value.pathLenConstraint });
  },
  keyUsage: (ours, { asn: a }, m) => {
    const t = asnExtensionValue(a, asn.id_ce_keyUsage, asn.KeyUsage);
    const flags = t?.value.toNumber() ?? 0;
    m.eq('keyUsage', ours.keyUsage, t && { critical: t.critical, usages: KU_ORDER.filter((_n, bit) => (flags & (1 << bit)) !== 0), undefinedBits: [] });
  },
  extendedKeyUsage: (ours, { asn: a }, m) => {
    const t = asnExtensionValue(a, asn.id_ce_extKeyUsage, asn.ExtendedKeyUsage);
    m.eq('extendedKeyUsage', ours.extendedKeyUsage, t && { critical: t.critical, purposes: [...t.value] });
  },
  subjectKeyIdentifier: (ours, { asn: a }, m) => {
    const t = asnExtensionValue(a, asn.id_ce_subjectKeyIdentifier, asn.SubjectKeyIdentifier);
    m.eq('subjectKeyIdentifier', hex(ours.subjectKeyIdentifier), hex(t?.value.buffer));
  },
  authorityKeyIdentifier: (ours, { asn: a }, m) => {
    const t = asnExtensionValue(a, asn.id_ce_authorityKeyIdentifier, asn.AuthorityKeyIdentifier);
    const o = ours.authorityKeyIdentifier;
    m.eq('authorityKeyIdentifier.present', o !== undefined, t !== undefined);
    m.eq('authorityKeyIdentifier.keyIdentifier', hex(o?.keyIdentifier), hex(t?.value.keyIdentifier?.buffer));
    m.eq('authorityKeyIdentifier.serialNumber', hex(o?.serialNumber), hex(t?.value.authorityCertSerialNumber));
    compareGeneralNames('authorityKeyIdentifier.issuer', o?.issuer, t?.value.authorityCertIssuer, m);
  },
  subjectAltName: (ours, { asn: a }, m) => {
    const t = asnExtensionValue(a, asn.id_ce_subjectAltName, asn.SubjectAlternativeName);
    const o = ours.subjectAltName;
    m.eq('subjectAltName.critical', o?.critical, t?.critical);
    compareGeneralNames('subjectAltName', o?.names, t ? [...t.value] : undefined, m);
  },
  crlDistributionPoints: (ours, { asn: a }, m) => {
    const t = asnExtensionValue(a, asn.id_ce_cRLDistributionPoints, asn.CRLDistributionPoints);
    const o = ours.crlDistributionPoints;
    m.eq('crlDistributionPoints.critical', o?.critical, t?.critical);
    m.eq('crlDistributionPoints.count', o?.points.length, t?.value.length);
    const theirUrls: string[] = [];
    t?.value.forEach((p, i) => {
      const full = p.distributionPoint?.fullName;
      const op = o?.points[i];
      compareGeneralNames(`crlDistributionPoints[${i}].fullName`, op?.fullName, full, m);
      m.eq(`crlDistributionPoints[${i}].relativeName.present`, op?.relativeName !== undefined, p.distributionPoint?.nameRelativeToCRLIssuer !== undefined);
      m.eq(`crlDistributionPoints[${i}].reasons`, hex(op?.reasons), p.reasons ? hex(Uint8Array.of(p.reasons.unusedBits, ...new Uint8Array(p.reasons.value))) : undefined);
      compareGeneralNames(`crlDistributionPoints[${i}].cRLIssuer`, op?.crlIssuer, p.cRLIssuer, m);
      for (const g of full ?? []) if (g.uniformResourceIdentifier !== undefined) theirUrls.push(g.uniformResourceIdentifier);
    });
    m.eq('crlDistributionPoints.urls', o?.urls, t && theirUrls);
  },
};

// ---------------------------------------------------------------------------------------------
// Generator ground truth (what makeCertificate wrote)
// ---------------------------------------------------------------------------------------------

const generatorComparators: Record<string, Comparator> = {
  'bytes the generator wrote': (ours, { gen }, m) => {
    m.eq('der', hex(ours.der), hex(gen.der));
    m.eq('version', ours.version, gen.version);
    m.eq('serialNumber', hex(ours.serialNumber), hex(gen.serialNumber));
    m.eq('subject.der', hex(ours.subject.der), hex(gen.subjectDer));
    m.eq('issuer.der', hex(ours.issuer.der), hex(gen.issuerDer));
    m.eq('publicKey.spki', hex(ours.publicKey.spki), hex(gen.key.spki));
    m.eq('subjectPublicKeyInfo', hex(ours.subjectPublicKeyInfo), hex(gen.key.spki));
    m.eq('notBefore', ours.notBefore, gen.notBefore);
    m.eq('notAfter', ours.notAfter, gen.notAfter);
    m.eq('publicKey.bits', ours.publicKey.bits, gen.key.bits);
    m.eq('publicKey.curve', ours.publicKey.curve, gen.key.curve);
    m.eq('tbs is the signed part', hex(ours.tbs), hex(children(gen.der)[0]));
  },
};

// ---------------------------------------------------------------------------------------------
// Node (OpenSSL) side
// ---------------------------------------------------------------------------------------------

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** OpenSSL's ASN1_TIME_print form: 'Jan  1 00:00:00 2024 GMT'. */
function opensslDate(text: string): number {
  const m = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4}) GMT$/.exec(text);
  if (!m) return NaN;
  const d = new Date(0);
  d.setUTCFullYear(Number(m[6]), MONTHS.indexOf(m[1]!), Number(m[2]));
  d.setUTCHours(Number(m[3]), Number(m[4]), Number(m[5]), 0);
  return d.getTime();
}

// OpenSSL short names (XN_FLAG_FN_SN) of the attribute types in the corpus.
const OPENSSL_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN', '2.5.4.4': 'SN', '2.5.4.5': 'serialNumber', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST',
  '2.5.4.9': 'street', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.12': 'title', '2.5.4.17': 'postalCode',
  '2.5.4.42': 'GN', '2.5.4.43': 'initials', '2.5.4.46': 'dnQualifier', '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.25': 'DC', '0.9.2342.19200300.100.1.1': 'UID', '1.2.840.113549.1.9.1': 'emailAddress',
  '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionC', '2.5.4.24': 'x121Address',
};

/**
 * Splits OpenSSL's escaped name text into RDNs of [type, value]: `rdnSep` between RDNs,
 * `avaSep` inside one, RFC 2253 backslash escapes (`\,` or `\XX` hex bytes) undone.
 */
function parseOpensslName(text: string, rdnSep: string, avaSep: string): [string, string][][] {
  const rdns: [string, string][][] = [];
  let rdn: [string, string][] = [];
  let cur = '';
  let bytes: number[] = [];
  const flushBytes = (): void => {
    if (bytes.length) cur += Buffer.from(bytes).toString('utf8');
    bytes = [];
  };
  const endAva = (): void => {
    flushBytes();
    const eq = cur.indexOf('=');
    rdn.push(eq < 0 ? [cur, ''] : [cur.slice(0, eq), cur.slice(eq + 1)]);
    cur = '';
  };
  for (let i = 0; i < text.length; ) {
    const ch = text[i]!;
    if (ch === '\\') {
      const h = text.slice(i + 1, i + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(h)) {
        bytes.push(parseInt(h, 16));
        i += 3;
      } else {
        flushBytes();
        cur += text[i + 1] ?? '';
        i += 2;
      }
      continue;
    }
    if (text.startsWith(avaSep, i)) {
      endAva();
      i += avaSep.length;
      continue;
    }
    if (text.startsWith(rdnSep, i)) {
      endAva();
      rdns.push(rdn);
      rdn = [];
      i += rdnSep.length;
      continue;
    }
    flushBytes();
    cur += ch;
    i++;
  }
  endAva();
  rdns.push(rdn);
  return rdns;
}

function compareOpensslName(field: string, ours: Name, text: string | undefined, reversed: boolean, rdnSep: string, avaSep: string, m: Mismatches): void {
  const expected = ours.rdns.map((rdn) => rdn.map((a) => [OPENSSL_NAMES[a.type] ?? a.type, a.value ?? `(non-string ${a.valueTag})`] as [string, string]));
  // XN_FLAG_DN_REV prints the entries last-first, inside a multi-valued RDN too.
  if (reversed) {
    expected.reverse();
    for (const rdn of expected) rdn.reverse();
  }
  if (text === undefined || text === '') {
    m.eq(field, expected, []);
    return;
  }
  m.eq(field, expected, parseOpensslName(text, rdnSep, avaSep));
}

/** Splits Node's subjectAltName text ('DNS:a, IP Address:1.2.3.4, URI:"…\u002c…"') into [prefix, value]. */
function parseNodeSan(text: string): [string, string][] {
  const prefixes = ['DNS:', 'email:', 'URI:', 'IP Address:', 'DirName:', 'Registered ID:', 'othername:', 'X400Name:', 'EdiPartyName:'];
  const out: [string, string][] = [];
  let i = 0;
  const readValue = (): string => {
    if (text[i] === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const v = JSON.parse(text.slice(i, j + 1)) as string;
      i = j + 1;
      return v;
    }
    const end = text.indexOf(', ', i);
    const v = end < 0 ? text.slice(i) : text.slice(i, end);
    i = end < 0 ? text.length : end;
    return v;
  };
  while (i < text.length) {
    const prefix = prefixes.find((p) => text.startsWith(p, i));
    if (!prefix) {
      out.push(['?', text.slice(i)]);
      break;
    }
    i += prefix.length;
    let value: string;
    if (prefix === 'othername:' && !text.startsWith('<unsupported>', i)) {
      const colon = text.indexOf(':', i);
      const kind = text.slice(i, colon + 1);
      i = colon + 1;
      value = kind + readValue();
    } else value = readValue();
    out.push([prefix, value]);
    if (text.startsWith(', ', i)) i += 2;
  }
  return out;
}

const nodeComparators: Record<string, Comparator> = {
  'serial number': (ours, { node: n }, m) => {
    m.eq('serialNumber', BigInt(`0x${ours.serialNumberHex}`).toString(16).toUpperCase(), BigInt(`0x${n.serialNumber}`).toString(16).toUpperCase());
  },
  validity: (ours, { node: n }, m) => {
    m.eq('notBefore', ours.notBefore.getTime(), opensslDate(n.validFrom));
    m.eq('notAfter', ours.notAfter.getTime(), opensslDate(n.validTo));
  },
  fingerprint: (ours, { node: n }, m) => {
    m.eq('sha256', ours.sha256, n.fingerprint256.replaceAll(':', '').toLowerCase());
  },
  'ca flag': (ours, { node: n }, m) => {
    // X509_check_ca() == 1: basicConstraints cA TRUE, and keyUsage (if present) allows keyCertSign.
    const bc = ours.basicConstraints;
    const ku = ours.keyUsage;
    m.eq('ca (basicConstraints.ca and keyUsage keyCertSign)', bc?.ca === true && (ku === undefined || ku.usages.includes('keyCertSign')), n.ca);
  },
  'subject and issuer': (ours, { node: n }, m) => {
    compareOpensslName('subject', ours.subject, n.subject, false, '\n', ' + ', m);
    compareOpensslName('issuer', ours.issuer, n.issuer, false, '\n', ' + ', m);
  },
  subjectAltName: (ours, { node: n }, m) => {
    const theirs = n.subjectAltName === undefined ? undefined : parseNodeSan(n.subjectAltName);
    const o = ours.subjectAltName?.names;
    m.eq('subjectAltName.count', o?.length, theirs?.length);
    for (let i = 0; i < Math.max(o?.length ?? 0, theirs?.length ?? 0); i++) {
      const g = o?.[i];
      const t = theirs?.[i];
      const f = `subjectAltName[${i}]`;
      if (!g || !t) {
        m.eq(f, g?.type, t?.[0]);
        continue;
      }
      switch (g.type) {
        case 'dns':
          m.eq(f, ['DNS:', g.value], t);
          break;
        case 'email':
          m.eq(f, ['email:', g.value], t);
          break;
        case 'uri':
          m.eq(f, ['URI:', g.value], t);
          break;
        case 'registeredId':
          m.eq(f, ['Registered ID:', g.value], t);
          break;
        case 'ip':
          m.eq(`${f}.type`, 'IP Address:', t[0]);
          m.eq(`${f}.bytes`, hex(g.bytes), t[0] === 'IP Address:' ? hex(ipBytes(t[1])) : t[1]);
          break;
        case 'directoryName':
          m.eq(`${f}.type`, 'DirName:', t[0]);
          // Node prints the DirName in RFC 2253 order (last RDN first), ',' and '+' separated.
          compareOpensslName(`${f}.directoryName`, g.name, t[1], true, ',', '+', m);
          break;
        case 'otherName': {
          // OpenSSL names only a few otherName types; the UPN value is printed.
          if (g.typeId === '1.3.6.1.4.1.311.20.2.3') {
            const value = children(children(g.der)[1]!)[0]!;
            m.eq(f, ['othername:', `UPN:${Buffer.from(value.subarray(2)).toString('utf8')}`], t);
          } else m.eq(f, ['othername:', '<unsupported>'], t);
          break;
        }
        default:
          m.eq(`${f}.type`, g.type, t[0]);
      }
    }
  },
  'public key': (ours, { node: n }, m) => {
    const k = n.publicKey;
    const pk = ours.publicKey;
    m.eq('publicKey.algorithm', pk.algorithm, k.asymmetricKeyType);
    m.eq('publicKey.spki', hex(pk.spki), hex(new Uint8Array(k.export({ type: 'spki', format: 'der' }))));
    const d = k.asymmetricKeyDetails ?? {};
    if (k.asymmetricKeyType === 'rsa' || k.asymmetricKeyType === 'rsa-pss') m.eq('publicKey.bits', pk.bits, d.modulusLength);
    if (k.asymmetricKeyType === 'ec') {
      const curves: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521', secp256k1: 'secp256k1' };
      m.eq('publicKey.curve', pk.curve, curves[d.namedCurve ?? ''] ?? d.namedCurve);
    }
  },
  'extended key usage': (ours, { node: n }, m) => {
    m.eq('extendedKeyUsage.purposes', ours.extendedKeyUsage?.purposes, n.keyUsage);
  },
};

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

let corpus: CorpusCertificate[] = [];
const parsed: Parsed[] = [];
const parseFailures: string[] = [];
let corpusMs = 0;

beforeAll(async () => {
  const started = performance.now();
  corpus = await makeCorpus(CORPUS_SIZE);
  corpusMs = performance.now() - started;
  for (const gen of corpus) {
    let ours: Certificate;
    try {
      ours = parseCertificate(gen.der);
    } catch (error) {
      parseFailures.push(`${gen.label} | parseCertificate threw: ${(error as Error).message}`);
      continue;
    }
    parsed.push({ gen, ours, asn: AsnConvert.parse(ab(gen.der), asn.Certificate), node: new X509Certificate(gen.der) });
  }
}, 180_000);

function run(comparator: Comparator, pairs: readonly (readonly [Certificate, Parsed])[]): string[] {
  const out: string[] = [];
  for (const [ours, other] of pairs) {
    const m = new Mismatches(other.gen.label);
    comparator(ours, other, m);
    out.push(...m.items);
  }
  return out;
}

const same = (): (readonly [Certificate, Parsed])[] => parsed.map((p) => [p.ours, p] as const);
// Our view of certificate i against the references' view of certificate i+1: every comparator
// must notice, which shows its assertions can fail.
const shifted = (): (readonly [Certificate, Parsed])[] => parsed.map((p, i) => [p.ours, parsed[(i + 1) % parsed.length]!] as const);

describe(`differential: ${CORPUS_SIZE} generated certificates`, () => {
  it('parses every certificate of the corpus', () => {
    expect(corpus).toHaveLength(CORPUS_SIZE);
    expect(corpusMs).toBeLessThan(60_000);
    expect(parseFailures).toEqual([]);
  });

  describe('vs the generator', () => {
    for (const [name, comparator] of Object.entries(generatorComparators)) {
      it(name, () => expect(run(comparator, same())).toEqual([]));
    }
  });

  describe('vs @peculiar/asn1-x509', () => {
    for (const [name, comparator] of Object.entries(asnComparators)) {
      it(name, () => expect(run(comparator, same())).toEqual([]));
    }
  });

  describe('vs node:crypto X509Certificate (OpenSSL)', () => {
    for (const [name, comparator] of Object.entries(nodeComparators)) {
      it(name, () => expect(run(comparator, same())).toEqual([]));
    }
  });

  it('every comparison detects a certificate it was not given', () => {
    const all = [
      ...Object.entries(generatorComparators).map(([n, c]) => [`generator: ${n}`, c] as const),
      ...Object.entries(asnComparators).map(([n, c]) => [`asn1-x509: ${n}`, c] as const),
      ...Object.entries(nodeComparators).map(([n, c]) => [`openssl: ${n}`, c] as const),
    ];
    const blind = all.filter(([, comparator]) => run(comparator, shifted()).length === 0).map(([name]) => name);
    expect(blind).toEqual([]);
  });
});
