// nameConstraints (RFC 5280 §4.2.1.10): reading the extension, and whether the names of a
// certificate below the constraining CA are within it (§6.1.3 (b), (c)) for the forms a
// device's identity can take: dNSName, rfc822Name (and the subject's emailAddress when the
// certificate has no rfc822Name), uniformResourceIdentifier (its host), iPAddress and
// directoryName (the subject). A constraint on any other form, or with a minimum or maximum,
// is not evaluated: a certificate that carries a name of that form is reported as such.

import { DerReader, TAG_SEQUENCE, contextConstructed, contextTag } from '../encoding/der.ts';
import { InputError } from '../errors.ts';
import { distinguishedNameMatch } from '../identity/dn-match.ts';
import type { Limits } from '../limits.ts';
import type { Certificate } from './certificate.ts';
import { decodeGeneralName, type GeneralName, type GeneralNameType } from './general-names.ts';
import { formatIpAddress } from './ip-address.ts';
import type { RelativeDistinguishedName } from './name/types.ts';
import { OID_EMAIL, OID_NAME_CONSTRAINTS } from './oids.ts';

/** One GeneralSubtree's base: an iPAddress base is an address and a mask (8 or 32 octets). */
export type SubtreeBase = Exclude<GeneralName, { type: 'ip' }> | { readonly type: 'ip'; readonly address: Uint8Array; readonly mask: Uint8Array };

/** A GeneralSubtree; `bounded` when it has a minimum other than 0 or a maximum (RFC 5280 says they MUST NOT). */
export interface Subtree {
  readonly base: SubtreeBase;
  readonly bounded: boolean;
}

export interface NameConstraints {
  readonly permitted: readonly Subtree[];
  readonly excluded: readonly Subtree[];
}

/** The forms this module evaluates; a constraint on any other is reported, not applied. */
const EVALUATED: ReadonlySet<GeneralNameType> = new Set(['dns', 'email', 'uri', 'ip', 'directoryName']);

/** The certificate's nameConstraints, undefined without the extension; throws InputError when it does not decode. */
export function readNameConstraints(cert: Certificate, limits: Limits): NameConstraints | undefined {
  const ext = cert.extension(OID_NAME_CONSTRAINTS);
  if (ext === undefined) return undefined;
  const r = new DerReader(ext.value, 0, ext.value.length, 0, limits.maxDepth);
  const seq = r.only(TAG_SEQUENCE, 'nameConstraints');
  const permitted = seq.optional(contextConstructed(0), 'nameConstraints.permittedSubtrees') ? subtrees(seq.child('permittedSubtrees'), 'permittedSubtrees', limits) : [];
  const excluded = seq.optional(contextConstructed(1), 'nameConstraints.excludedSubtrees') ? subtrees(seq.child('excludedSubtrees'), 'excludedSubtrees', limits) : [];
  seq.finish('nameConstraints');
  if (permitted.length === 0 && excluded.length === 0) throw seq.invalid('nameConstraints: expected permittedSubtrees or excludedSubtrees (RFC 5280 §4.2.1.10), received neither');
  return { permitted, excluded };
}

function subtrees(r: DerReader, what: string, limits: Limits): Subtree[] {
  const out: Subtree[] = [];
  if (r.done) throw r.invalid(`${what}: expected at least one GeneralSubtree, received none`);
  while (!r.done) {
    if (out.length >= limits.maxSanEntries) throw new InputError('ERR_LIMIT_EXCEEDED', `${what}: expected at most ${limits.maxSanEntries} subtrees, received more`, { offset: r.pos });
    const item = `${what}[${out.length}]`;
    r.expect(TAG_SEQUENCE, item);
    const s = r.child(item);
    let base: SubtreeBase;
    if (s.peek() === contextTag(7)) {
      s.next(`${item}.base`);
      const bytes = s.value();
      if (bytes.length !== 8 && bytes.length !== 32) throw s.invalid(`${item}.base: expected an iPAddress constraint of 8 or 32 octets (address and mask), received ${bytes.length}`);
      base = { type: 'ip', address: bytes.subarray(0, bytes.length / 2), mask: bytes.subarray(bytes.length / 2) };
    } else base = decodeGeneralName(s, `${item}.base`, limits.maxNameAttributes) as SubtreeBase;
    let bounded = false;
    if (s.optional(contextTag(0), `${item}.minimum`)) bounded ||= !isZero(s.value());
    if (s.optional(contextTag(1), `${item}.maximum`)) bounded = true;
    s.finish(item);
    out.push({ base, bounded });
  }
  return out;
}

function isZero(content: Uint8Array): boolean {
  return content.length === 1 && content[0] === 0;
}

