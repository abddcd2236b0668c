// The .NET X500DistinguishedName.Name form of a Name, which Graph shows in
// certificateAuthority.issuer.

import { DerReader, TAG_OCTET_STRING } from '../../encoding/der.ts';
import { toUpperHex } from '../../encoding/hex.ts';
import { DOTNET_KEYWORDS } from './keywords.ts';
import { rdnsOf, type AttributeTypeAndValue, type Name, type RelativeDistinguishedName } from './types.ts';

/**
 * The form of .NET's X500DistinguishedName.Name (Decode(X500DistinguishedNameFlags.Reversed)),
 * which Graph shows in certificateAuthority.issuer. Conventions from dotnet/runtime
 * X500NameEncoder: RDNs most specific first joined by ", ", " + " inside a multi-valued RDN,
 * OidLookup keywords else "OID.<dotted>=", string values as text (trailing NULs dropped),
 * quoted in "..." with '"' doubled when empty, starting or ending with white space, or
 * containing any of , + = " \n < > # ;. A value that is not a string is '#' + upper-case hex
 * of the whole TLV, or of the contents of an OCTET STRING, which Windows unwraps once.
 */
export function formatDotNet(name: Name | readonly RelativeDistinguishedName[]): string {
  const rdns = rdnsOf(name);
  let out = '';
  for (let i = rdns.length - 1; i >= 0; i--) {
    if (i !== rdns.length - 1) out += ', ';
    const rdn = rdns[i]!;
    for (let j = 0; j < rdn.length; j++) {
      if (j > 0) out += ' + ';
      const ava = rdn[j]!;
      const keyword = DOTNET_KEYWORDS.get(ava.type);
      out += keyword === undefined ? `OID.${ava.type}=` : `${keyword}=`;
      out += dotNetValue(ava);
    }
  }
  return out;
}

function dotNetValue(ava: AttributeTypeAndValue): string {
  if (ava.value === undefined) {
    if (ava.valueTag === TAG_OCTET_STRING) {
      const r = new DerReader(ava.valueDer);
      r.next('attribute value');
      return '#' + toUpperHex(r.value());
    }
    return '#' + toUpperHex(ava.valueDer);
  }
  let end = ava.value.length;
  while (end > 0 && ava.value.charCodeAt(end - 1) === 0) end--;
  const value = end === ava.value.length ? ava.value : ava.value.slice(0, end);
  if (!dotNetNeedsQuotes(value)) return value;
  let out = '"';
  for (let i = 0; i < value.length; i++) out += value[i] === '"' ? '""' : value[i]!;
  return out + '"';
}

function isDotNetSpace(c: number): boolean {
  // X500NameEncoder.IsQuotableWhitespace: space and U+0009..U+000D.
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function dotNetNeedsQuotes(value: string): boolean {
  if (value.length === 0) return true;
  if (isDotNetSpace(value.charCodeAt(0)) || isDotNetSpace(value.charCodeAt(value.length - 1))) return true;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    // , + = " \n < > # ;  (\r is not in the list, as on Windows)
    if (c === 0x2c || c === 0x2b || c === 0x3d || c === 0x22 || c === 0x0a || c === 0x3c || c === 0x3e || c === 0x23 || c === 0x3b) {
      return true;
    }
  }
  return false;
}
