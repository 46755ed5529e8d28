// Course files (text) → Course. Pure: the loader reads the files, this reads the data and reports
// every shape problem with file, line and column. Cross-checks that need more than one file
// (links, samples, answers against choices, grading) live in validate.ts.
import { posix } from 'node:path';
import { DIAGNOSTIC_LESSONS } from '../plan/lessonIds';
import { parsePlan } from '../plan/parse';
import { isStreamPolicy, STREAM_POLICIES, type StreamPolicy } from '../stream/policy';
import { AUDIT_CODES, ERROR_CODES, PITFALL_CODES, TOOL_KINDS, type DiagnosticCode, type JsonValue, type ToolKind } from '../plan/types';
import { toValue, type PNode } from '../plan/tree';
import { DocReader, describe, splitFrontMatter, type ObjectNode } from './reader';
import {
  CODE_EXERCISE_LANGUAGES, CODE_LANGUAGES, DIFFICULTIES, FLASHCARD_DECKS, QUESTION_TYPES, QUIZ_TOPICS,
  type CodeBlock, type CodeExerciseLanguage, type Comparison, type ComparisonSide, type Course, type CourseError, type CourseFiles, type Exercise, type ExerciseGoal, type Flashcard,
  type PredictQuestion, type Question, type QuizTopic, type SampleRef, type Step,
} from './types';

export const COURSE_FILE = 'course.yaml';
const ALL_CODES: readonly string[] = [...ERROR_CODES, ...PITFALL_CODES, ...AUDIT_CODES];
const ID = /^[a-z0-9][a-z0-9-]*$/;

export interface ParsedCourse {
  /** Present when course.yaml could be read; parts with errors are left out. */
  readonly course?: Course;
  readonly errors: readonly CourseError[];
}

/** `dir`: the lessons folder relative to the project root, as keys of `files` start with it. */
export function parseCourse(files: CourseFiles, dir = 'lessons'): ParsedCourse {
  const errors: CourseError[] = [];
  const coursePath = posix.join(dir, COURSE_FILE);
  const text = files.get(coursePath);
  if (text === undefined) return { errors: [{ file: coursePath, message: `the course index is missing: create ${coursePath} listing the steps, quiz, flashcards and exercises` }] };
  const { reader, root } = DocReader.parse(coursePath, text, errors);
  const top = root && reader.object(root, 'course.yaml');
  if (!top) return { errors };
  reader.keys(top, ['title', 'referenceCores', 'steps', 'quiz', 'flashcards', 'exercises', 'comparisons'], 'course.yaml');
  const title = reader.string(top, 'title', 'course.yaml') ?? 'Course';
  const referenceCores = reader.integer(top, 'referenceCores', 'course.yaml', false) ?? 4;
  const ctx: Ctx = { files, dir, errors };

  const steps: Step[] = [];
  for (const item of reader.list(top, 'steps', 'course.yaml') ?? []) {
    const path = fileRef(ctx, reader, item, dir, 'a step');
    if (path) {
      const step = parseStep(ctx, path);
      if (step) steps.push(step);
    }
  }
  const quiz: Question[] = [];
  const quizNode = reader.field(top, 'quiz');
  for (const item of quizNode?.type === 'array' ? quizNode.items : quizNode ? [quizNode] : []) {
    const path = fileRef(ctx, reader, item, dir, 'a quiz file');
    if (path) quiz.push(...parseQuiz(ctx, path));
  }
  const flashNode = reader.field(top, 'flashcards');
  const flashcards: Flashcard[] = [];
  for (const item of flashNode?.type === 'array' ? flashNode.items : flashNode ? [flashNode] : []) {
    const path = fileRef(ctx, reader, item, dir, 'a flashcards file');
    if (path) flashcards.push(...parseFlashcards(ctx, path));
  }
  const exercises: Exercise[] = [];
  for (const item of reader.list(top, 'exercises', 'course.yaml', false) ?? []) {
    const path = fileRef(ctx, reader, item, dir, 'an exercise');
    if (path) {
      const ex = parseExercise(ctx, path);
      if (ex) exercises.push(ex);
    }
  }
  const comparisons: Comparison[] = [];
  for (const item of reader.list(top, 'comparisons', 'course.yaml', false) ?? []) {
    const c = parseComparison(ctx, reader, item);
    if (c) comparisons.push(c);
  }
  return { course: { title, dir, referenceCores, steps, quiz, exercises, flashcards, comparisons, diagnosticLessons: DIAGNOSTIC_LESSONS }, errors };
}

