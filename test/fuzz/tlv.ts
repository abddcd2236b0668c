// A lenient BER TLV tree for the DER mutator: parse any definite or indefinite encoding into
// nodes, let the mutator edit tags, length forms, values and children, and write it back.
// parse → serialize is the identity on what it parses (DER seeds, BER seeds, and the DER held
// inside OCTET STRING and BIT STRING values: extension values, RSA keys, ECDSA signatures).

export type LengthForm =
  /** The long form with exactly `octets` length octets (non-minimal DER when padded). */
  | { readonly kind: 'long'; readonly octets: number }
  /** 0x80 … 00 00 (BER only, constructed only). */
  | { readonly kind: 'indefinite' }
  /** These length octets, whatever the content is. */
  | { readonly kind: 'raw'; readonly bytes: Uint8Array }
  /** The true length plus `delta`, in the minimal form. */
  | { readonly kind: 'delta'; readonly delta: number };

export interface TlvNode {
  /** The identifier octets (one, or more for the high-tag-number form). */
  tag: Uint8Array;
  /** Parsed contents: the elements of a constructed value, or the DER inside an OCTET/BIT STRING. */
  children?: TlvNode[];
  /** Bytes before the children inside the value (the unused-bits octet of a BIT STRING). */
  prefix?: Uint8Array;
  /** Contents of a primitive (when there are no children). */
  value?: Uint8Array;
  /** How the length is written; undefined: the minimal definite form (DER). */
  length?: LengthForm;
  /** Raw bytes after the content, inside the element. */
  trailer?: Uint8Array;
}

const EMPTY = new Uint8Array(0);
/** Tags whose first content byte makes the encapsulated reading worth trying. */
const LIKELY_FIRST = new Set([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x16, 0x30, 0x31, 0x80, 0x81, 0x82, 0x86, 0x87, 0x88, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4]);

interface Parsed {
  readonly node: TlvNode;
  readonly end: number;
}

function parseOne(b: Uint8Array, p: number, end: number, depth: number): Parsed | undefined {
  if (p >= end || depth > 64) return undefined;
  const tagStart = p;
  const first = b[p++]!;
  if ((first & 0x1f) === 0x1f) {
    let n = 0;
    while (p < end && (b[p]! & 0x80) !== 0 && n < 4) {
      p++;
      n++;
    }
    if (p >= end) return undefined;
    p++;
  }
  const tag = b.slice(tagStart, p);
  if (p >= end) return undefined;
  const l = b[p++]!;
  const constructed = (first & 0x20) !== 0;
  if (l === 0x80) {
    if (!constructed) return undefined;
    const children: TlvNode[] = [];
    for (;;) {
      if (p + 2 > end) return undefined;
      if (b[p] === 0 && b[p + 1] === 0) {
        p += 2;
        break;
      }
      const child = parseOne(b, p, end, depth + 1);
      if (child === undefined) return undefined;
      children.push(child.node);
      p = child.end;
    }
    return { node: { tag, children, length: { kind: 'indefinite' } }, end: p };
  }
  let len = l;
  let length: LengthForm | undefined;
  if (l > 0x80) {
    const n = l & 0x7f;
    if (n > 4 || p + n > end) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p++]!;
    if (n !== minimalOctets(len) || len < 0x80) length = { kind: 'long', octets: n };
  }
  if (len > end - p) return undefined;
  const contentEnd = p + len;
  const node: TlvNode = { tag, ...(length === undefined ? {} : { length }) };
  if (constructed) {
    const children = parseAll(b, p, contentEnd, depth + 1);
    if (children !== undefined) node.children = children;
    else node.value = b.slice(p, contentEnd);
  } else if ((first === 0x04 || first === 0x03) && len >= 2 && depth < 24) {
    // DER held in an OCTET STRING (extnValue) or BIT STRING (subjectPublicKey, signature).
    const skip = first === 0x03 ? 1 : 0;
    const inner = first === 0x03 && b[p] !== 0 ? undefined : LIKELY_FIRST.has(b[p + skip]!) ? parseAll(b, p + skip, contentEnd, depth + 1) : undefined;
    if (inner !== undefined && inner.length > 0) {
      node.children = inner;
      if (skip === 1) node.prefix = b.slice(p, p + 1);
    } else node.value = b.slice(p, contentEnd);
  } else node.value = b.slice(p, contentEnd);
  return { node, end: contentEnd };
}

