// The environment a shell tool starts with (README "Shell environment"). A plan's commands do not
// inherit the whole environment of the editor or terminal that runs them: that holds API keys
// (OPENAI_API_KEY, ANTHROPIC_API_KEY, AWS_SECRET_ACCESS_KEY, GITHUB_TOKEN…), and a command that
// prints its environment, uploads a crash report or runs a tool with telemetry would carry them
// off. Like sudo's env_reset and the MCP SDK's stdio servers, only a short list of variables that
// programs need to behave normally is passed on; a plan or the user names any others.
// Pure: the caller gives the environment to read from.

/** Passed on by default: where things are, who is running, language and terminal. No credentials. */
export const DEFAULT_SHELL_ENV: readonly string[] = [
  'PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'TERM', 'COLORTERM', 'NO_COLOR', 'FORCE_COLOR',
  'LANG', 'LANGUAGE', 'LC_*', 'TZ', 'TMPDIR', 'TMP', 'TEMP',
];

/** A name (`AWS_PROFILE`), a prefix (`AWS_*`) or everything (`*`). */
const PATTERN = /^(?:\*|[A-Za-z_][A-Za-z0-9_]*\*?)$/;

/** Why a pattern is not one, or null when it is. */
export function envPatternProblem(pattern: string): string | null {
  return PATTERN.test(pattern) ? null
    : `${JSON.stringify(pattern)} is not a variable name, a prefix ending in * (AWS_*) or * (everything)`;
}

export function matchesEnvPattern(name: string, patterns: readonly string[]): boolean {
  for (const p of patterns) {
    if (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : name === p) return true;
  }
  return false;
}

/**
 * The variables of `from` that a shell tool inherits: the defaults plus `extra` patterns (the
 * host's option and the tool's `args.inheritEnv`). Explicit `args.env` values go on top of this.
 */
export function inheritedEnv(from: Readonly<Record<string, string | undefined>>, extra: readonly string[] = []): Record<string, string> {
  const patterns = [...DEFAULT_SHELL_ENV, ...extra];
  const out = Object.setPrototypeOf({}, null) as Record<string, string>; // `__proto__` is a valid variable name
  for (const [name, value] of Object.entries(from)) {
    if (value !== undefined && matchesEnvPattern(name, patterns)) out[name] = value;
  }
  return out;
}