function parseComparison(ctx: Ctx, reader: DocReader, node: PNode): Comparison | undefined {
  const o = reader.object(node, 'a comparison');
  if (!o) return undefined;
  const id = reader.string(o, 'id', 'a comparison');
  const what = `comparison '${id ?? '?'}'`;
  reader.keys(o, ['id', 'title', 'caption', 'left', 'right', 'step'], what);
  const title = reader.string(o, 'title', what);
  const caption = reader.string(o, 'caption', what);
  const step = reader.string(o, 'step', what);
  const side = (key: 'left' | 'right'): ComparisonSide | undefined => {
    const n = reader.field(o, key);
    const s = n ? reader.object(n, `'${key}' of ${what}`) : (reader.error(o, `${what} is missing '${key}' (label and path)`), undefined);
    if (!s) return undefined;
    reader.keys(s, ['label', 'path', 'stream'], `'${key}' of ${what}`);
    const label = reader.string(s, 'label', `'${key}' of ${what}`);
    // The names of the fanout.streamPolicy setting and `fanout simulate --stream-policy`.
    const streamNode = reader.field(s, 'stream');
    const stream = streamNode && (isStreamPolicy(streamNode.type === 'string' ? streamNode.value : undefined) ? (streamNode as { value: StreamPolicy }).value
      : (reader.error(streamNode, `'stream' of '${key}' in ${what} is ${describe(streamNode)}; use one of ${STREAM_POLICIES.join(', ')} (the fanout.streamPolicy names), or leave it out for a plan that is not streamed`), undefined));
    const pathNode = reader.field(s, 'path');
    if (!pathNode) reader.error(s, `'${key}' of ${what} is missing 'path'`);
    const path = pathNode && fileRef(ctx, reader, pathNode, ctx.dir, 'the plan', false);
    if (streamNode && !stream) return undefined;
    return label !== undefined && path ? { label, path, ...(stream ? { stream } : {}) } : undefined;
  };
  const left = side('left');
  const right = side('right');
  if (id === undefined || title === undefined || caption === undefined || step === undefined || !left || !right) return undefined;
  return { id, title, caption, left, right, step, at: reader.at(o) };
}

interface Ctx {
  readonly files: CourseFiles;
  readonly dir: string;
  readonly errors: CourseError[];
}

/** A path written in a course file, relative to that file's folder; must exist and stay inside the lessons folder. */
function fileRef(ctx: Ctx, reader: DocReader, node: PNode, base: string, what: string, mustExist = true): string | undefined {
  if (node.type !== 'string' || node.value.trim() === '') {
    reader.error(node, `${what} must be given as a path string, not ${describe(node)}`);
    return undefined;
  }
  const path = posix.normalize(posix.join(base, node.value));
  if (!(path === ctx.dir || path.startsWith(`${ctx.dir}/`))) {
    reader.error(node, `'${node.value}' points outside ${ctx.dir}/; course files must live inside it`);
    return undefined;
  }
  if (mustExist && !ctx.files.has(path)) {
    reader.error(node, `${what} '${node.value}' does not exist (looked for ${path})`);
    return undefined;
  }
  return path;
}

