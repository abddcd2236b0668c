// The contestants: our core and what a user would pick instead, each driven through its own
// public API the way its documentation shows. Per library:
//   parse(der)      (a) bytes to a certificate object, nothing else read;
//   inspect(der)    (b) what our lint reads: subject DN string, SAN values, basicConstraints,
//                   keyUsage, validity (ours adds the Graph findings); the closest each API allows;
//   bundle(text)    (c) a PEM bundle to certificate objects (the PEM decoder each user would
//                   reach for: the library's own where it has one, else a regex and base64);
//   view(der)       the subject and SAN values as plain data, for the agreement check (untimed).

import 'reflect-metadata';
import { X509Certificate as NodeX509 } from 'node:crypto';
import { createRequire } from 'node:module';
import { AsnConvert } from '@peculiar/asn1-schema';
import * as asn from '@peculiar/asn1-x509';
import * as px from '@peculiar/x509';
import forge from 'node-forge';
import jsrsasign from 'jsrsasign';
import * as pkijs from 'pkijs';
import { checkCertificate, formatIpAddress, lintStream, parseCertificate, parseIpAddress, scanCertificates, type Certificate } from '../packages/core/src/index.ts';

export const NOW = new Date(Date.UTC(2025, 5, 1));

/** What a library reports, as plain data: subject RDNs of "oid=value", SAN values by type. */
export interface View {
  /** Each RDN as its "oid=value" members; libraries that flatten RDNs give one member each. */
  readonly subject: readonly (readonly string[])[];
  readonly dns: readonly string[];
  readonly email: readonly string[];
  readonly uri: readonly string[];
  /** RFC 5952 text of the bytes (re-read from each library's text, so notation does not count). */
  readonly ip: readonly string[];
  readonly ca: boolean;
  readonly notAfter: number;
}

export interface Library {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  /** Most certificates per measurement (slow libraries run on a prefix of the corpus). */
  readonly maxSample?: number;
  /** A note printed with the library's rows (what its API cannot give). */
  readonly note?: string;
  parse(der: Uint8Array): unknown;
  inspect(der: Uint8Array): number;
  bundle(text: string): unknown[];
  /** Only ours: the PEM bundle to findings. */
  lintBundle?(text: string): Promise<number>;
  view(der: Uint8Array): View;
}

const require = createRequire(import.meta.url);
function versionOf(pkg: string): string {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return '?';
  }
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const PEM_BODY = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

