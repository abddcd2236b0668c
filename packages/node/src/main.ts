// The `graph-mtls` command line: dispatches to the commands, turns usage mistakes into exit 2.

import { buildCommand, BUILD_HELP } from './commands/build.ts';
import { completionCommand, COMPLETION_HELP, optionsOf } from './commands/completion.ts';
import { closestName } from '@graph-mtls/core';
import { EXIT_OK, EXIT_USAGE, UsageError, VERSION, type CliContext } from './commands/context.ts';
import { identifyCommand, IDENTIFY_HELP } from './commands/identify.ts';
import { lintCommand, LINT_HELP } from './commands/lint.ts';
import { rulesCommand, RULES_HELP } from './commands/rules.ts';
import { exportCommand, EXPORT_HELP, listCommand, LIST_HELP, planCommand, PLAN_HELP } from './commands/tenant.ts';
import { verifyCommand, VERIFY_HELP } from './commands/verify.ts';

export const HELP = `Usage: graph-mtls <command> [options]

Pre-flight checks for the CA certificates trusted by Microsoft Graph's
mutualTlsOauthConfiguration (IoT device mTLS in Microsoft Entra): lint, build, identify and
verify need no network (verify --tenant reads from Graph); plan, apply, export, list, get and
delete talk to Graph.

Commands:
  lint <paths...>        check CA certificates and payload files; exit 1 when Graph would reject
  build <CA paths...>    print the ready-to-POST (or --update: PATCH) JSON
  identify <paths...>    print the identity value Entra sees on device certificates
  verify <paths...>      say whether device certificates would authenticate (--config <configuration.json>)
  rules                  list the rule catalogue
  plan <config.json>     show what apply would change in the tenant (create, CAs added/removed/kept)
  apply <config.json>    make the tenant match a desired-state file
  export <folder>        write the tenant's configurations as a desired-state file and its CA files
  list | get <id> | delete <id>   the configurations in the tenant
  completion <shell>     print a completion script for bash, zsh or fish

Options:
  -h, --help             show help (also: graph-mtls <command> --help)
  -v, --version          show the version
  --color, --no-color    colour text output or not, whatever the terminal (default: on a TTY, unless
                         NO_COLOR is set; FORCE_COLOR=1 or 0 forces it)

Run 'graph-mtls <command> --help' for a command's options and examples.
`;

const COMMANDS: Record<string, { run: (args: readonly string[], ctx: CliContext) => Promise<number> | number; help: string }> = {
  lint: { run: lintCommand, help: LINT_HELP },
  build: { run: buildCommand, help: BUILD_HELP },
  identify: { run: identifyCommand, help: IDENTIFY_HELP },
  verify: { run: verifyCommand, help: VERIFY_HELP },
  rules: { run: rulesCommand, help: RULES_HELP },
  plan: { run: (a, c) => planCommand(a, c, false), help: PLAN_HELP },
  apply: { run: (a, c) => planCommand(a, c, true), help: PLAN_HELP },
  export: { run: exportCommand, help: EXPORT_HELP },
  list: { run: (a, c) => listCommand(a, c, 'list'), help: LIST_HELP },
  get: { run: (a, c) => listCommand(a, c, 'get'), help: LIST_HELP },
  delete: { run: (a, c) => listCommand(a, c, 'delete'), help: LIST_HELP },
  completion: { run: (a, c) => completionCommand(a, c, Object.fromEntries(Object.entries(COMMANDS).map(([n, cmd]) => [n, cmd.help]))), help: COMPLETION_HELP },
};

export async function main(argv: readonly string[], given: CliContext): Promise<number> {
  // --color and --no-color go with every command: taken out here (the last one wins), before `--`.
  let ctx = given;
  const args: string[] = [];
  let afterDashes = false;
  for (const a of argv) {
    if (a === '--') afterDashes = true;
    if (!afterDashes && (a === '--color' || a === '--no-color')) ctx = { ...ctx, color: a === '--color' };
    else args.push(a);
  }
  const [name, ...rest] = args;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    ctx.stdout.write(HELP);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '-v' || name === '--version') {
    ctx.stdout.write(`${VERSION}\n`);
    return EXIT_OK;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    const near = closestName(name, Object.keys(COMMANDS));
    ctx.stderr.write(`graph-mtls: unknown command '${name}'${near === undefined ? '' : ` (did you mean ${near}?)`}\n\n${HELP}`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(rest, ctx);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      ctx.stderr.write(`graph-mtls ${name}: ${didYouMean(error as Error, command.help) ?? (error as Error).message}\nRun 'graph-mtls ${name} --help' for usage.\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

/** For an unknown option close to one the command's help lists: the message that names it. */
function didYouMean(error: Error, help: string): string | undefined {
  if ((error as { code?: string }).code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return undefined;
  const given = /'(--?[^'=\s]+)/.exec(error.message)?.[1];
  const near = given === undefined ? undefined : closestName(given, [...optionsOf(help), '--color', '--no-color', '--help']);
  return near === undefined ? undefined : `unknown option '${given}' (did you mean ${near}?)`;
}