function parseStep(ctx: Ctx, file: string): Step | undefined {
  const text = ctx.files.get(file) as string;
  const fm = splitFrontMatter(text);
  if (!fm) {
    ctx.errors.push({ file, line: 1, column: 1, message: 'a step file starts with YAML front matter between two --- lines (id, title, summary, samples, predict), then the Markdown body' });
    return undefined;
  }
  const { reader, root } = DocReader.parse(file, fm.yaml, ctx.errors, fm.yamlLine - 1);
  const top = root && reader.object(root, 'the step front matter');
  if (!top) return undefined;
  reader.keys(top, ['id', 'title', 'summary', 'samples', 'predict'], 'a step');
  const id = reader.string(top, 'id', 'a step');
  if (id !== undefined && !ID.test(id)) reader.error(reader.field(top, 'id'), `step id '${id}' must be lower-case letters, digits and dashes`);
  const title = reader.string(top, 'title', `step '${id}'`);
  const summary = reader.string(top, 'summary', `step '${id}'`);
  const base = posix.dirname(file);
  const samples: SampleRef[] = [];
  const sampleNodes = reader.list(top, 'samples', `step '${id}'`) ?? [];
  if (sampleNodes.length === 0 && reader.field(top, 'samples')) reader.error(reader.field(top, 'samples'), `step '${id}' needs at least one sample plan`);
  for (const node of sampleNodes) {
    const s = reader.object(node, 'a sample');
    if (!s) continue;
    reader.keys(s, ['path', 'caption', 'expect'], 'a sample');
    const pathNode = reader.field(s, 'path');
    if (!pathNode) {
      reader.error(s, 'a sample is missing \'path\'');
      continue;
    }
    const path = fileRef(ctx, reader, pathNode, base, 'sample', false);
    const caption = reader.string(s, 'caption', 'a sample');
    const expect = codes(reader, s, 'expect', 'a sample');
    if (path && caption !== undefined && expect) samples.push({ path, caption, expect, at: reader.at(pathNode) });
  }
  const predictNode = reader.field(top, 'predict');
  const predict = predictNode ? parsePredict(reader, predictNode, `step '${id}'`) : (reader.error(top, `step '${id}' is missing 'predict' (the question asked before the explanation)`), undefined);
  if (fm.body.trim() === '') ctx.errors.push({ file, line: fm.bodyLine, column: 1, message: `step '${id}' has no Markdown body after the front matter` });
  if (id === undefined || title === undefined || summary === undefined || !predict) return undefined;
  return { id, title, summary, file, body: fm.body, bodyLine: fm.bodyLine, samples, predict, at: reader.at(top) };
}

function codes(reader: DocReader, node: ObjectNode, key: string, what: string): DiagnosticCode[] | undefined {
  const list = reader.strings(node, key, what, false) ?? (reader.field(node, key) ? undefined : []);
  if (!list) return undefined;
  const bad = list.filter((c) => !ALL_CODES.includes(c));
  if (bad.length > 0) {
    reader.error(reader.field(node, key), `unknown diagnostic code${bad.length > 1 ? 's' : ''} ${bad.map((c) => `'${c}'`).join(', ')}; known codes: ${ALL_CODES.join(', ')}`);
    return undefined;
  }
  return [...new Set(list)].sort() as DiagnosticCode[];
}

function parseCode(reader: DocReader, node: PNode | undefined, what: string): CodeBlock | undefined {
  if (!node) return undefined;
  const o = reader.object(node, `'code' in ${what}`);
  if (!o) return undefined;
  reader.keys(o, ['language', 'source'], `'code' in ${what}`);
  const language = reader.string(o, 'language', `'code' in ${what}`);
  const source = reader.string(o, 'source', `'code' in ${what}`);
  if (language !== undefined && !(CODE_LANGUAGES as readonly string[]).includes(language)) {
    reader.error(reader.field(o, 'language'), `unknown language '${language}'; use one of ${CODE_LANGUAGES.join(', ')}`);
    return undefined;
  }
  if (language === undefined || source === undefined) return undefined;
  return { language: language as CodeBlock['language'], source };
}

function choicesAndAnswer(reader: DocReader, o: ObjectNode, what: string): { choices: string[]; answer: number } | undefined {
  const choices = reader.strings(o, 'choices', what);
  const answer = reader.integer(o, 'answer', what);
  if (!choices || answer === undefined) return undefined;
  if (choices.length < 2) reader.error(reader.field(o, 'choices'), `${what} needs at least two choices`);
  if (new Set(choices).size !== choices.length) reader.error(reader.field(o, 'choices'), `${what} has two identical choices`);
  if (answer < 0 || answer >= choices.length) {
    reader.error(reader.field(o, 'answer'), `answer ${answer} in ${what} is not a valid choice index: there are ${choices.length} choices, numbered 0 to ${choices.length - 1}`);
    return undefined;
  }
  return { choices, answer };
}

