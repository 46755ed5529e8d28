// What a shell command line will start, for run confirmations: the program of each simple command
// (`ls -la | grep x; make` → ls, grep, make) found the way the shell finds it — a name with a
// slash against the directory it runs in, any other name on PATH. Builtins and keywords start
// nothing. A best-effort reading of sh syntax, for showing, never for deciding what runs.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/** sh builtins and reserved words: they start no program. */
const NOT_PROGRAMS = new Set([
  '.', ':', '[', 'alias', 'bg', 'break', 'cd', 'command', 'continue', 'echo', 'eval', 'exec', 'exit', 'export', 'false', 'fg',
  'getopts', 'hash', 'jobs', 'kill', 'local', 'printf', 'pwd', 'read', 'readonly', 'return', 'set', 'shift', 'test', 'times', 'trap',
  'true', 'type', 'ulimit', 'umask', 'unalias', 'unset', 'wait', 'source', 'case', 'esac', 'for', 'in', 'done', 'fi', 'function', 'select',
]);
/** Words after which the next word is again a command. */
const PREFIXES = new Set(['if', 'then', 'else', 'elif', 'while', 'until', 'do', '!', '{', '}', 'time', 'nohup', 'env', 'exec', 'command', 'xargs', 'sudo']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** The program names of the simple commands in `command`, in order, each once (at most `max`). */
export function commandPrograms(command: string, max = 8): string[] {
  const out: string[] = [];
  for (const words of simpleCommands(command)) {
    let k = 0;
    while (k < words.length && (ASSIGNMENT.test(words[k].text) || (PREFIXES.has(words[k].text) && !words[k].quoted))) {
      // `env FOO=1 cmd`, `nohup cmd`: the real program follows; `exec`/`command` too.
      k++;
    }
    const w = words[k];
    if (!w || w.dynamic || (!w.quoted && NOT_PROGRAMS.has(w.text)) || w.text === '' || w.text.startsWith('-')) continue;
    if (!out.includes(w.text)) out.push(w.text);
    if (out.length >= max) break;
  }
  return out;
}

interface Word {
  readonly text: string;
  readonly quoted: boolean;
  /** Holds an expansion ($x, $(…), `…`): what it starts is only known when it runs. */
  readonly dynamic: boolean;
}

/** Splits at unquoted ; & | newlines ( ) and words at unquoted blanks; quotes are removed. */
function simpleCommands(command: string): Word[][] {
  const commands: Word[][] = [];
  let words: Word[] = [];
  let text = '';
  let inWord = false;
  let quoted = false;
  let dynamic = false;
  const endWord = (): void => {
    if (inWord) words.push({ text, quoted, dynamic });
    text = '';
    inWord = false;
    quoted = false;
    dynamic = false;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (c === "'") {
      const end = command.indexOf("'", i + 1);
      text += command.slice(i + 1, end === -1 ? command.length : end);
      inWord = quoted = true;
      i = end === -1 ? command.length : end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < command.length && command[j] !== '"'; j++) {
        if (command[j] === '\\') j++;
        else if (command[j] === '$' || command[j] === '`') dynamic = true;
      }
      text += command.slice(i + 1, j);
      inWord = quoted = true;
      i = j;
    } else if (c === '\\') {
      text += command[i + 1] ?? '';
      inWord = true;
      i++;
    } else if (c === '$' || c === '`') {
      // $(…) and `…` start commands of their own; the word itself is dynamic.
      dynamic = inWord = true;
      if (c === '`' || command[i + 1] === '(') endCommand();
    } else if (c === '#' && !inWord) {
      const nl = command.indexOf('\n', i);
      i = nl === -1 ? command.length : nl - 1;
    } else if (';&|()\n'.includes(c)) {
      endCommand();
    } else if (c === ' ' || c === '\t') {
      endWord();
    } else if ((c === '<' || c === '>') && !inWord) {
      // A redirection: skip its target word.
      let j = i + 1;
      while (command[j] === '>' || command[j] === '&' || command[j] === '<') j++;
      while (command[j] === ' ' || command[j] === '\t') j++;
      while (j < command.length && !' \t;&|()\n'.includes(command[j])) j++;
      i = j - 1;
    } else {
      text += c;
      inWord = true;
    }
  }
  endCommand();
  return commands;
}

/**
 * Where `sh` would find `name`: relative to `cwd` when it holds a slash, else the first
 * executable file of that name on `path`. Undefined when none exists.
 */
export function findProgram(name: string, cwd: string, path: string | undefined = process.env.PATH): string | undefined {
  if (name.includes('/')) {
    const p = isAbsolute(name) ? name : resolve(cwd, name);
    return isExecutableFile(p) ? p : undefined;
  }
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '') continue;
    const p = join(isAbsolute(dir) ? dir : resolve(cwd, dir), name);
    if (isExecutableFile(p)) return p;
  }
  return undefined;
}

function isExecutableFile(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
