// Lower- and upper-case hexadecimal of bytes, for fingerprints, serial numbers and key ids.

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

/** Lower-case hex, two digits per byte. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!]!;
  return out;
}

/** Upper-case hex, two digits per byte (the form .NET and the Entra portal show). */
export function toUpperHex(bytes: Uint8Array): string {
  return toHex(bytes).toUpperCase();
}

/** Same length and same bytes. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  // Stryker disable next-line EqualityOperator: with equal lengths, the extra iteration of `<=` compares a[a.length] and b[b.length], both undefined
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