function parsePredict(reader: DocReader, node: PNode, what: string): PredictQuestion | undefined {
  const o = reader.object(node, `'predict' in ${what}`);
  if (!o) return undefined;
  const w = `the predict question of ${what}`;
  reader.keys(o, ['prompt', 'code', 'choices', 'answer', 'explanation'], w);
  const prompt = reader.string(o, 'prompt', w);
  const code = parseCode(reader, reader.field(o, 'code'), w);
  const ca = choicesAndAnswer(reader, o, w);
  const explanation = reader.string(o, 'explanation', w);
  if (prompt === undefined || !ca || explanation === undefined) return undefined;
  return { prompt, ...(code ? { code } : {}), ...ca, explanation, at: reader.at(o) };
}

function parseQuiz(ctx: Ctx, file: string): Question[] {
  const { reader, root } = DocReader.parse(file, ctx.files.get(file) as string, ctx.errors);
  if (!root) return [];
  const items = root.type === 'object' ? reader.list(root, 'questions', file) : root.type === 'array' ? root.items : (reader.error(root, 'a quiz file is a list of questions'), undefined);
  const out: Question[] = [];
  for (const item of items ?? []) {
    const q = parseQuestion(reader, item);
    if (q) out.push(q);
  }
  return out;
}

function parseQuestion(reader: DocReader, node: PNode): Question | undefined {
  const o = reader.object(node, 'a question');
  if (!o) return undefined;
  const id = reader.string(o, 'id', 'a question');
  const what = `question '${id ?? '?'}'`;
  reader.keys(o, ['id', 'difficulty', 'type', 'step', 'topics', 'prompt', 'code', 'choices', 'answer', 'explanation', 'hint', 'commonMistakes'], what);
  if (id !== undefined && !ID.test(id)) reader.error(reader.field(o, 'id'), `question id '${id}' must be lower-case letters, digits and dashes`);
  const difficulty = oneOf(reader, o, 'difficulty', DIFFICULTIES, what);
  const type = oneOf(reader, o, 'type', QUESTION_TYPES, what);
  const step = reader.string(o, 'step', what);
  const topics = parseTopics(reader, o, what);
  const prompt = reader.string(o, 'prompt', what);
  const code = parseCode(reader, reader.field(o, 'code'), what);
  const ca = choicesAndAnswer(reader, o, what);
  const explanation = reader.string(o, 'explanation', what);
  const hint = reader.string(o, 'hint', what);
  const commonMistakes = mistakes(reader, o, what, ca);
  if (type === 'predict-output' && code && code.language !== 'javascript' && code.language !== 'python') {
    reader.error(reader.field(o, 'code'), `${what} is predict-the-output: its code must be javascript or python (the test runs it), not ${code.language}`);
    return undefined;
  }
  if ((type === 'predict-output' || type === 'spot-the-bug') && !code && !reader.field(o, 'code')) reader.error(o, `${what} is ${type}: it needs 'code' (language and source)`);
  if (id === undefined || !difficulty || !type || step === undefined || !topics || prompt === undefined || !ca || explanation === undefined || hint === undefined || !commonMistakes) return undefined;
  const base = { id, difficulty, step, topics, prompt, ...ca, explanation, hint, commonMistakes, at: reader.at(o) };
  switch (type) {
    case 'multiple-choice': return { ...base, type, ...(code ? { code } : {}) };
    case 'predict-output': return code ? { ...base, type, code: code as CodeBlock & { language: 'javascript' | 'python' } } : undefined;
    case 'spot-the-bug': return code ? { ...base, type, code } : undefined;
  }
}

/** topics: a non-empty list of QUIZ_TOPICS, each once. */
function parseTopics(reader: DocReader, o: ObjectNode, what: string): QuizTopic[] | undefined {
  const list = reader.strings(o, 'topics', what);
  if (!list) return undefined;
  const node = reader.field(o, 'topics') as PNode;
  if (list.length === 0) {
    reader.error(node, `'topics' of ${what} is empty; name at least one of ${QUIZ_TOPICS.join(', ')}`);
    return undefined;
  }
  const items = node.type === 'array' ? node.items : [];
  const out: QuizTopic[] = [];
  for (const [i, t] of list.entries()) {
    const at = items[i] ?? node;
    if (!(QUIZ_TOPICS as readonly string[]).includes(t)) {
      reader.error(at, `'topics' of ${what} has '${t}', which is not a topic; use one of ${QUIZ_TOPICS.join(', ')} (lessons/FORMAT.md)`);
      return undefined;
    }
    if (out.includes(t as QuizTopic)) {
      reader.error(at, `'topics' of ${what} names '${t}' twice`);
      return undefined;
    }
    out.push(t as QuizTopic);
  }
  return out;
}

