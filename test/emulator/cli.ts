// Graph emulator command line: starts the emulator (server.ts) on 127.0.0.1 and prints its URL,
// for the demo and manual runs. The lead wires the entry point; `main` does the work.
//
//   --port N | GRAPH_EMULATOR_PORT     port (default 0: ephemeral)
//   --page-size N | GRAPH_EMULATOR_PAGE_SIZE
//   --token T[=scope,scope]            extra bearer token (repeatable; default scope ReadWrite.All)
//   --no-cors

import { startEmulator, type Emulator, type EmulatorOptions } from './server.ts';

export interface CliIo {
  readonly out: (line: string) => void;
}

function intOption(name: string, text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  if (!/^\d+$/.test(text)) throw new Error(`${name}: expected a non-negative integer, received ${JSON.stringify(text.slice(0, 60))}`);
  return Number(text);
}

/** Parses argv/env into emulator options. */
export function parseArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): EmulatorOptions {
  let port: string | undefined = env['GRAPH_EMULATOR_PORT'];
  let pageSize: string | undefined = env['GRAPH_EMULATOR_PAGE_SIZE'];
  let cors = true;
  const tokens: Record<string, { scopes: string[] }> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined) throw new Error(`${name}: expected a value, received nothing`);
      return next;
    };
    if (name === '--port') port = value();
    else if (name === '--page-size') pageSize = value();
    else if (name === '--no-cors') cors = false;
    else if (name === '--token') {
      const spec = value();
      const at = spec.indexOf('=');
      const token = at < 0 ? spec : spec.slice(0, at);
      const scopes = at < 0 ? ['MutualTlsOauthConfiguration.ReadWrite.All'] : spec.slice(at + 1).split(',').filter((s) => s !== '');
      tokens[token] = { scopes };
    } else throw new Error(`argument: expected --port, --page-size, --token or --no-cors, received ${JSON.stringify(arg.slice(0, 60))}`);
  }
  const options: EmulatorOptions = { cors };
  const p = intOption('--port', port);
  if (p !== undefined) options.port = p;
  const size = intOption('--page-size', pageSize);
  if (size !== undefined) {
    if (size < 1) throw new Error('--page-size: expected at least 1, received 0');
    options.pageSize = size;
  }
  if (Object.keys(tokens).length > 0) {
    options.tokens = { 'test-token': { scopes: ['MutualTlsOauthConfiguration.ReadWrite.All'] }, ...tokens };
  }
  return options;
}

/** Starts the emulator and prints its Graph root URL. Closes it on SIGINT/SIGTERM. */
export async function main(
  argv: readonly string[] = process.argv.slice(2),
  env: Readonly<Record<string, string | undefined>> = process.env,
  io: CliIo = { out: (line) => process.stdout.write(`${line}\n`) },
): Promise<Emulator> {
  const emulator = await startEmulator(parseArgs(argv, env));
  io.out(emulator.url);
  const close = emulator.close.bind(emulator);
  const stop = (): void => void emulator.close();
  emulator.close = (): Promise<void> => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    return close();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return emulator;
}
