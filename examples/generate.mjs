// Regenerates the example certificates (committed, so the demo needs no generation step): in
// examples/certs a Contoso root and issuing CA that Graph accepts, an expired legacy CA, and a
// device certificate mistaken for a CA; in examples/devices two device certificates under the
// issuing CA, one that authenticates and one whose extendedKeyUsage leaves out clientAuth.
// Run: node examples/generate.mjs
// @peculiar/x509 encodes a subject string in the order written, so subjects are written
// C first, as CAs encode them.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);
const ec = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const rsa = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
const out = new URL('./certs/', import.meta.url);

async function cert({ subject, issuer, keys, algorithm, serial, notBefore, notAfter, ca, pathLen, crl, extraKu, eku = x509.ExtendedKeyUsage.clientAuth, uri }) {
  const extensions = [
    new x509.BasicConstraintsExtension(ca, pathLen, true),
    new x509.KeyUsagesExtension(
      ca ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | (extraKu ?? 0) : x509.KeyUsageFlags.digitalSignature,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey));
  if (crl) extensions.push(new x509.CRLDistributionPointsExtension([crl]));
  if (!ca) {
    extensions.push(new x509.ExtendedKeyUsageExtension([eku]));
    extensions.push(new x509.SubjectAlternativeNameExtension([{ type: 'url', value: uri ?? 'urn:device:7f3c2a10-5d1e-4c1b-9a43-2d6f0e8b1c55' }]));
  }
  const c = await x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject,
    issuer: issuer ? issuer.cert.subject : subject,
    notBefore: new Date(notBefore),
    notAfter: new Date(notAfter),
    signingAlgorithm: algorithm,
    publicKey: keys.publicKey,
    signingKey: issuer ? issuer.keys.privateKey : keys.privateKey,
    extensions,
  });
  return { cert: c, keys };
}

const rootKeys = await webcrypto.subtle.generateKey(ec, true, ['sign', 'verify']);
const root = await cert({
  subject: 'C=US, O=Contoso Ltd, CN=Contoso IoT Root CA', keys: rootKeys, algorithm: ec,
  serial: '4d2a1c0e77f1', notBefore: '2026-01-01T00:00:00Z', notAfter: '2046-01-01T00:00:00Z', ca: true,
});
const issuingKeys = await webcrypto.subtle.generateKey(rsa, true, ['sign', 'verify']);
const issuing = await cert({
  subject: 'C=US, O=Contoso Ltd, OU=Devices, CN=Contoso IoT Issuing CA 01', issuer: root, keys: issuingKeys, algorithm: ec,
  serial: '6b01f3a9c2', notBefore: '2026-01-01T00:00:00Z', notAfter: '2036-01-01T00:00:00Z', ca: true, pathLen: 0,
  crl: 'http://pki.contoso.example/crl/issuing-ca-01.crl',
});
const legacyKeys = await webcrypto.subtle.generateKey(ec, true, ['sign', 'verify']);
const legacy = await cert({
  subject: 'C=DE, O=Fabrikam Inc, CN=Fabrikam Legacy Device CA', keys: legacyKeys, algorithm: ec,
  serial: '0a11', notBefore: '2020-01-01T00:00:00Z', notAfter: '2025-01-01T00:00:00Z', ca: true,
});
const deviceKeys = await webcrypto.subtle.generateKey(ec, true, ['sign', 'verify']);
const device = await cert({
  subject: 'O=Contoso Ltd, CN=door-camera-0042', issuer: issuing, keys: deviceKeys, algorithm: ec,
  serial: '01f00042', notBefore: '2026-06-01T00:00:00Z', notAfter: '2028-06-01T00:00:00Z', ca: false,
});

const sensorKeys = await webcrypto.subtle.generateKey(ec, true, ['sign', 'verify']);
const sensor = await cert({
  subject: 'O=Contoso Ltd, CN=window-sensor-0007', issuer: issuing, keys: sensorKeys, algorithm: ec,
  serial: '01f00007', notBefore: '2026-06-01T00:00:00Z', notAfter: '2028-06-01T00:00:00Z', ca: false,
  eku: x509.ExtendedKeyUsage.serverAuth, uri: 'urn:device:0b3e9d21-7a44-4c6e-8f10-5e2d9c7a1b07',
});

for (const [name, c] of [['contoso-root-ca', root], ['contoso-issuing-ca', issuing], ['fabrikam-legacy-ca', legacy], ['door-camera-0042', device]]) {
  writeFileSync(new URL(`${name}.pem`, out), c.cert.toString('pem') + '\n');
}
const devices = new URL('./devices/', import.meta.url);
mkdirSync(devices, { recursive: true });
for (const [name, c] of [['door-camera-0042', device], ['window-sensor-0007', sensor]]) {
  writeFileSync(new URL(`${name}.pem`, devices), c.cert.toString('pem') + '\n');
}
console.log('wrote', out.pathname, devices.pathname);
