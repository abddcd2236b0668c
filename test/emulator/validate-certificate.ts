// Graph emulator: the certificate checks behind Graph's `certificate` 400s and the computed
// read-only `issuer`/`issuerSki` of a certificateAuthority (spec §1.3, §3.2, §3.3). Decided with
// Node's X509Certificate (OpenSSL), independently of @graph-mtls/core, so the emulator is a second
// opinion on what the library sends. The DER walk here only finds the SubjectKeyIdentifier
// (RFC 5280 §4.2.1.2) and the SubjectPublicKeyInfo, which X509Certificate does not expose.

import { createHash, X509Certificate } from 'node:crypto';

/** RFC 4648 §4 standard alphabet, padded; the unused bits before the padding are not checked. */
const PADDED_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Graph's Edm.Binary reader, .NET's Convert.FromBase64String: space, tab, CR and LF are
 * skipped anywhere and set bits before the padding are ignored; any other character, a length
 * that is not a multiple of 4 or a misplaced '=' is refused (undefined).
 */
export function decodeDotNetBase64(text: string): Buffer | undefined {
  const compact = text.replace(/[ \t\r\n]/g, '');
  return PADDED_BASE64.test(compact) ? Buffer.from(compact, 'base64') : undefined;
}

export interface CaCertificateInfo {
  /** The CA's own subject in .NET X500DistinguishedName style, most specific RDN first. */
  readonly issuer: string;
  /** Upper-case hex of the subjectKeyIdentifier (RFC 5280 §4.2.1.2 method 1 if the extension is absent). */
  readonly issuerSki: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export type CaCheck =
  | ({ readonly ok: true } & CaCertificateInfo)
  | { readonly ok: false; readonly reason: 'unparsable' | 'not-der' | 'not-ca' | 'expired' | 'not-yet-valid' };

/**
 * Whether a DER certificate is one Graph would accept as a trusted CA at `now`: it parses, is a
 * single DER SEQUENCE (no PEM text, no trailing bytes), has basicConstraints cA=TRUE (RFC 5280
 * §4.2.1.9; X509Certificate.ca) and is inside its validity period (RFC 5280 §4.1.2.5).
 */
export function checkCaCertificate(der: Uint8Array, now: Date): CaCheck {
  let spans: DerSpans;
  try {
    spans = walkCertificate(der);
  } catch {
    return { ok: false, reason: 'not-der' };
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    return { ok: false, reason: 'unparsable' };
  }
  if (!cert.ca) return { ok: false, reason: 'not-ca' };
  const notBefore = new Date(Date.parse(cert.validFrom));
  const notAfter = new Date(Date.parse(cert.validTo));
  if (now.getTime() < notBefore.getTime()) return { ok: false, reason: 'not-yet-valid' };
  if (now.getTime() > notAfter.getTime()) return { ok: false, reason: 'expired' };
  const ski = spans.subjectKeyIdentifier ?? createHash('sha1').update(spans.subjectPublicKey).digest();
  return {
    ok: true,
    issuer: dotNetName(cert.subject),
    issuerSki: Buffer.from(ski).toString('hex').toUpperCase(),
    notBefore,
    notAfter,
  };
}

// ---------------------------------------------------------------------------------------------
// .NET-style distinguished names
// ---------------------------------------------------------------------------------------------

/** OpenSSL short/long names → the names .NET's X500DistinguishedName prints. */
const DOTNET_NAMES: Readonly<Record<string, string>> = {
  ST: 'S',
  emailAddress: 'E',
  serialNumber: 'SERIALNUMBER',
  street: 'STREET',
  title: 'T',
  GN: 'G',
};

/** .NET wraps a value in quotes when it holds a special character or edge whitespace. */
const NEEDS_QUOTES = /[,=+<>#;"\n\r]|^\s|\s$/;

/**
 * Converts X509Certificate.subject (OpenSSL multi-line: one RDN a line, least specific first,
 * RFC 2253 escapes, ' + ' between the AVAs of a multi-valued RDN) to .NET's form:
 * `CN=..., OU=..., O=..., L=..., S=..., C=...` (RDNs reversed, ', ' separators, ST→S).
 */
export function dotNetName(opensslSubject: string): string {
  if (opensslSubject === '') return '';
  return opensslSubject
    .split('\n')
    .reverse()
    .map((line) => splitAvas(line).map(formatAva).join(' + '))
    .join(', ');
}

function formatAva(ava: { type: string; value: string }): string {
  const type = DOTNET_NAMES[ava.type] ?? (/^\d+(\.\d+)+$/.test(ava.type) ? `OID.${ava.type}` : ava.type);
  const value = NEEDS_QUOTES.test(ava.value) ? `"${ava.value.replaceAll('"', '""')}"` : ava.value;
  return `${type}=${value}`;
}

/** Splits one OpenSSL RDN line into unescaped AVAs. */
function splitAvas(line: string): { type: string; value: string }[] {
  const out: { type: string; value: string }[] = [];
  let i = 0;
  while (i < line.length) {
    const eq = line.indexOf('=', i);
    if (eq < 0) break;
    const type = line.slice(i, eq);
    let value = '';
    let j = eq + 1;
    for (; j < line.length; j++) {
      const c = line[j]!;
      if (c === '\\' && j + 1 < line.length) {
        const hex = line.slice(j + 1, j + 3);
        if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
          value += String.fromCharCode(parseInt(hex, 16));
          j += 2;
        } else {
          value += line[j + 1];
          j += 1;
        }
        continue;
      }
      if (line.startsWith(' + ', j)) break;
      value += c;
    }
    out.push({ type, value });
    i = j + 3;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Minimal DER walk (X.690 §8.1 TLVs) for the SKI and the SPKI
// ---------------------------------------------------------------------------------------------

interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly end: number;
}

interface DerSpans {
  readonly subjectKeyIdentifier: Uint8Array | undefined;
  /** The subjectPublicKey BIT STRING contents without the unused-bits octet. */
  readonly subjectPublicKey: Uint8Array;
}

function readTlv(b: Uint8Array, offset: number, limit: number): Tlv {
  if (offset + 2 > limit) throw new Error('truncated');
  const tag = b[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new Error('high tag');
  let len = b[offset + 1]!;
  let p = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || p + n > limit) throw new Error('bad length');
    len = 0;
    for (let k = 0; k < n; k++) len = len * 256 + b[p + k]!;
    p += n;
  }
  if (p + len > limit) throw new Error('truncated');
  return { tag, start: p, end: p + len };
}

function children(b: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let p = parent.start; p < parent.end; ) {
    const t = readTlv(b, p, parent.end);
    out.push(t);
    p = t.end;
  }
  return out;
}

