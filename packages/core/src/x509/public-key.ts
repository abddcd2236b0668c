// SubjectPublicKeyInfo (RFC 5280 §4.1.2.7): the key algorithm and its strength, read from
// RSAPublicKey (RFC 3279 §2.3.1), the EC namedCurve (RFC 5480 §2.1.1), EdDSA (RFC 8410 §3)
// and DSA parameters (RFC 3279 §2.3.2).

import { DerReader, TAG_BIT_STRING, TAG_INTEGER, TAG_OID, TAG_SEQUENCE } from '../encoding/der.ts';
import { decodeAlgorithmIdentifier } from './algorithm.ts';
import { NAMED_CURVES, OID_DSA, OID_EC_PUBLIC_KEY, OID_ED25519, OID_ED448, OID_RSASSA_PSS, OID_RSA_ENCRYPTION } from './oids.ts';

/** The key algorithms the view tells apart. */
export type PublicKeyAlgorithm = 'rsa' | 'rsa-pss' | 'ec' | 'ed25519' | 'ed448' | 'dsa' | 'unknown';

/** A SubjectPublicKeyInfo: algorithm, size, curve and DER. */
export interface PublicKeyInfo {
  readonly algorithm: PublicKeyAlgorithm;
  readonly oid: string;
  /** RSA modulus or DSA prime size in bits; the field size for EC and EdDSA keys. */
  readonly bits?: number;
  /** EC curve: 'P-256', 'P-384', 'P-521', another name, the dotted OID, or 'explicit'. */
  readonly curve?: string;
  /** The whole SubjectPublicKeyInfo DER (what WebCrypto's importKey('spki') takes). */
  readonly spki: Uint8Array;
}

const CURVE_BITS: Record<string, number> = {
  'P-192': 192, 'P-224': 224, 'P-256': 256, 'P-384': 384, 'P-521': 521, secp256k1: 256,
  brainpoolP256r1: 256, brainpoolP384r1: 384, brainpoolP512r1: 512,
};

/** The algorithm, size and curve of a SubjectPublicKeyInfo (RFC 5280 §4.1.2.7, RFC 5480). */
export function decodePublicKey(spki: Uint8Array, maxDepth: number): PublicKeyInfo {
  const r = new DerReader(spki, 0, spki.length, 0, maxDepth);
  const seq = r.enter(TAG_SEQUENCE, 'subjectPublicKeyInfo');
  const alg = decodeAlgorithmIdentifier(seq, 'subjectPublicKeyInfo.algorithm');
  seq.expect(TAG_BIT_STRING, 'subjectPublicKeyInfo.subjectPublicKey');
  seq.checkBitString('subjectPublicKeyInfo.subjectPublicKey');
  const keyStart = seq.valueStart + 1;
  const keyEnd = seq.valueEnd;
  seq.finish('subjectPublicKeyInfo');
  switch (alg.oid) {
    case OID_RSA_ENCRYPTION:
    case OID_RSASSA_PSS: {
      const k = new DerReader(spki, keyStart, keyEnd, 0, maxDepth).enter(TAG_SEQUENCE, 'RSAPublicKey');
      k.expect(TAG_INTEGER, 'RSAPublicKey.modulus');
      const modulus = k.integerBytes('RSAPublicKey.modulus');
      if (modulus[0]! >= 0x80) throw k.invalid('RSAPublicKey.modulus: expected a positive INTEGER, received a negative one');
      const bits = unsignedBits(modulus);
      k.expect(TAG_INTEGER, 'RSAPublicKey.publicExponent');
      k.finish('RSAPublicKey');
      return { algorithm: alg.oid === OID_RSA_ENCRYPTION ? 'rsa' : 'rsa-pss', oid: alg.oid, bits, spki };
    }
    case OID_EC_PUBLIC_KEY: {
      let curve = 'explicit';
      if (alg.parameters !== undefined && alg.parameters[0] === TAG_OID) {
        const p = new DerReader(alg.parameters);
        p.expect(TAG_OID, 'ECParameters.namedCurve');
        const oid = p.oid('ECParameters.namedCurve');
        curve = NAMED_CURVES.get(oid) ?? oid;
      }
      const bits = CURVE_BITS[curve];
      return bits === undefined ? { algorithm: 'ec', oid: alg.oid, curve, spki } : { algorithm: 'ec', oid: alg.oid, curve, bits, spki };
    }
    case OID_ED25519:
      return { algorithm: 'ed25519', oid: alg.oid, bits: 256, spki };
    case OID_ED448:
      return { algorithm: 'ed448', oid: alg.oid, bits: 456, spki };
    case OID_DSA: {
      if (alg.parameters === undefined) return { algorithm: 'dsa', oid: alg.oid, spki };
      const p = new DerReader(alg.parameters).enter(TAG_SEQUENCE, 'Dss-Parms');
      p.expect(TAG_INTEGER, 'Dss-Parms.p');
      return { algorithm: 'dsa', oid: alg.oid, bits: unsignedBits(p.integerBytes('Dss-Parms.p')), spki };
    }
    default:
      return { algorithm: 'unknown', oid: alg.oid, spki };
  }
}

function unsignedBits(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const first = bytes[i]!;
  return (bytes.length - i - 1) * 8 + (first === 0 ? 0 : 32 - Math.clz32(first));
}
