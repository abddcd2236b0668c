// `graph-mtls completion bash|zsh|fish`: a completion script for the shell, made from the
// commands and the options their --help lists, so it never falls behind them.

import { EXIT_OK, UsageError, oneOf, type CliContext } from './context.ts';

export const COMPLETION_HELP: string = `Usage: graph-mtls completion <bash|zsh|fish>

Prints a shell completion script for commands and their options (paths complete as files).

  bash:  eval "$(graph-mtls completion bash)"        (or save it in ~/.local/share/bash-completion/completions/graph-mtls)
  zsh:   eval "$(graph-mtls completion zsh)"         (in ~/.zshrc; it uses zsh's bashcompinit)
  fish:  graph-mtls completion fish > ~/.config/fish/completions/graph-mtls.fish
`;

/** The long options a command's help lists (`--format`, ...), in order, once each. */
export function optionsOf(help: string): string[] {
  return [...new Set([...help.matchAll(/(?<![\w-])--[a-z][a-z0-9-]*/g)].map((m) => m[0]))];
}

export function completionCommand(args: readonly string[], ctx: CliContext, commands: Readonly<Record<string, string>>): number {
  if (args.includes('-h') || args.includes('--help')) {
    ctx.stdout.write(COMPLETION_HELP);
    return EXIT_OK;
  }
  if (args.length !== 1) throw new UsageError('expected one shell: bash, zsh or fish');
  const shell = oneOf(args[0], ['bash', 'zsh', 'fish'] as const, 'the shell', 'bash');
  const names = Object.keys(commands);
  ctx.stdout.write(shell === 'fish' ? fish(names, commands) : bash(names, commands, shell === 'zsh'));
  return EXIT_OK;
}

function bash(names: readonly string[], commands: Readonly<Record<string, string>>, zsh: boolean): string {
  const cases = names.map((n) => `    ${n}) opts="${optionsOf(commands[n]!).join(' ')}" ;;`).join('\n');
  return `# graph-mtls completion (${zsh ? 'zsh, through bashcompinit' : 'bash'})
${zsh ? 'autoload -U +X bashcompinit && bashcompinit\n' : ''}_graph_mtls() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" opts=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${names.join(' ')} --help --version" -- "$cur"))
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$opts --help" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -o bashdefault -F _graph_mtls graph-mtls
`;
}

function fish(names: readonly string[], commands: Readonly<Record<string, string>>): string {
  const lines = [`# graph-mtls completion (fish)`, `complete -c graph-mtls -f -n __fish_use_subcommand -a '${names.join(' ')}'`];
  for (const n of names) {
    for (const option of optionsOf(commands[n]!)) lines.push(`complete -c graph-mtls -n '__fish_seen_subcommand_from ${n}' -l ${option.slice(2)}`);
  }
  return `${lines.join('\n')}\n`;
}
