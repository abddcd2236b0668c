// The main job on the bundled examples, through the graph-mtls CLI: lint every example CA
// certificate (two pass; an expired CA and a device certificate mistaken for a CA fail, with
// the 400 Graph would answer), then build the create payload from the two that pass.
// Run: npx -y pnpm@10 demo
import { main } from '@graph-mtls/node';

const ctx = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: new URL('.', import.meta.url).pathname };

async function run(args) {
  console.log(`\n$ graph-mtls ${args.join(' ')}`);
  const code = await main(args, ctx);
  console.log(`(exit ${code})`);
  return code;
}

await run(['lint', 'certs/']);
const code = await run(['build', '--display-name', 'Contoso door cameras', '--param', 'tls_client_auth_san_uri', '--crl-from-certificate', 'certs/contoso-root-ca.pem', 'certs/contoso-issuing-ca.pem']);
process.exitCode = code;