function parseAll(b: Uint8Array, start: number, end: number, depth: number): TlvNode[] | undefined {
  const out: TlvNode[] = [];
  let p = start;
  while (p < end) {
    const one = parseOne(b, p, end, depth);
    if (one === undefined) return undefined;
    out.push(one.node);
    p = one.end;
  }
  return out;
}

/** The elements of `bytes`, or undefined when they do not parse as BER TLVs to the end. */
export function parseTlvs(bytes: Uint8Array): TlvNode[] | undefined {
  return parseAll(bytes, 0, bytes.length, 0);
}

function minimalOctets(n: number): number {
  let k = 1;
  while (n >= 256 ** k && k < 6) k++;
  return k;
}

function lengthOctets(n: number, form: LengthForm | undefined): number[] {
  if (form?.kind === 'raw') return Array.from(form.bytes);
  let len = n;
  if (form?.kind === 'delta') len = Math.max(0, n + form.delta);
  if (form?.kind === 'long' || len >= 0x80) {
    const octets = form?.kind === 'long' ? Math.max(form.octets, minimalOctets(len)) : minimalOctets(len);
    const out = [0x80 | octets];
    for (let i = octets - 1; i >= 0; i--) out.push(Math.floor(len / 256 ** i) & 0xff);
    return out;
  }
  return [len];
}

function contentParts(node: TlvNode, parts: Uint8Array[]): void {
  if (node.children !== undefined) {
    if (node.prefix !== undefined) parts.push(node.prefix);
    for (const c of node.children) nodeParts(c, parts);
  } else parts.push(node.value ?? EMPTY);
  if (node.trailer !== undefined) parts.push(node.trailer);
}

function nodeParts(node: TlvNode, parts: Uint8Array[]): void {
  if (node.length?.kind === 'indefinite') {
    parts.push(node.tag, Uint8Array.of(0x80));
    contentParts(node, parts);
    parts.push(Uint8Array.of(0, 0));
    return;
  }
  const inner: Uint8Array[] = [];
  contentParts(node, inner);
  let n = 0;
  for (const p of inner) n += p.length;
  parts.push(node.tag, Uint8Array.from(lengthOctets(n, node.length)));
  for (const p of inner) parts.push(p);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function serializeTlvs(nodes: readonly TlvNode[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const n of nodes) nodeParts(n, parts);
  return concatBytes(parts);
}

/** The serialized size, without building the bytes (for size caps before a costly edit). */
export function tlvSize(nodes: readonly TlvNode[]): number {
  let total = 0;
  for (const node of nodes) {
    let content = 0;
    if (node.children !== undefined) content = (node.prefix?.length ?? 0) + tlvSize(node.children);
    else content = node.value?.length ?? 0;
    content += node.trailer?.length ?? 0;
    total += node.tag.length + content + (node.length?.kind === 'indefinite' ? 3 : lengthOctets(content, node.length).length);
  }
  return total;
}

export function cloneNode(node: TlvNode): TlvNode {
  const out: TlvNode = { tag: node.tag };
  if (node.children !== undefined) out.children = node.children.map(cloneNode);
  if (node.prefix !== undefined) out.prefix = node.prefix;
  if (node.value !== undefined) out.value = node.value;
  if (node.length !== undefined) out.length = node.length;
  if (node.trailer !== undefined) out.trailer = node.trailer;
  return out;
}

export interface NodeRef {
  readonly node: TlvNode;
  /** The list the node is in (the top list, or its parent's children). */
  readonly siblings: TlvNode[];
  readonly index: number;
  readonly depth: number;
}

/** Every node of the tree, in document order. */
export function collectNodes(nodes: TlvNode[], depth = 0, out: NodeRef[] = []): NodeRef[] {
  nodes.forEach((node, index) => {
    out.push({ node, siblings: nodes, index, depth });
    if (node.children !== undefined) collectNodes(node.children, depth + 1, out);
  });
  return out;
}
