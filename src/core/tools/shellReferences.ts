// Output passing into a shell command without turning outputs into shell syntax (README "Shell
// commands and tool outputs"). Pasting a tool's output into a command line is the classic
// injection: an output `x; rm -rf ~` or `$(curl …)` would run. So a reference in `args.command`
// is never replaced by its value. It becomes an expansion of an environment variable
// (FANOUT_REF_1, FANOUT_REF_2, … one per distinct reference), quoted for the place where it
// stands, and the value travels in the environment: the shell expands a variable once and never
// parses what it contains, so the value arrives as one argument, exactly as written.
//
//   echo ${a.output}           →  echo "${FANOUT_REF_1}"
//   echo "got ${a.output}!"    →  echo "got ${FANOUT_REF_1}!"
//   echo 'got ${a.output}'     →  echo 'got '"${FANOUT_REF_1}"''
//
// Knowing "where it stands" takes a small lexer of POSIX sh quoting: single and double quotes,
// backslashes, $(…), `…`, ${…}, $((…)), comments and here-documents. Pure: no Node imports.
import type { JsonObject, JsonValue } from '../plan/types';
import { REFERENCE_PATTERN } from '../plan/references';
import { resolveArgs, type OutputLookup, type Resolved } from '../engine/resolve';

/** Names of the variables that carry references; `args.env` may not set them itself. */
export const SHELL_REF_PREFIX = 'FANOUT_REF_';

export interface BoundReference {
  /** The environment variable that carries the value, e.g. FANOUT_REF_1. */
  readonly name: string;
  /** The reference as written, e.g. `${a.output.files}`. */
  readonly text: string;
}

export type BoundCommand =
  | { readonly ok: true; readonly command: string; readonly refs: readonly BoundReference[] }
  | { readonly ok: false; readonly error: string };

/** Lexer states: where the next character stands. */
type Frame =
  | { readonly kind: 'plain' } // command level: the top, or inside $( … )
  | { readonly kind: 'cmdsub'; depth: number }
  | { readonly kind: 'backtick' }
  | { readonly kind: 'double' }
  | { readonly kind: 'param'; readonly quoted: boolean } // ${ … }
  | { readonly kind: 'arith'; depth: number }; // $(( … ))

interface HereDoc {
  readonly delimiter: string;
  readonly stripTabs: boolean;
  readonly quoted: boolean;
}

const REF_AT = new RegExp(REFERENCE_PATTERN.source, 'y');

/**
 * Rewrites every reference in `command` into a quoted variable expansion. `keep(id)`: references
 * to that tool stay as written (simulation of tools that have no real output).
 */