/** Why a name is refused by `constraints`, or undefined when every name of `cert` is within them. */
export function nameConstraintViolation(cert: Certificate, constraints: NameConstraints): string | undefined {
  const names = namesOf(cert);
  for (const form of new Set([...constraints.permitted, ...constraints.excluded].map((s) => s.base.type))) {
    const present = names.filter((n) => n.type === form);
    if (present.length === 0) continue;
    const permitted = constraints.permitted.filter((s) => s.base.type === form);
    const excluded = constraints.excluded.filter((s) => s.base.type === form);
    if (!EVALUATED.has(form) || [...permitted, ...excluded].some((s) => s.bounded)) {
      return `a constraint on ${form} names cannot be evaluated here, and the certificate has ${present.length === 1 ? 'one' : present.length}`;
    }
    for (const name of present) {
      const out = excluded.find((s) => within(name, s.base));
      if (out !== undefined) return `${describe(name)} is within the excluded subtree ${describeBase(out.base)}`;
      if (permitted.length > 0 && !permitted.some((s) => within(name, s.base))) return `${describe(name)} is outside every permitted ${form} subtree (${permitted.map((s) => describeBase(s.base)).join(', ')})`;
    }
  }
  return undefined;
}

/** A name the constraints look at: the SAN entries, the subject as a directoryName, and the subject's emailAddress when the SAN has no rfc822Name. */
type CheckedName = GeneralName | { readonly type: 'directoryName'; readonly rdns: readonly RelativeDistinguishedName[] };

function namesOf(cert: Certificate): CheckedName[] {
  const san = cert.subjectAltName?.names ?? [];
  const names: CheckedName[] = [...san];
  if (cert.subject.rdns.length > 0) names.push({ type: 'directoryName', rdns: cert.subject.rdns });
  if (!san.some((n) => n.type === 'email')) {
    for (const rdn of cert.subject.rdns) for (const ava of rdn) if (ava.type === OID_EMAIL && ava.value !== undefined) names.push({ type: 'email', value: ava.value });
  }
  return names;
}

function within(name: CheckedName, base: SubtreeBase): boolean {
  switch (base.type) {
    case 'dns':
      return name.type === 'dns' && dnsWithin(name.value, base.value);
    case 'email':
      return name.type === 'email' && emailWithin(name.value, base.value);
    case 'uri':
      return name.type === 'uri' && hostWithin(uriHost(name.value), base.value);
    case 'ip':
      return name.type === 'ip' && ipWithin(name.bytes, base.address, base.mask);
    case 'directoryName': {
      if (name.type !== 'directoryName') return false;
      const rdns = 'rdns' in name ? name.rdns : name.name.rdns;
      return rdns.length >= base.name.rdns.length && distinguishedNameMatch(rdns.slice(0, base.name.rdns.length), base.name.rdns);
    }
    default:
      return false;
  }
}

/** RFC 5280 §4.2.1.10: any name formed by adding labels to the left; a leading '.' means subdomains only; '' matches every name. */
function dnsWithin(name: string, constraint: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  const c = constraint.toLowerCase();
  if (c === '') return true;
  if (c.startsWith('.')) return n.endsWith(c);
  return n === c || n.endsWith(`.${c}`);
}

/** A mailbox exactly, all mailboxes on a host, or (leading '.') every host in a domain; hosts compare case-insensitively. */
function emailWithin(name: string, constraint: string): boolean {
  const at = name.lastIndexOf('@');
  if (at < 0) return false;
  const host = name.slice(at + 1).toLowerCase();
  const c = constraint.toLowerCase();
  if (constraint.includes('@')) {
    const cat = constraint.lastIndexOf('@');
    return name.slice(0, at) === constraint.slice(0, cat) && host === constraint.slice(cat + 1).toLowerCase();
  }
  return c.startsWith('.') ? host.endsWith(c) : host === c;
}

/** The host of a URI with an authority ("scheme://[userinfo@]host[:port]..."), lower case; undefined without one. */
function uriHost(uri: string): string | undefined {
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(uri);
  if (m === null) return undefined;
  const authority = m[1]!.slice(m[1]!.lastIndexOf('@') + 1);
  const host = authority.startsWith('[') ? authority.slice(0, authority.indexOf(']') + 1) : authority.replace(/:\d*$/, '');
  return host === '' ? undefined : host.toLowerCase();
}

/** A URI constraint names a host, or (leading '.') the hosts of a domain; a URI without a host is within none. */
function hostWithin(host: string | undefined, constraint: string): boolean {
  if (host === undefined) return false;
  const c = constraint.toLowerCase();
  return c.startsWith('.') ? host.endsWith(c) : host === c;
}

function ipWithin(address: Uint8Array, base: Uint8Array, mask: Uint8Array): boolean {
  if (address.length !== base.length) return false;
  for (let i = 0; i < address.length; i++) if ((address[i]! & mask[i]!) !== (base[i]! & mask[i]!)) return false;
  return true;
}

function describe(name: CheckedName): string {
  if (name.type === 'directoryName') return 'the subject';
  return 'value' in name ? `${name.type} '${name.value.slice(0, 200)}'` : `a ${name.type} name`;
}

/** The number of leading one bits of a mask (a CIDR prefix length). */
function prefixLength(mask: Uint8Array): number {
  let bits = 0;
  for (const byte of mask) {
    if (byte === 0xff) bits += 8;
    else {
      for (let b = 0x80; (byte & b) !== 0; b >>= 1) bits++;
      break;
    }
  }
  return bits;
}

function describeBase(base: SubtreeBase): string {
  if (base.type === 'ip') return `ip ${formatIpAddress(base.address)}/${prefixLength(base.mask)}`;
  if (base.type === 'directoryName') return 'directoryName';
  return 'value' in base ? `${base.type} '${base.value.slice(0, 200)}'` : base.type;
}