/** What a user of a library without a PEM reader writes: a regex and Buffer's base64. */
function pemDers(text: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  PEM_BODY.lastIndex = 0;
  for (let m = PEM_BODY.exec(text); m !== null; m = PEM_BODY.exec(text)) {
    const b = Buffer.from(m[1]!, 'base64');
    out.push(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  }
  return out;
}

function ipText(text: string): string {
  try {
    return formatIpAddress(parseIpAddress(text));
  } catch {
    return `unreadable:${text}`;
  }
}

function ipBytesText(bytes: Uint8Array): string {
  return bytes.length === 4 || bytes.length === 16 ? formatIpAddress(bytes) : `bad-length:${Buffer.from(bytes).toString('hex')}`;
}

/** TypeScript's view of a Uint8Array over a plain ArrayBuffer (BufferSource in the DOM typings). */
const buf = (der: Uint8Array): Uint8Array<ArrayBuffer> => der as Uint8Array<ArrayBuffer>;

const hex = (b: Uint8Array | ArrayBuffer): string => Buffer.from(b instanceof ArrayBuffer ? new Uint8Array(b) : b).toString('hex');

// ---------------------------------------------------------------------------------------------
// Ours
// ---------------------------------------------------------------------------------------------

function oursView(c: Certificate): View {
  const san = c.subjectAltName?.names ?? [];
  const pick = (t: 'dns' | 'email' | 'uri'): string[] => san.flatMap((n) => (n.type === t ? [n.value] : []));
  return {
    subject: c.subject.rdns.map((rdn) => rdn.map((a) => `${a.type}=${a.value ?? `#${hex(a.valueDer)}`}`)),
    dns: pick('dns'),
    email: pick('email'),
    uri: pick('uri'),
    ip: san.flatMap((n) => (n.type === 'ip' ? [ipBytesText(n.bytes)] : [])),
    ca: c.basicConstraints?.ca === true,
    notAfter: c.notAfter.getTime(),
  };
}

let lastText = '';
let lastBytes = new Uint8Array(0);
function bundleBytes(text: string): Uint8Array {
  if (text !== lastText) {
    lastText = text;
    lastBytes = new Uint8Array(Buffer.from(text, 'latin1'));
  }
  return lastBytes;
}

function* pieces(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

const ours: Library = {
  id: 'ours',
  name: '@graph-mtls/core',
  version: '0.1.0',
  parse: (der) => parseCertificate(der),
  inspect(der) {
    const c = parseCertificate(der);
    let n = c.subjectDn.length;
    const san = c.subjectAltName;
    if (san !== undefined) n += san.names.length;
    const bc = c.basicConstraints;
    const ku = c.keyUsage;
    if (ku !== undefined) n += ku.usages.length;
    n += c.notAfter.getTime() > 0 ? 1 : 0;
    n += checkCertificate(c, { now: NOW, role: bc?.ca === true ? 'ca' : 'device' }).length;
    return n;
  },
  bundle: (text) => scanCertificates(text).certificates.map((e) => e.certificate),
  async lintBundle(text) {
    // The streaming API over the bundle's bytes in 1 MiB pieces, as a file is read: what the
    // CLI and embedders run (the text's bytes are made once, outside the timing).
    const bytes = bundleBytes(text);
    let n = 0;
    for await (const report of lintStream(pieces(bytes, 1024 * 1024), { now: NOW, role: 'auto' })) n += report.findings.length;
    return n;
  },
  view: (der) => oursView(parseCertificate(der)),
};

// ---------------------------------------------------------------------------------------------
// Node's X509Certificate (OpenSSL)
// ---------------------------------------------------------------------------------------------

/** OpenSSL short and long names as Node prints them, to OIDs. */
const OPENSSL_NAMES: Record<string, string> = {
  C: '2.5.4.6', ST: '2.5.4.8', L: '2.5.4.7', O: '2.5.4.10', OU: '2.5.4.11', CN: '2.5.4.3',
  street: '2.5.4.9', title: '2.5.4.12', GN: '2.5.4.42', SN: '2.5.4.4', serialNumber: '2.5.4.5',
  emailAddress: '1.2.840.113549.1.9.1', DC: '0.9.2342.19200300.100.1.25', UID: '0.9.2342.19200300.100.1.1',
  jurisdictionC: '1.3.6.1.4.1.311.60.2.1.3', jurisdictionST: '1.3.6.1.4.1.311.60.2.1.2', jurisdictionL: '1.3.6.1.4.1.311.60.2.1.1',
  organizationIdentifier: '2.5.4.97', x121Address: '2.5.4.24', businessCategory: '2.5.4.15', postalCode: '2.5.4.17',
  description: '2.5.4.13', initials: '2.5.4.43', generationQualifier: '2.5.4.44', dnQualifier: '2.5.4.46', pseudonym: '2.5.4.65',
};

/** Undoes OpenSSL's RFC 2253 + control-character escaping (\X and \HH). */
function opensslUnescape(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const pair = s.slice(i + 1, i + 3);
    if (/^[0-9A-F]{2}$/.test(pair)) {
      out += String.fromCharCode(parseInt(pair, 16));
      i += 2;
    } else {
      out += s[i + 1];
      i++;
    }
  }
  return out;
}

/** Splits on `sep` where it is not escaped by a backslash. */
function splitUnescaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') {
      i++;
      continue;
    }
    if (s.startsWith(sep, i)) {
      out.push(s.slice(start, i));
      start = i + sep.length;
      i += sep.length - 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

/** Node's multi-line subject ("C=US\nO=Contoso\nCN=a + UID=b") as RDNs of "oid=value". */
function nodeSubject(subject: string | undefined): string[][] {
  if (subject === undefined || subject === '') return [];
  return subject.split('\n').map((line) =>
    splitUnescaped(line, ' + ').map((ava) => {
      const eq = ava.indexOf('=');
      const name = ava.slice(0, eq);
      return `${OPENSSL_NAMES[name] ?? name}=${opensslUnescape(ava.slice(eq + 1))}`;
    }),
  );
}

/** Node's subjectAltName string ("DNS:a, IP Address:1.2.3.4, URI:\"x,y\"") as [kind, value] pairs; quoted values are JSON. */
function nodeSanEntries(san: string | undefined): [string, string][] {
  const out: [string, string][] = [];
  if (san === undefined) return out;
  let i = 0;
  while (i < san.length) {
    const colon = san.indexOf(':', i);
    if (colon < 0) break;
    const kind = san.slice(i, colon);
    let j = colon + 1;
    let value: string;
    if (san[j] === '"') {
      let k = j + 1;
      while (k < san.length && san[k] !== '"') k += san[k] === '\\' ? 2 : 1;
      value = JSON.parse(san.slice(j, k + 1)) as string;
      j = k + 1;
    } else {
      const end = san.indexOf(', ', j);
      value = san.slice(j, end < 0 ? san.length : end);
      j = end < 0 ? san.length : end;
    }
    out.push([kind, value]);
    i = j + (san.startsWith(', ', j) ? 2 : 0);
  }
  return out;
}

const node: Library = {
  id: 'node',
  name: 'node:crypto X509Certificate',
  version: process.versions.openssl ? `Node ${process.version}, OpenSSL ${process.versions.openssl}` : process.version,
  note: 'no keyUsage bits in the API (x509.keyUsage is the extended key usage); SAN and subject come as text to split',
  parse: (der) => new NodeX509(der),
  inspect(der) {
    const x = new NodeX509(der);
    let n = x.subject?.length ?? 0;
    n += nodeSanEntries(x.subjectAltName).length;
    n += x.ca ? 1 : 0;
    n += x.keyUsage?.length ?? 0;
    n += Date.parse(x.validTo) > 0 ? 1 : 0;
    return n;
  },
  bundle: (text) => (text.match(PEM_BLOCK) ?? []).map((pem) => new NodeX509(pem)),
  view(der) {
    const x = new NodeX509(der);
    const san = nodeSanEntries(x.subjectAltName);
    const pick = (k: string): string[] => san.flatMap(([kind, v]) => (kind === k ? [v] : []));
    return {
      subject: nodeSubject(x.subject),
      dns: pick('DNS'),
      email: pick('email'),
      uri: pick('URI'),
      ip: pick('IP Address').map(ipText),
      ca: x.ca,
      notAfter: Date.parse(x.validTo),
    };
  },
};

// ---------------------------------------------------------------------------------------------
// @peculiar/x509
// ---------------------------------------------------------------------------------------------

px.cryptoProvider.set(globalThis.crypto);

const PX_NAMES: Record<string, string> = {
  C: '2.5.4.6', ST: '2.5.4.8', L: '2.5.4.7', O: '2.5.4.10', OU: '2.5.4.11', CN: '2.5.4.3', T: '2.5.4.12',
  G: '2.5.4.42', SN: '2.5.4.4', E: '1.2.840.113549.1.9.1', DC: '0.9.2342.19200300.100.1.25', I: '2.5.4.43',
};

const peculiarX509: Library = {
  id: 'peculiar-x509',
  name: '@peculiar/x509',
  version: versionOf('@peculiar/x509'),
  maxSample: 1000,
  note: 'same asn1js string decoding as asn1-schema (UniversalString above U+FFFF, NumericString as #hex); the subject string is in encoded order, not RFC 4514 order',
  parse: (der) => new px.X509Certificate(buf(der)),
  inspect(der) {
    const x = new px.X509Certificate(buf(der));
    let n = x.subject.length;
    const san = x.getExtension(px.SubjectAlternativeNameExtension);
    if (san) n += san.names.items.length;
    n += x.getExtension(px.BasicConstraintsExtension)?.ca ? 1 : 0;
    n += x.getExtension(px.KeyUsagesExtension)?.usages ?? 0;
    n += x.notAfter.getTime() > 0 ? 1 : 0;
    return n;
  },
  bundle: (text) => px.PemConverter.decode(text).map((raw) => new px.X509Certificate(raw)),
  view(der) {
    const x = new px.X509Certificate(buf(der));
    const items = x.getExtension(px.SubjectAlternativeNameExtension)?.names.items ?? [];
    const pick = (t: string): string[] => items.flatMap((g) => (g.type === t ? [g.value] : []));
    return {
      subject: x.subjectName.toJSON().map((rdn) => Object.entries(rdn).flatMap(([k, vs]) => vs.map((v) => `${PX_NAMES[k] ?? k}=${v}`))),
      dns: pick('dns'),
      email: pick('email'),
      uri: pick('url'),
      ip: pick('ip').map(ipText),
      ca: x.getExtension(px.BasicConstraintsExtension)?.ca === true,
      notAfter: x.notAfter.getTime(),
    };
  },
};

// ---------------------------------------------------------------------------------------------
// @peculiar/asn1-schema + @peculiar/asn1-x509
// ---------------------------------------------------------------------------------------------

function asnText(v: asn.AttributeValue): string {
  return v.utf8String ?? v.printableString ?? v.teletexString ?? v.bmpString ?? v.universalString ?? v.ia5String ?? (v.anyValue ? `#${hex(v.anyValue)}` : '');
}

function asnExtension(c: asn.Certificate, oid: string): asn.Extension | undefined {
  const exts = c.tbsCertificate.extensions;
  if (!exts) return undefined;
  for (const e of exts) if (e.extnID === oid) return e;
  return undefined;
}

const asnSchema: Library = {
  id: 'asn1-schema',
  name: '@peculiar/asn1-schema + asn1-x509',
  version: versionOf('@peculiar/asn1-x509'),
  maxSample: 1000,
  note: 'no DN string formatter: the subject string is joined by hand; UniversalString characters above U+FFFF lose their high bits and NumericString values come back as undecoded DER (asn1js)',
  parse: (der) => AsnConvert.parse(der, asn.Certificate),
  inspect(der) {
    const c = AsnConvert.parse(der, asn.Certificate);
    const subject = c.tbsCertificate.subject.map((rdn) => rdn.map((a) => `${a.type}=${asnText(a.value)}`).join('+')).join(', ');
    let n = subject.length;
    const sanExt = asnExtension(c, asn.id_ce_subjectAltName);
    if (sanExt) n += AsnConvert.parse(sanExt.extnValue, asn.SubjectAlternativeName).length;
    const bcExt = asnExtension(c, asn.id_ce_basicConstraints);
    if (bcExt) n += AsnConvert.parse(bcExt.extnValue, asn.BasicConstraints).cA ? 1 : 0;
    const kuExt = asnExtension(c, asn.id_ce_keyUsage);
    if (kuExt) n += AsnConvert.parse(kuExt.extnValue, asn.KeyUsage).toNumber();
    n += c.tbsCertificate.validity.notAfter.getTime().getTime() > 0 ? 1 : 0;
    return n;
  },
  bundle: (text) => pemDers(text).map((der) => AsnConvert.parse(der, asn.Certificate)),
  view(der) {
    const c = AsnConvert.parse(der, asn.Certificate);
    const sanExt = asnExtension(c, asn.id_ce_subjectAltName);
    const san = sanExt ? AsnConvert.parse(sanExt.extnValue, asn.SubjectAlternativeName) : [];
    const bcExt = asnExtension(c, asn.id_ce_basicConstraints);
    return {
      subject: c.tbsCertificate.subject.map((rdn) => rdn.map((a) => `${a.type}=${asnText(a.value)}`)),
      dns: san.flatMap((g) => (g.dNSName !== undefined ? [g.dNSName] : [])),
      email: san.flatMap((g) => (g.rfc822Name !== undefined ? [g.rfc822Name] : [])),
      uri: san.flatMap((g) => (g.uniformResourceIdentifier !== undefined ? [g.uniformResourceIdentifier] : [])),
      ip: san.flatMap((g) => (g.iPAddress !== undefined ? [ipText(g.iPAddress)] : [])),
      ca: bcExt ? AsnConvert.parse(bcExt.extnValue, asn.BasicConstraints).cA : false,
      notAfter: c.tbsCertificate.validity.notAfter.getTime().getTime(),
    };
  },
};

// ---------------------------------------------------------------------------------------------
// PKI.js
// ---------------------------------------------------------------------------------------------

function pkijsExt(c: pkijs.Certificate, oid: string): pkijs.Extension | undefined {
  const exts = c.extensions;
  if (!exts) return undefined;
  for (const e of exts) if (e.extnID === oid) return e;
  return undefined;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

function pkijsValue(v: Any): string {
  return typeof v?.valueBlock?.value === 'string' ? v.valueBlock.value : `#${hex(v.toBER(false))}`;
}

const pkiJs: Library = {
  id: 'pkijs',
  name: 'pkijs',
  version: versionOf('pkijs'),
  maxSample: 1000,
  note: 'no DN string formatter: the subject string is joined by hand; RDNs come flattened',
  parse: (der) => pkijs.Certificate.fromBER(buf(der)),
  inspect(der) {
    const c = pkijs.Certificate.fromBER(buf(der));
    const subject = c.subject.typesAndValues.map((t) => `${t.type}=${pkijsValue(t.value)}`).join(', ');
    let n = subject.length;
    const san = pkijsExt(c, '2.5.29.17')?.parsedValue as pkijs.AltName | undefined;
    if (san) for (const g of san.altNames) n += typeof g.value === 'string' ? g.value.length : 1;
    const bc = pkijsExt(c, '2.5.29.19')?.parsedValue as pkijs.BasicConstraints | undefined;
    n += bc?.cA ? 1 : 0;
    const ku = pkijsExt(c, '2.5.29.15')?.parsedValue as Any;
    if (ku) n += (ku.valueBlock.valueHexView as Uint8Array)[0] ?? 0;
    n += c.notAfter.value.getTime() > 0 ? 1 : 0;
    return n;
  },
  bundle: (text) => pemDers(text).map((der) => pkijs.Certificate.fromBER(buf(der))),
  view(der) {
    const c = pkijs.Certificate.fromBER(buf(der));
    const names = ((pkijsExt(c, '2.5.29.17')?.parsedValue as pkijs.AltName | undefined)?.altNames ?? []) as Any[];
    const pick = (t: number): string[] => names.flatMap((g) => (g.type === t ? [String(g.value)] : []));
    const bc = pkijsExt(c, '2.5.29.19')?.parsedValue as pkijs.BasicConstraints | undefined;
    return {
      subject: c.subject.typesAndValues.map((t) => [`${t.type}=${pkijsValue(t.value)}`]),
      dns: pick(2),
      email: pick(1),
      uri: pick(6),
      ip: names.flatMap((g) => (g.type === 7 ? [ipBytesText(new Uint8Array(g.value.valueBlock.valueHexView))] : [])),
      ca: bc?.cA === true,
      notAfter: c.notAfter.value.getTime(),
    };
  },
};

// ---------------------------------------------------------------------------------------------
// node-forge
// ---------------------------------------------------------------------------------------------

function forgeCert(der: Uint8Array): forge.pki.Certificate {
  return forge.pki.certificateFromAsn1(forge.asn1.fromDer(forge.util.binary.raw.encode(der)));
}

const nodeForge: Library = {
  id: 'forge',
  name: 'node-forge',
  version: versionOf('node-forge'),
  note: 'reads RSA certificates only; UTF8String and UniversalString values come back as raw bytes',
  parse: forgeCert,
  inspect(der) {
    const c = forgeCert(der);
    const subject = c.subject.attributes.map((a) => `${a.shortName ?? a.type}=${String(a.value)}`).join(', ');
    let n = subject.length;
    const san = c.getExtension('subjectAltName') as { altNames?: { value: string }[] } | undefined;
    if (san?.altNames) n += san.altNames.length;
    n += (c.getExtension('basicConstraints') as { cA?: boolean } | undefined)?.cA ? 1 : 0;
    n += (c.getExtension('keyUsage') as { digitalSignature?: boolean } | undefined)?.digitalSignature ? 1 : 0;
    n += c.validity.notAfter.getTime() > 0 ? 1 : 0;
    return n;
  },
  bundle: (text) => forge.pem.decode(text).map((msg) => forge.pki.certificateFromAsn1(forge.asn1.fromDer(msg.body))),
  view(der) {
    const c = forgeCert(der);
    const names = ((c.getExtension('subjectAltName') as { altNames?: Any[] } | undefined)?.altNames ?? []) as Any[];
    const pick = (t: number): string[] => names.flatMap((g) => (g.type === t ? [String(g.value)] : []));
    return {
      subject: c.subject.attributes.map((a) => [`${a.type}=${String(a.value)}`]),
      dns: pick(2),
      email: pick(1),
      uri: pick(6),
      ip: names.flatMap((g) => (g.type === 7 ? [g.ip ? ipText(g.ip) : 'forge-no-ip-text'] : [])),
      ca: (c.getExtension('basicConstraints') as { cA?: boolean } | undefined)?.cA === true,
      notAfter: c.validity.notAfter.getTime(),
    };
  },
};

// ---------------------------------------------------------------------------------------------
// jsrsasign
// ---------------------------------------------------------------------------------------------

const { X509: JsX509, KJUR, zulutodate } = jsrsasign as Any;

function jsCert(der: Uint8Array): Any {
  const x = new JsX509();
  x.readCertHex(Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('hex'));
  return x;
}

function jsOid(name: string): string {
  if (/^\d+(\.\d+)+$/.test(name)) return name;
  const oids = KJUR.asn1.x509.OID;
  const oid = (oids.atype2oidList[name] as string | undefined) ?? (oids.name2oid(name) as string);
  return oid === '' ? name : oid;
}

const jsrsasignLib: Library = {
  id: 'jsrsasign',
  name: 'jsrsasign',
  version: versionOf('jsrsasign'),
  note: 'works on hex strings; its getExt* accessors throw on certificates without extensions (v1/v2); a UniversalString in a DN throws (ReferenceError from a typo in its error path); SAN registeredID is not reported',
  parse: jsCert,
  inspect(der) {
    const x = jsCert(der);
    let n = (x.getSubjectString() as string).length;
    const san = x.getExtSubjectAltName();
    if (san?.array) n += san.array.length;
    n += x.getExtBasicConstraints()?.cA ? 1 : 0;
    n += (x.getExtKeyUsageString() as string | undefined)?.length ?? 0;
    n += (zulutodate(x.getNotAfter()) as Date).getTime() > 0 ? 1 : 0;
    return n;
  },
  bundle: (text) =>
    (text.match(PEM_BLOCK) ?? []).map((pem) => {
      const x = new JsX509();
      x.readCertPEM(pem);
      return x;
    }),
  view(der) {
    const x = jsCert(der);
    const names = (x.getExtSubjectAltName()?.array ?? []) as Record<string, string>[];
    const pick = (k: string): string[] => names.flatMap((g) => (g[k] !== undefined ? [g[k]!] : []));
    const subject = x.getSubject().array as { type: string; value: string }[][];
    return {
      subject: subject.map((rdn) => rdn.map((a) => `${jsOid(a.type)}=${a.value}`)),
      dns: pick('dns'),
      email: pick('rfc822'),
      uri: pick('uri'),
      ip: pick('ip').map(ipText),
      ca: x.getExtBasicConstraints()?.cA === true,
      notAfter: (zulutodate(x.getNotAfter()) as Date).getTime(),
    };
  },
};

/** In table order: ours, the reference, then the others. */
export const LIBRARIES: readonly Library[] = [ours, node, jsrsasignLib, nodeForge, asnSchema, peculiarX509, pkiJs];

export function library(id: string): Library {
  const lib = LIBRARIES.find((l) => l.id === id);
  if (!lib) throw new Error(`unknown library ${id}`);
  return lib;
}
