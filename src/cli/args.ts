// A tiny, strict argument parser shared by every subcommand. Strict on purpose: an unknown or
// misspelt flag is exit 2 with usage, never silently ignored (a CI job that passes `--jsno` must
// fail loudly rather than print text where JSON was expected).

export type FlagType = 'boolean' | 'string' | 'integer';

export interface ArgSpec {
  /** Long flag names without the leading `--`, e.g. { json: 'boolean', 'max-concurrency': 'integer' }. */
  readonly flags: Readonly<Record<string, FlagType>>;
  /** How many positional arguments the command takes (FILE is one). */
  readonly positionals: { readonly min: number; readonly max: number; readonly names: readonly string[] };
}

export type FlagValue = boolean | string | number;

export interface ParsedArgs {
  readonly flags: Readonly<Record<string, FlagValue | undefined>>;
  readonly positionals: readonly string[];
  /** `-h` / `--help` was given: the command prints its usage and exits 0. */
  readonly help: boolean;
}

export type ArgsResult = { readonly ok: true; readonly args: ParsedArgs } | { readonly ok: false; readonly error: string };

/**
 * Parses `argv` (without the command name). Accepts `--flag value`, `--flag=value`, `--` to end
 * options, and `-` as a positional (standard input).
 */
export function parseArgs(argv: readonly string[], spec: ArgSpec): ArgsResult {
  const flags: Record<string, FlagValue | undefined> = Object.create(null) as Record<string, FlagValue | undefined>;
  const positionals: string[] = [];
  let help = false;
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyPositionals || arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPositionals = true;
      continue;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--')) return { ok: false, error: `unknown option '${arg}'` };
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const type = Object.prototype.hasOwnProperty.call(spec.flags, name) ? spec.flags[name] : undefined;
    if (!type) return { ok: false, error: `unknown option '--${name}'` };
    if (name in flags) return { ok: false, error: `option '--${name}' was given twice` };
    if (type === 'boolean') {
      if (eq !== -1) return { ok: false, error: `option '--${name}' takes no value` };
      flags[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && (argv[i + 1] === '-' || !argv[i + 1].startsWith('--'))) value = argv[++i];
    if (value === undefined || value === '') return { ok: false, error: `option '--${name}' needs a value` };
    if (type === 'integer') {
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) < 1) {
        return { ok: false, error: `option '--${name}' needs a whole number of at least 1, not '${value}'` };
      }
      flags[name] = Number(value);
    } else {
      flags[name] = value;
    }
  }
  if (!help) {
    const { min, max, names } = spec.positionals;
    if (positionals.length < min) return { ok: false, error: `missing ${names[positionals.length] ?? 'argument'}` };
    if (positionals.length > max) return { ok: false, error: `unexpected argument '${positionals[max]}'` };
  }
  return { ok: true, args: { flags, positionals, help } };
}
