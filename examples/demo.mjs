// The main job on the bundled examples: check each CA certificate the way Graph does, print
// the findings (with the 400 body Graph would answer), and print the create payload built
// from the certificates Graph would accept. Run: npx -y pnpm@10 demo  [files...]
import { readFileSync, readdirSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import { buildCreate, createWebCryptoVerifier, lint, summarize } from '@graph-mtls/core';

const dir = new URL('./certs/', import.meta.url);
const files = process.argv.slice(2).length > 0
  ? process.argv.slice(2)
  : readdirSync(dir).filter((f) => f.endsWith('.pem')).sort().map((f) => new URL(f, dir).pathname);
const now = new Date();
const verifier = createWebCryptoVerifier(webcrypto.subtle);

const reports = [];
const accepted = [];
for (const file of files) {
  const source = file.split('/').slice(-2).join('/');
  const report = await lint(readFileSync(file), { source, now, verifier });
  reports.push(report);
  for (const input of report.inputs) print(source, input.findings);
  for (const c of report.certificates) {
    const kind = c.isRootAuthority ? 'root' : 'intermediate';
    console.log(`\n${source}: ${c.certificate.subjectDn} (${kind}, sha256 ${c.certificate.sha256.slice(0, 16)}…)`);
    print(source, c.findings);
    if (!c.findings.some((f) => f.severity === 'error')) accepted.push(c);
    else console.log(`  Graph would answer 400: ${JSON.stringify(c.findings.find((f) => f.graphError)?.graphError)}`);
  }
}

const s = summarize(reports);
console.log(`\n${s.certificates} certificates: ${s.errors} errors, ${s.warnings} warnings, ${s.notices} notices (checked at ${now.toISOString()})`);

const { body, authorities, findings } = buildCreate(
  {
    displayName: 'Contoso door cameras',
    tlsClientAuthParameter: 'tls_client_auth_san_uri',
    certificateAuthorities: accepted.map((c) => ({ certificate: c.certificate, isRootAuthority: c.isRootAuthority })),
  },
  { now, crlUrlFromCertificate: true },
);
console.log('\nWhat Graph will show for each CA:');
for (const a of authorities) console.log(`  ${a.isRootAuthority ? 'root        ' : 'intermediate'} issuer "${a.issuer}", issuerSki ${a.issuerSki}`);
if (findings.length > 0) print('payload', findings);
console.log(`\nPOST https://graph.microsoft.com/beta/directory/certificateAuthorities/mutualTlsOauthConfigurations`);
console.log(JSON.stringify(body, null, 2));

function print(source, findings) {
  if (findings.length === 0) console.log('  ok: no findings');
  for (const f of findings) {
    const where = f.location?.line ? `${f.location.source ?? source}:${f.location.line}` : f.ref ?? source;
    console.log(`  ${f.severity.padEnd(7)} ${f.code}  ${f.message}  [${where}; ${f.citation}]`);
  }
}
