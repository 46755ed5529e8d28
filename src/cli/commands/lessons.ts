// `fanout lessons [--json] [--root DIR]`: the course as loaded and validated. Exit 2 with every
// problem listed (file:line:column: what) when a sample, link, answer or exercise is invalid, so a
// broken course fails CI rather than a learner.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { COURSE_FILE } from '../../core/lessons/parse';
import { courseToJson } from '../../core/lessons/json';
import { checkCodeExercises } from '../../core/lessons/code/check';
import { findCourseRoot, loadCourse } from '../../core/lessons/load';
import { formatCourseError, type Course } from '../../core/lessons/types';
import { parseArgs } from '../args';
import type { CliCommand, CliIO } from '../io';

const USAGE = `Usage: fanout lessons [--json] [--run-code] [--root DIR]

Prints the course (steps, quiz, exercises, flashcards) after validating it.
  --json      one JSON object: { steps, quiz, exercises, flashcards, diagnosticLessons }
  --run-code  also run every code exercise's tests (node, python3): its solution must
              pass, its starting file and each wrong solution must fail
  --root DIR  the project root holding lessons/ (or the lessons folder itself);
              default: the lessons/ folder next to the installed fanout
Exit codes: 0 the course is valid, 2 a sample, link, answer or exercise is invalid.`;

export const lessonsCommand: CliCommand = async (argv, io) => {
  const parsed = parseArgs(argv, { flags: { json: 'boolean', 'run-code': 'boolean', root: 'string' }, positionals: { min: 0, max: 0, names: [] } });
  if (!parsed.ok) {
    io.stderr(`fanout lessons: ${parsed.error}\n\n${USAGE}\n`);
    return 2;
  }
  if (parsed.args.help) {
    io.stdout(USAGE + '\n');
    return 0;
  }
  const rootFlag = parsed.args.flags.root;
  const root = typeof rootFlag === 'string' ? rootFromFlag(resolve(io.cwd, rootFlag)) : findCourseRoot(__dirname) ?? findCourseRoot(io.cwd);
  if (root === undefined) {
    io.stderr(`fanout lessons: no course found${typeof rootFlag === 'string' ? ` in '${rootFlag}'` : ` next to ${__dirname}`}: expected lessons/${COURSE_FILE}. Pass --root with the project folder that holds lessons/.\n`);
    return 2;
  }
  const loaded = await loadCourse(root);
  if (loaded.errors.length > 0 || !loaded.course) {
    io.stderr(`fanout lessons: the course in ${join(root, 'lessons')} is invalid (${loaded.errors.length} problem${loaded.errors.length === 1 ? '' : 's'}):\n`);
    for (const e of loaded.errors) io.stderr(`  ${formatCourseError(e)}\n`);
    return 2;
  }
  if (parsed.args.flags['run-code']) {
    const report = await checkCodeExercises(loaded.course, loaded.files, { tsxSearch: [root] });
    for (const s of report.skipped) io.stderr(`fanout lessons: not run here: ${s}\n`);
    if (report.errors.length > 0) {
      io.stderr(`fanout lessons: ${report.errors.length} code exercise problem${report.errors.length === 1 ? '' : 's'} (${report.runs} runs):\n`);
      for (const e of report.errors) io.stderr(`  ${formatCourseError(e)}\n`);
      return 2;
    }
    io.stderr(`fanout lessons: code exercises: ${report.runs} runs, every solution passes and every starting file and wrong solution fails\n`);
  }
  if (parsed.args.flags.json) io.stdout(JSON.stringify(courseToJson(loaded.course), null, 2) + '\n');
  else io.stdout(tableOfContents(loaded.course, io));
  return 0;
};

/** --root may name the project root or the lessons folder itself. */
function rootFromFlag(dir: string): string | undefined {
  if (existsSync(join(dir, 'lessons', COURSE_FILE))) return dir;
  if (existsSync(join(dir, COURSE_FILE))) return resolve(dir, '..');
  return undefined;
}

function tableOfContents(course: Course, io: CliIO): string {
  const bold = (s: string): string => (io.isTTY ? `\u001b[1m${s}\u001b[22m` : s);
  const out: string[] = [bold(course.title), ''];
  course.steps.forEach((s, i) => {
    out.push(`${String(i + 1).padStart(2)}. ${bold(s.title)} (${s.id})`);
    out.push(`    ${s.summary}`);
    for (const x of s.samples) out.push(`    ▸ ${x.path}${x.expect.length ? `  [shows: ${x.expect.join(', ')}]` : ''}`);
  });
  const by = (d: string): number => course.quiz.filter((q) => q.difficulty === d).length;
  out.push('', `${bold('Quiz')}: ${course.quiz.length} questions (${by('easy')} easy, ${by('medium')} medium, ${by('hard')} hard)`);
  out.push('', bold('Exercises'));
  for (const e of course.exercises) out.push(`  • ${e.title} — open ${e.start}`);
  out.push('', `${bold('Flashcards')}: ${course.flashcards.length} (${course.flashcards.filter((f) => f.deck === 'myths').length} myths, ${course.flashcards.filter((f) => f.deck === 'takeaways').length} takeaways)`);
  out.push('', 'Run a sample: fanout simulate <sample>   ·   JSON: fanout lessons --json', '');
  return out.join('\n');
}