const OID_SKI = Uint8Array.of(0x55, 0x1d, 0x0e); // 2.5.29.14

function walkCertificate(der: Uint8Array): DerSpans {
  const outer = readTlv(der, 0, der.length);
  if (outer.tag !== 0x30 || outer.end !== der.length) throw new Error('not a single DER SEQUENCE');
  const tbs = children(der, outer)[0];
  if (tbs?.tag !== 0x30) throw new Error('no TBSCertificate');
  const fields = children(der, tbs);
  const base = fields[0]?.tag === 0xa0 ? 1 : 0;
  const spki = fields[base + 5];
  if (spki?.tag !== 0x30) throw new Error('no SubjectPublicKeyInfo');
  const bits = children(der, spki)[1];
  if (bits?.tag !== 0x03 || bits.end <= bits.start) throw new Error('no subjectPublicKey');
  let ski: Uint8Array | undefined;
  const extsWrapper = fields.find((f) => f.tag === 0xa3);
  if (extsWrapper) {
    const exts = children(der, extsWrapper)[0];
    if (exts?.tag !== 0x30) throw new Error('bad extensions');
    for (const ext of children(der, exts)) {
      const parts = children(der, ext);
      const id = parts[0];
      const value = parts[parts.length - 1];
      if (id?.tag !== 0x06 || value?.tag !== 0x04) continue;
      if (Buffer.compare(der.subarray(id.start, id.end), OID_SKI) !== 0) continue;
      const keyId = readTlv(der, value.start, value.end);
      if (keyId.tag !== 0x04) throw new Error('bad SKI');
      ski = der.slice(keyId.start, keyId.end);
    }
  }
  return { subjectKeyIdentifier: ski, subjectPublicKey: der.slice(bits.start + 1, bits.end) };
}