export function bindShellCommand(command: string, keep?: (id: string) => boolean): BoundCommand {
  if (!command.includes('${')) return { ok: true, command, refs: [] };
  const names = new Map<string, string>();
  const refs: BoundReference[] = [];
  const out: string[] = [];
  const stack: Frame[] = [{ kind: 'plain' }];
  const pending: HereDoc[] = [];
  let wordStart = true; // for `#`: a comment starts only at the beginning of a word
  let i = 0;
  const n = command.length;

  const nameFor = (text: string): string => {
    let name = names.get(text);
    if (name === undefined) {
      name = `${SHELL_REF_PREFIX}${names.size + 1}`;
      names.set(text, name);
      refs.push({ name, text });
    }
    return name;
  };
  /** A reference at `i`, if any: its text and id. */
  const refAt = (at: number): { text: string; id: string } | null => {
    if (command.charCodeAt(at) !== 36 /* $ */ || command.charCodeAt(at + 1) !== 123 /* { */) return null;
    REF_AT.lastIndex = at;
    const m = REF_AT.exec(command);
    return m ? { text: m[0], id: m[1] } : null;
  };

  while (i < n) {
    const frame = stack[stack.length - 1];
    const c = command[i];

    const ref = refAt(i);
    if (ref) {
      if (keep?.(ref.id)) out.push(ref.text);
      else {
        const v = `\${${nameFor(ref.text)}}`;
        const unquoted = frame.kind === 'plain' || frame.kind === 'cmdsub' || frame.kind === 'backtick' || (frame.kind === 'param' && !frame.quoted);
        out.push(unquoted ? `"${v}"` : v);
      }
      i += ref.text.length;
      wordStart = false;
      continue;
    }

    if (frame.kind === 'double') {
      if (c === '\\') { out.push(command.slice(i, i + 2)); i += 2; continue; }
      if (c === '"') { stack.pop(); out.push(c); i++; continue; }
      if (openExpansion(command, i, stack, out, true)) { i = advance(command, i); continue; }
      if (c === '`') { stack.push({ kind: 'backtick' }); out.push(c); i++; continue; }
      out.push(c); i++; continue;
    }

    if (frame.kind === 'param') {
      if (c === '\\') { out.push(command.slice(i, i + 2)); i += 2; continue; }
      if (c === '}') { stack.pop(); out.push(c); i++; continue; }
      if (c === '"') { stack.push({ kind: 'double' }); out.push(c); i++; continue; }
      if (c === "'" && !frame.quoted) { i = singleQuoted(command, i, out, keep, nameFor); continue; }
      if (openExpansion(command, i, stack, out, frame.quoted)) { i = advance(command, i); continue; }
      if (c === '`') { stack.push({ kind: 'backtick' }); out.push(c); i++; continue; }
      out.push(c); i++; continue;
    }

    if (frame.kind === 'arith') {
      if (c === '(') { frame.depth++; out.push(c); i++; continue; }
      if (c === ')') {
        if (frame.depth > 0) { frame.depth--; out.push(c); i++; continue; }
        if (command[i + 1] === ')') { stack.pop(); out.push('))'); i += 2; continue; }
        out.push(c); i++; continue;
      }
      if (openExpansion(command, i, stack, out, true)) { i = advance(command, i); continue; }
      out.push(c); i++; continue;
    }

    // Command level: plain, $( … ) or ` … `.
    if (c === '\\') {
      if (frame.kind === 'backtick' && command[i + 1] === '`') { out.push('\\`'); i += 2; continue; }
      out.push(command.slice(i, i + 2)); i += 2; wordStart = false; continue;
    }
    if (c === "'") { i = singleQuoted(command, i, out, keep, nameFor); wordStart = false; continue; }
    if (c === '"') { stack.push({ kind: 'double' }); out.push(c); i++; wordStart = false; continue; }
    if (c === '`') {
      if (frame.kind === 'backtick') stack.pop();
      else stack.push({ kind: 'backtick' });
      out.push(c); i++; wordStart = false; continue;
    }
    if (openExpansion(command, i, stack, out, false)) { i = advance(command, i); wordStart = false; continue; }
    if (frame.kind === 'cmdsub' && c === '(') { frame.depth++; out.push(c); i++; wordStart = true; continue; }
    if (frame.kind === 'cmdsub' && c === ')') {
      if (frame.depth > 0) frame.depth--;
      else stack.pop();
      out.push(c); i++; wordStart = false; continue;
    }
    if (c === '#' && wordStart) {
      const end = command.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      out.push(command.slice(i, stop)); // a reference in a comment stays as written: nothing reads it
      i = stop;
      continue;
    }
    if (c === '<' && command[i + 1] === '<' && command[i + 2] !== '<') {
      const doc = hereDocOperator(command, i);
      if (doc) {
        pending.push(doc.doc);
        out.push(command.slice(i, doc.end));
        i = doc.end;
        wordStart = true;
        continue;
      }
    }
    if (c === '\n' && pending.length > 0) {
      out.push(c);
      i++;
      const r = hereDocBodies(command, i, pending.splice(0), out, nameFor, keep);
      if (!r.ok) return r;
      i = r.end;
      wordStart = true;
      continue;
    }
    out.push(c);
    i++;
    wordStart = c === ' ' || c === '\t' || c === '\n' || c === ';' || c === '&' || c === '|' || c === '(' || c === ')';
  }
  return { ok: true, command: out.join(''), refs };
}

/** `$(`, `$((` or `${` at `i`: pushes its frame and writes the opener. */
function openExpansion(s: string, i: number, stack: Frame[], out: string[], quoted: boolean): boolean {
  if (s[i] !== '$') return false;
  const next = s[i + 1];
  if (next === '(') {
    if (s[i + 2] === '(') { stack.push({ kind: 'arith', depth: 0 }); out.push('$(('); return true; }
    stack.push({ kind: 'cmdsub', depth: 0 });
    out.push('$(');
    return true;
  }
  if (next === '{') { stack.push({ kind: 'param', quoted }); out.push('${'); return true; }
  return false;
}

/** The index after the opener openExpansion just wrote. */
function advance(s: string, i: number): number {
  return s[i + 1] === '(' && s[i + 2] === '(' ? i + 3 : i + 2;
}

/**
 * A single-quoted string from the quote at `i`: nothing inside is special, so a reference closes
 * the quotes, expands in double quotes and reopens them. Returns the index after the closing quote.
 */
function singleQuoted(s: string, i: number, out: string[], keep: ((id: string) => boolean) | undefined, nameFor: (t: string) => string): number {
  const close = s.indexOf("'", i + 1);
  const end = close < 0 ? s.length : close + 1; // unterminated: the shell will say so
  const body = s.slice(i, end);
  out.push(body.replace(new RegExp(REFERENCE_PATTERN.source, 'g'), (text: string, id: string) =>
    keep?.(id) ? text : `'"\${${nameFor(text)}}"'`));
  return end;
}

