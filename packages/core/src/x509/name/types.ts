// Distinguished names as data (RFC 5280 §4.1.2.4): a Name is a sequence of relative
// distinguished names (RDNs), each a set of attribute type and value pairs.

/** One attribute of a name: its type, and its value as text and as DER. */
export interface AttributeTypeAndValue {
  /** Dotted OID, e.g. '2.5.4.3'. */
  readonly type: string;
  /** ASN.1 tag of the value (0x0c UTF8String, 0x13 PrintableString, ...). */
  readonly valueTag: number;
  /** Decoded text when the value is a string type, else undefined. */
  readonly value: string | undefined;
  /** The value's complete TLV bytes (for RFC 4514 '#hex' output). */
  readonly valueDer: Uint8Array;
}
/** One RDN: the attributes of a SET, in encoded order. */
export type RelativeDistinguishedName = readonly AttributeTypeAndValue[];

/** A distinguished name: its RDNs in certificate order, and its DER. */
export interface Name {
  readonly rdns: readonly RelativeDistinguishedName[];
  readonly der: Uint8Array;
}

/** The RDNs of a Name, or the RDNs themselves. */
export function rdnsOf(name: Name | readonly RelativeDistinguishedName[]): readonly RelativeDistinguishedName[] {
  return 'rdns' in name ? name.rdns : name;
}
