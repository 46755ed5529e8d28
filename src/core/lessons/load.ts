// The only part of the course code that touches the file system: it reads every file under the
// lessons folder into memory (the course is small) and hands the texts to the pure parser and
// validator.
import { existsSync, promises as fs } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseCourse, COURSE_FILE } from './parse';
import { validateCourse } from './validate';
import type { Course, CourseError, CourseFiles } from './types';

/** Course files larger than this are refused: a stray binary in lessons/ must not be read whole. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;
// Code exercises ship TypeScript, JavaScript and Python files (starting file, solution, hidden tests).
const TEXT_FILE = /\.(ya?ml|json|md|txt|ts|mjs|js|py)$/i;

export interface LoadedCourse {
  /** Absolute project root (the folder that holds lessons/). */
  readonly root: string;
  readonly course?: Course;
  /** Parse and validation errors together; empty when the course is sound. */
  readonly errors: readonly CourseError[];
  readonly files: CourseFiles;
}

export interface LoadOptions {
  /** The lessons folder relative to the root. Default 'lessons'. */
  readonly dir?: string;
  /**
   * Run the cross-file validation (samples analysed, exercises graded: about a second). Default
   * true. A renderer that ships a course the tests have validated may skip it; parse errors are
   * always reported.
   */
  readonly validate?: boolean;
}

/**
 * Reads `<root>/<dir>/**`, parses and validates it. `root` is the project root; paths in the
 * result are relative to it.
 */
export async function loadCourse(root: string, options: LoadOptions = {}): Promise<LoadedCourse> {
  const dir = options.dir ?? 'lessons';
  const abs = resolve(root);
  const files = new Map<string, string>();
  const lessonsDir = join(abs, dir);
  if (!existsSync(join(lessonsDir, COURSE_FILE))) {
    return { root: abs, files, errors: [{ file: `${dir}/${COURSE_FILE}`, message: `no course found: ${join(lessonsDir, COURSE_FILE)} does not exist. Pass the project root (the folder that holds ${dir}/).` }] };
  }
  await readTree(lessonsDir, abs, files);
  const parsed = parseCourse(files, dir);
  if (!parsed.course) return { root: abs, files, errors: parsed.errors };
  const more = options.validate === false ? [] : await validateCourse(parsed.course, files);
  return { root: abs, course: parsed.course, files, errors: [...parsed.errors, ...more] };
}

async function readTree(folder: string, root: string, out: Map<string, string>): Promise<void> {
  const entries = await fs.readdir(folder, { withFileTypes: true });
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(folder, e.name);
    if (e.isDirectory()) await readTree(path, root, out);
    else if (e.isFile() && TEXT_FILE.test(e.name)) {
      const st = await fs.stat(path);
      if (st.size > MAX_FILE_BYTES) continue;
      out.set(relative(root, path).split(sep).join('/'), await fs.readFile(path, 'utf8'));
    }
  }
}

/**
 * Finds the project root that holds `lessons/course.yaml`, walking up from `start` (the CLI bundle
 * lives in dist/, the sources in src/cli/commands/). Undefined when none is found.
 */
export function findCourseRoot(start: string, dir = 'lessons'): string | undefined {
  let here = resolve(start);
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(here, dir, COURSE_FILE))) return here;
    const up = dirname(here);
    if (up === here) break;
    here = up;
  }
  return undefined;
}
