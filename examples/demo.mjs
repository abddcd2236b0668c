// The main job on the bundled examples, through the graph-mtls CLI and with no tenant:
// 1. lint every example CA certificate (two pass; an expired CA and a device certificate
//    mistaken for a CA fail, with the 400 Graph would answer);
// 2. build the create payload from the two that pass;
// 3. start the local Graph emulator (test/emulator: a real HTTP server on 127.0.0.1) and
//    plan, apply, plan again (no changes) and list the desired state in desired-state.json;
// 4. verify the example devices against that configuration: one authenticates, one does not
//    (its extendedKeyUsage leaves out clientAuth), and the output says why.
// Run: npx -y pnpm@10 demo
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../test/emulator/dist/emulator.mjs';

const cwd = fileURLToPath(new URL('.', import.meta.url));
const CLI = fileURLToPath(new URL('../packages/node/dist/cli.js', import.meta.url));
const emulator = await startEmulator();

/** Runs the built CLI as a user would; the emulator answers from this process meanwhile. */
async function run(args) {
  console.log(`\n$ graph-mtls ${args.join(' ')}`);
  const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: 'inherit', env: { ...process.env, GRAPH_TOKEN: 'test-token' } });
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status, signal) => resolve(status ?? (signal === null ? 1 : 128)));
  });
  console.log(`(exit ${code})`);
  return code;
}

try {
  await run(['lint', 'certs/']);
  let code = await run(['build', '--display-name', 'Contoso door cameras', '--param', 'tls_client_auth_san_uri', '--crl-from-certificate', 'certs/contoso-root-ca.pem', 'certs/contoso-issuing-ca.pem']);
  console.log(`\nThe local Graph emulator listens on ${emulator.url}; GRAPH_TOKEN=test-token.`);
  const graph = ['--base-url', emulator.url];
  for (const command of ['plan', 'apply', 'plan']) code ||= await run([command, ...graph, 'desired-state.json']);
  code ||= await run(['list', ...graph]);
  // Exit 1 is the expected answer here: window-sensor-0007 would not authenticate.
  const verified = await run(['verify', '--config', 'desired-state.json', 'devices/']);
  if (verified !== 1) code ||= verified === 0 ? 1 : verified;
  process.exitCode = code;
} finally {
  await emulator.close();
}