/** `<<WORD`, `<<-WORD`, `<<'WORD'`, `<<"WORD"`, `<<\WORD` at `i`. */
function hereDocOperator(s: string, i: number): { doc: HereDoc; end: number } | null {
  let j = i + 2;
  const stripTabs = s[j] === '-';
  if (stripTabs) j++;
  while (s[j] === ' ' || s[j] === '\t') j++;
  let word = '';
  let quoted = false;
  while (j < s.length && !/[\s;&|<>()]/.test(s[j])) {
    const ch = s[j];
    if (ch === "'" || ch === '"') {
      quoted = true;
      const close = s.indexOf(ch, j + 1);
      if (close < 0) return null;
      word += s.slice(j + 1, close);
      j = close + 1;
    } else if (ch === '\\') {
      quoted = true;
      word += s[j + 1] ?? '';
      j += 2;
    } else {
      word += ch;
      j++;
    }
  }
  return word === '' ? null : { doc: { delimiter: word, stripTabs, quoted }, end: j };
}

/**
 * The bodies of the here-documents whose operators were on the line that just ended. An unquoted
 * delimiter expands `$…` as in double quotes, so a reference becomes `${FANOUT_REF_n}`; a quoted
 * one (<<'EOF') expands nothing, so a reference there could only be pasted in: refused.
 */
function hereDocBodies(
  s: string, start: number, docs: readonly HereDoc[], out: string[], nameFor: (t: string) => string, keep: ((id: string) => boolean) | undefined,
): { ok: true; end: number } | { ok: false; error: string } {
  let i = start;
  for (const doc of docs) {
    while (i < s.length) {
      const nl = s.indexOf('\n', i);
      const lineEnd = nl < 0 ? s.length : nl;
      const line = s.slice(i, lineEnd);
      const next = nl < 0 ? s.length : nl + 1;
      if ((doc.stripTabs ? line.replace(/^\t+/, '') : line) === doc.delimiter) {
        out.push(s.slice(i, next));
        i = next;
        break;
      }
      let failed: string | null = null;
      out.push(line.replace(new RegExp(REFERENCE_PATTERN.source, 'g'), (text: string, id: string) => {
        if (keep?.(id)) return text;
        if (doc.quoted) {
          failed ??= `${text} is inside a here-document with a quoted delimiter (<<'${doc.delimiter}'), where the shell expands nothing, ` +
            `so its value could only be pasted in as shell text. Use an unquoted delimiter (<<${doc.delimiter}), or put the reference outside the here-document.`;
          return text;
        }
        return `\${${nameFor(text)}}`;
      }));
      if (failed !== null) return { ok: false, error: failed };
      out.push(s.slice(lineEnd, next));
      i = next;
    }
  }
  return { ok: true, end: i };
}

/**
 * `resolveArgs` for a shell tool: the references in `command` are bound to FANOUT_REF_n variables
 * whose values (strings as they are, anything else as JSON, like a reference inside a longer
 * string) are added to `env`; the references in `cwd`, `env` and the other arguments resolve as
 * for any tool, since those values are never read by the shell as syntax.
 */
export function resolveShellArgs(args: JsonObject, lookup: OutputLookup, keep?: (id: string) => boolean): Resolved {
  const command = args.command;
  const env = args.env;
  if (env !== null && typeof env === 'object' && !Array.isArray(env)) {
    const reserved = Object.keys(env).find((k) => k.startsWith(SHELL_REF_PREFIX));
    if (reserved !== undefined) {
      return { ok: false, error: `args.env.${reserved}: names starting with ${SHELL_REF_PREFIX} are reserved for the output references in the command. Choose another name.` };
    }
  }
  if (typeof command !== 'string' || !command.includes('${')) return resolveArgs(args, lookup, keep);
  const bound = bindShellCommand(command, keep);
  if (!bound.ok) return bound;
  const { command: _c, ...rest } = args;
  const others = resolveArgs(rest, lookup, keep);
  if (!others.ok || bound.refs.length === 0) return others.ok ? { ok: true, args: { ...others.args, command: bound.command } } : others;
  // Each reference resolved on its own: a string that is exactly one reference keeps its value.
  const values: Record<string, JsonValue> = Object.create(null) as Record<string, JsonValue>;
  for (const r of bound.refs) {
    const one = resolveArgs({ v: r.text }, lookup, keep);
    if (!one.ok) return one;
    const v = one.args.v;
    values[r.name] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  const ownEnv = others.args.env;
  if (ownEnv === undefined) return { ok: true, args: { ...others.args, command: bound.command, env: values } };
  if (ownEnv === null || typeof ownEnv !== 'object' || Array.isArray(ownEnv)) {
    return { ok: true, args: { ...others.args, command: bound.command } }; // the runner reports the bad env
  }
  return { ok: true, args: { ...others.args, command: bound.command, env: { ...(ownEnv as JsonObject), ...values } } };
}
