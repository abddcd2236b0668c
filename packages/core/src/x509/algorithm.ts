// AlgorithmIdentifier (RFC 5280 §4.1.1.2) and the parameters the checks need: the RSASSA-PSS
// hash (RFC 4055 §3.1, DEFAULT SHA-1) and the names of known signature algorithms.

import { DerReader, TAG_INTEGER, TAG_OID, TAG_SEQUENCE, contextConstructed } from '../encoding/der.ts';
import { Interner, hashEnds } from '../encoding/intern.ts';
import { HASH_ALGORITHMS, OID_RSASSA_PSS, SIGNATURE_ALGORITHMS, type SignatureAlgorithmInfo } from './oids.ts';

/** A signature or key algorithm: its OID, readable name, parameters and DER. */
export interface AlgorithmIdentifier {
  readonly oid: string;
  /** A readable name for known algorithms, else the OID. */
  readonly name: string;
  /** The parameters TLV, when present (NULL included). */
  readonly parameters?: Uint8Array;
  /** The whole AlgorithmIdentifier TLV, for byte comparison of tbs and outer algorithms. */
  readonly der: Uint8Array;
}

const algorithms = new Interner<AlgorithmIdentifier>(256);

/**
 * Reads the next element of `reader` as an AlgorithmIdentifier. A certificate corpus holds a
 * handful of distinct ones, so each is kept once (frozen, over its own copy of the bytes).
 */
export function decodeAlgorithmIdentifier(reader: DerReader, what: string): AlgorithmIdentifier {
  reader.expect(TAG_SEQUENCE, what);
  const b = reader.bytes;
  const start = reader.elementStart;
  const end = reader.valueEnd;
  const hash = hashEnds(b, start, end);
  const cached = algorithms.get(b, start, end, hash);
  if (cached !== undefined && reader.depth + 1 <= reader.maxDepth) return cached;
  const seq = reader.child(what);
  seq.expect(TAG_OID, `${what}.algorithm`);
  const oid = seq.oid(`${what}.algorithm`);
  const hasParameters = !seq.done;
  if (hasParameters) seq.next(`${what}.parameters`);
  const parametersStart = seq.elementStart - start;
  seq.finish(what);
  const name = SIGNATURE_ALGORITHMS.get(oid)?.name ?? oid;
  return algorithms.add(b, start, end, hash, (source, s, e) => {
    const der = source.subarray(s, e);
    return hasParameters ? { oid, name, parameters: der.subarray(parametersStart), der } : { oid, name, der };
  });
}

export interface SignatureScheme extends SignatureAlgorithmInfo {
  /** RSASSA-PSS salt length (RFC 4055 §3.1, DEFAULT 20). */
  readonly saltLength?: number;
}

/** What a signature algorithm means, with the PSS parameters resolved; undefined when unknown or malformed. */
export function signatureScheme(alg: AlgorithmIdentifier): SignatureScheme | undefined {
  const info = SIGNATURE_ALGORITHMS.get(alg.oid);
  if (info === undefined || alg.oid !== OID_RSASSA_PSS) return info;
  // Read once per distinct (interned) AlgorithmIdentifier.
  let scheme = pssSchemes.get(alg);
  if (scheme === undefined) {
    try {
      scheme = { ...info, ...pssParameters(alg.parameters) };
    } catch {
      scheme = null;
    }
    pssSchemes.set(alg, scheme);
  }
  return scheme ?? undefined;
}

const pssSchemes = new WeakMap<AlgorithmIdentifier, SignatureScheme | null>();

function pssParameters(parameters: Uint8Array | undefined): { hash: SignatureAlgorithmInfo['hash']; saltLength: number } {
  let hash: SignatureAlgorithmInfo['hash'] = 'SHA-1';
  let saltLength = 20;
  if (parameters === undefined) return { hash, saltLength };
  const r = new DerReader(parameters);
  const seq = r.enter(TAG_SEQUENCE, 'RSASSA-PSS-params');
  if (seq.optional(contextConstructed(0), 'hashAlgorithm')) {
    const inner = seq.child('hashAlgorithm');
    const h = decodeAlgorithmIdentifier(inner, 'hashAlgorithm');
    hash = HASH_ALGORITHMS.get(h.oid);
    if (hash === undefined) throw seq.invalid(`RSASSA-PSS-params: expected a known hash, received ${h.oid}`);
  }
  seq.optional(contextConstructed(1), 'maskGenAlgorithm');
  if (seq.optional(contextConstructed(2), 'saltLength')) {
    const inner = seq.child('saltLength');
    inner.expect(TAG_INTEGER, 'saltLength');
    saltLength = inner.smallInteger('saltLength');
  }
  seq.optional(contextConstructed(3), 'trailerField');
  seq.finish('RSASSA-PSS-params');
  return { hash, saltLength };
}
