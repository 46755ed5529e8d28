import { join } from 'node:path';
import { loadCourse, type LoadedCourse } from '../../../src/core/lessons';

export const PROJECT_ROOT = join(__dirname, '..', '..', '..');

let cached: Promise<LoadedCourse> | undefined;

/** The real course, loaded once per test run. */
export function realCourse(): Promise<LoadedCourse> {
  cached ??= loadCourse(PROJECT_ROOT);
  return cached;
}