function oneOf<T extends string>(reader: DocReader, o: ObjectNode, key: string, allowed: readonly T[], what: string): T | undefined {
  const v = reader.string(o, key, what);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) {
    reader.error(reader.field(o, key), `'${key}' of ${what} is '${v}'; use one of ${allowed.join(', ')}`);
    return undefined;
  }
  return v as T;
}

/** commonMistakes: a mapping from each wrong choice's index to why learners pick it. */
function mistakes(reader: DocReader, o: ObjectNode, what: string, ca: { choices: string[]; answer: number } | undefined): Record<string, string> | undefined {
  const node = reader.field(o, 'commonMistakes');
  if (!node) {
    reader.error(o, `${what} is missing 'commonMistakes' (for each wrong choice, why a learner picks it)`);
    return undefined;
  }
  const m = reader.object(node, `'commonMistakes' of ${what}`);
  if (!m) return undefined;
  const out = Object.create(null) as Record<string, string>;
  for (const p of m.properties) {
    const k = Number(p.key);
    if (p.value.type !== 'string') {
      reader.error(p.value, `commonMistakes.${p.key} of ${what} must be a string`);
      continue;
    }
    if (ca && (!Number.isInteger(k) || k < 0 || k >= ca.choices.length || k === ca.answer)) {
      reader.error({ offset: p.keyOffset }, `commonMistakes of ${what} has key '${p.key}', which is not the index of a wrong choice (wrong choices: ${ca.choices.map((_, i) => i).filter((i) => i !== ca.answer).join(', ')})`);
      continue;
    }
    out[String(k)] = p.value.value;
  }
  if (ca) {
    const missing = ca.choices.map((_, i) => i).filter((i) => i !== ca.answer && !(String(i) in out));
    if (missing.length > 0) reader.error(node, `commonMistakes of ${what} does not explain wrong choice${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  }
  return out;
}

function parseFlashcards(ctx: Ctx, file: string): Flashcard[] {
  const { reader, root } = DocReader.parse(file, ctx.files.get(file) as string, ctx.errors);
  if (!root) return [];
  if (root.type !== 'array') {
    reader.error(root, 'a flashcards file is a list of cards (id, deck, front, back, step)');
    return [];
  }
  const out: Flashcard[] = [];
  for (const item of root.items) {
    const o = reader.object(item, 'a flashcard');
    if (!o) continue;
    const id = reader.string(o, 'id', 'a flashcard');
    const what = `flashcard '${id ?? '?'}'`;
    reader.keys(o, ['id', 'deck', 'front', 'back', 'step'], what);
    const deck = oneOf(reader, o, 'deck', FLASHCARD_DECKS, what);
    const front = reader.string(o, 'front', what);
    const back = reader.string(o, 'back', what);
    const step = reader.string(o, 'step', what);
    if (id !== undefined && deck && front !== undefined && back !== undefined && step !== undefined) out.push({ id, deck, front, back, step, at: reader.at(o) });
  }
  return out;
}

const EXERCISE_KINDS = ['plan', 'code'] as const;
/** The file each kind of code exercise is written in (start, solution, wrong ones) and its tests' file. */
const CODE_FILES: Readonly<Record<CodeExerciseLanguage, { readonly source: RegExp; readonly sourceName: string; readonly tests: RegExp; readonly testsName: string }>> = {
  typescript: { source: /\.ts$/, sourceName: '.ts', tests: /\.mjs$/, testsName: '.mjs' },
  javascript: { source: /\.m?js$/, sourceName: '.mjs or .js', tests: /\.mjs$/, testsName: '.mjs' },
  python: { source: /\.py$/, sourceName: '.py', tests: /\.py$/, testsName: '.py' },
};
const DEFAULT_CODE_TIMEOUT_MS = 30_000;

function parseExercise(ctx: Ctx, file: string): Exercise | undefined {
  const { reader, root } = DocReader.parse(file, ctx.files.get(file) as string, ctx.errors);
  const o = root && reader.object(root, 'an exercise');
  if (!o) return undefined;
  const id = reader.string(o, 'id', 'an exercise');
  const what = `exercise '${id ?? '?'}'`;
  // No 'kind' is a plan exercise: the first exercises were all plans.
  const kind = reader.field(o, 'kind') ? oneOf(reader, o, 'kind', EXERCISE_KINDS, what) : 'plan';
  if (!kind) return undefined;
  const common = ['id', 'kind', 'title', 'step', 'brief', 'start', 'solution', 'hints'];
  reader.keys(o, kind === 'plan' ? [...common, 'goal'] : [...common, 'language', 'tests', 'wrong', 'timeoutMs'], `${what} (kind ${kind})`);
  const title = reader.string(o, 'title', what);
  const step = reader.string(o, 'step', what);
  const brief = reader.string(o, 'brief', what);
  const base = posix.dirname(file);
  const startNode = reader.field(o, 'start');
  const solutionNode = reader.field(o, 'solution');
  if (!startNode) reader.error(o, `${what} is missing 'start' (${kind === 'plan' ? 'the plan the learner fixes' : 'the file the learner edits'})`);
  if (!solutionNode) reader.error(o, `${what} is missing 'solution' (a reference ${kind === 'plan' ? 'plan' : 'solution'} that passes)`);
  const start = startNode && fileRef(ctx, reader, startNode, base, kind === 'plan' ? 'the starting plan' : 'the starting file');
  const solution = solutionNode && fileRef(ctx, reader, solutionNode, base, 'the reference solution');
  const hints = reader.strings(o, 'hints', what);
  if (hints && hints.length !== 3) reader.error(reader.field(o, 'hints'), `${what} has ${hints.length} hints; write exactly 3, from a nudge to nearly the answer`);
  const head = id === undefined || title === undefined || step === undefined || brief === undefined || !start || !solution || !hints ? undefined
    : { id, title, step, brief, start, solution, hints, at: reader.at(o) };
  if (kind === 'plan') {
    const goalNode = reader.field(o, 'goal');
    const goal = goalNode ? parseGoal(reader, goalNode, what) : (reader.error(o, `${what} is missing 'goal'`), undefined);
    if (!head || !goal) return undefined;
    // noNewTools compares against the starting plan, which the grader never sees: carry its ids.
    const startTools = goal.noNewTools ? parsePlan(ctx.files.get(start ?? '') ?? '', { fileName: start }).plan?.tools.map((t) => t.id) : undefined;
    return { ...head, kind, goal: startTools ? { ...goal, startTools } : goal };
  }
  const language = oneOf(reader, o, 'language', CODE_EXERCISE_LANGUAGES, what);
  const testsNode = reader.field(o, 'tests');
  if (!testsNode) reader.error(o, `${what} is missing 'tests' (the hidden tests the grader runs against the learner's file)`);
  const tests = testsNode && fileRef(ctx, reader, testsNode, base, 'the tests');
  const wrongRefs = (reader.list(o, 'wrong', what, false) ?? []).map((n) => [n, fileRef(ctx, reader, n, base, 'a wrong solution')] as const);
  const wrong = wrongRefs.flatMap(([, path]) => (path ? [path] : []));
  const timeoutMs = reader.integer(o, 'timeoutMs', what, false) ?? DEFAULT_CODE_TIMEOUT_MS;
  if (timeoutMs < 1000 || timeoutMs > 120_000) reader.error(reader.field(o, 'timeoutMs'), `'timeoutMs' of ${what} is ${timeoutMs}; use 1000 to 120000 (the whole test run is stopped after it)`);
  if (language) {
    const want = CODE_FILES[language];
    const named: [PNode | undefined, string | undefined, RegExp, string, string][] = [
      [startNode, start, want.source, want.sourceName, "'start'"], [solutionNode, solution, want.source, want.sourceName, "'solution'"], [testsNode, tests, want.tests, want.testsName, "'tests'"],
      ...wrongRefs.map(([n, path]): [PNode, string | undefined, RegExp, string, string] => [n, path, want.source, want.sourceName, "a 'wrong' file"]),
    ];
    for (const [node, path, re, ext, label] of named) {
      if (node && path && !re.test(path)) reader.error(node, `${label} of ${what} is '${posix.basename(path)}', but a ${language} exercise's ${label === "'tests'" ? 'tests are' : 'files are'} ${ext} files`);
    }
  }
  if (!head || !language || !tests) return undefined;
  return { ...head, kind, language, tests, wrong, timeoutMs };
}

/** `key: { name: [tool ids] }` (mustKeepKinds, mustKeepResources), with each entry's node for errors. */
function toolLists(reader: DocReader, o: ObjectNode, key: string, w: string, name: string, example: string): { lists: Record<string, string[]>; nodes: { key: string; at: PNode }[] } | undefined {
  const node = reader.field(o, key);
  if (!node) return undefined;
  const r = reader.object(node, `'${key}' in ${w} (${name} → the tools that must keep it)`);
  if (!r) return undefined;
  const lists = Object.create(null) as Record<string, string[]>;
  const nodes: { key: string; at: PNode }[] = [];
  for (const p of r.properties) {
    if (p.value.type === 'array' && p.value.items.length > 0 && p.value.items.every((i) => i.type === 'string')) {
      lists[p.key] = p.value.items.map((i) => (i as { value: string }).value);
      nodes.push({ key: p.key, at: p.value });
    } else reader.error(p.value, `${key}.${p.key} must be a list of tool ids, e.g. { ${example} }`);
  }
  return { lists, nodes };
}

function parseGoal(reader: DocReader, node: PNode, what: string): ExerciseGoal | undefined {
  const o = reader.object(node, `the goal of ${what}`);
  if (!o) return undefined;
  const w = `the goal of ${what}`;
  reader.keys(o, ['mustNotHave', 'mustKeepTools', 'mustKeepWrites', 'mustKeepArgs', 'mustKeepKinds', 'mustKeepResources', 'mustRemoveTools', 'mustKeepDurations', 'noNewTools', 'maxMakespanMs', 'mustHave'], w);
  const mustNotHave = codes(reader, o, 'mustNotHave', w) ?? [];
  const mustKeepTools = reader.strings(o, 'mustKeepTools', w, false) ?? [];
  const mustKeepWrites = reader.strings(o, 'mustKeepWrites', w, false);
  let mustKeepArgs: Record<string, Record<string, JsonValue>> | undefined;
  const mka = reader.field(o, 'mustKeepArgs');
  if (mka) {
    const r = reader.object(mka, `'mustKeepArgs' in ${w} (tool id → { argument: value })`);
    if (r) {
      mustKeepArgs = Object.create(null) as Record<string, Record<string, JsonValue>>;
      for (const p of r.properties) {
        if (p.value.type !== 'object') {
          reader.error(p.value, `mustKeepArgs.${p.key} must map argument names to the values they must keep, e.g. { method: POST }`);
          continue;
        }
        const args = Object.create(null) as Record<string, JsonValue>;
        for (const a of p.value.properties) args[a.key] = toValue(a.value);
        mustKeepArgs[p.key] = args;
      }
    }
  }
  const mustKeepKinds = toolLists(reader, o, 'mustKeepKinds', w, 'kind', 'cpu: [embed_1, embed_2]');
  for (const p of mustKeepKinds?.nodes ?? []) {
    if (!(TOOL_KINDS as readonly string[]).includes(p.key)) reader.error(p.at, `mustKeepKinds.${p.key} is not a tool kind; the kinds are ${TOOL_KINDS.join(', ')}`);
  }
  const mustKeepResources = toolLists(reader, o, 'mustKeepResources', w, 'resource', 'search-api: [search_1, search_2]');
  const mustRemoveTools = reader.strings(o, 'mustRemoveTools', w, false);
  let mustKeepDurations: Record<string, number> | undefined;
  const mkd = reader.field(o, 'mustKeepDurations');
  if (mkd) {
    const r = reader.object(mkd, `'mustKeepDurations' in ${w} (tool id → milliseconds)`);
    if (r) {
      mustKeepDurations = Object.create(null) as Record<string, number>;
      for (const p of r.properties) {
        if (p.value.type === 'number' && Number.isInteger(p.value.value) && p.value.value >= 0) mustKeepDurations[p.key] = p.value.value;
        else reader.error(p.value, `mustKeepDurations.${p.key} must be a whole number of milliseconds, e.g. { fetch: 800 }`);
      }
    }
  }
  const maxMakespanMs = reader.integer(o, 'maxMakespanMs', w, false);
  const nnt = reader.field(o, 'noNewTools');
  if (nnt && nnt.type !== 'boolean') reader.error(nnt, `'noNewTools' in ${w} must be true or false (true: every tool id must come from the starting plan)`);
  const noNewTools = nnt?.type === 'boolean' && nnt.value;
  const mh = reader.field(o, 'mustHave');
  const mustHave: { -readonly [K in keyof ExerciseGoal['mustHave']]: ExerciseGoal['mustHave'][K] } = {};
  if (mh) {
    const m = reader.object(mh, `'mustHave' in ${w}`);
    if (m) {
      reader.keys(m, ['maxConcurrency', 'limits', 'dependencies', 'timeouts', 'maxTimeoutMs', 'mergedWrites'], `'mustHave' in ${w}`);
      const mc = reader.field(m, 'maxConcurrency');
      if (mc) {
        const r = reader.object(mc, 'mustHave.maxConcurrency');
        if (r) {
          reader.keys(r, ['min', 'max'], 'mustHave.maxConcurrency');
          const min = reader.integer(r, 'min', 'mustHave.maxConcurrency', false);
          const max = reader.integer(r, 'max', 'mustHave.maxConcurrency', false);
          mustHave.maxConcurrency = { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
        }
      }
      const lim = reader.field(m, 'limits');
      if (lim) {
        const r = reader.object(lim, 'mustHave.limits');
        if (r) {
          const limits = Object.create(null) as Record<string, number>;
          for (const p of r.properties) {
            if (p.value.type === 'number' && Number.isInteger(p.value.value) && p.value.value >= 1) limits[p.key] = p.value.value;
            else reader.error(p.value, `mustHave.limits.${p.key} must be a whole number of at least 1`);
          }
          mustHave.limits = limits;
        }
      }
      const deps = reader.list(m, 'dependencies', 'mustHave', false);
      if (deps) {
        const pairs: [string, string][] = [];
        for (const d of deps) {
          if (d.type === 'array' && d.items.length === 2 && d.items.every((i) => i.type === 'string')) {
            pairs.push([(d.items[0] as { value: string }).value, (d.items[1] as { value: string }).value]);
          } else reader.error(d, 'each entry of mustHave.dependencies is [from, to]: `to` must depend on `from`');
        }
        mustHave.dependencies = pairs;
      }
      const timeouts = reader.strings(m, 'timeouts', 'mustHave', false);
      if (timeouts) mustHave.timeouts = timeouts;
      const maxTimeoutMs = reader.integer(m, 'maxTimeoutMs', 'mustHave', false);
      if (maxTimeoutMs !== undefined) mustHave.maxTimeoutMs = maxTimeoutMs;
      const mw = reader.field(m, 'mergedWrites');
      if (mw) {
        const r = reader.object(mw, 'mustHave.mergedWrites (target → the tools whose output it must hold)');
        if (r) {
          const merged = Object.create(null) as Record<string, string[]>;
          for (const p of r.properties) {
            if (p.value.type === 'array' && p.value.items.length > 0 && p.value.items.every((i) => i.type === 'string')) {
              merged[p.key] = p.value.items.map((i) => (i as { value: string }).value);
            } else reader.error(p.value, `mustHave.mergedWrites.${p.key} must be a list of tool ids, e.g. [summarise, extract]`);
          }
          mustHave.mergedWrites = merged;
        }
      }
    }
  }
  return {
    mustNotHave, mustKeepTools,
    ...(mustKeepWrites ? { mustKeepWrites } : {}),
    ...(mustKeepArgs ? { mustKeepArgs } : {}),
    ...(mustKeepKinds ? { mustKeepKinds: mustKeepKinds.lists as Partial<Record<ToolKind, readonly string[]>> } : {}),
    ...(mustKeepResources ? { mustKeepResources: mustKeepResources.lists } : {}),
    ...(mustRemoveTools ? { mustRemoveTools } : {}),
    ...(mustKeepDurations ? { mustKeepDurations } : {}),
    ...(noNewTools ? { noNewTools } : {}),
    ...(maxMakespanMs !== undefined ? { maxMakespanMs } : {}),
    mustHave,
  };
}
