// The lessons side of the extension host, bundled on its own (dist/lessonsHost.js) and loaded by
// src/extension/lessons/index.ts when the course is first opened (or the sample picker groups its
// samples): markdown-it and the course parser, validator, grader and race stay out of
// dist/extension.js and out of activation.
export { CourseCache, LessonsPanel } from './lessons/panel';
export { checkExercise } from './lessons/check';
export { ExerciseFiles } from './lessons/exercises';
import { loadCourse } from '../core/lessons/load';
import { sampleCatalog, type CatalogGroup } from '../core/lessons/sampleCatalog';

/** The samples grouped by the lesson step that uses each; undefined when the course cannot be read. */
export async function sampleGroups(extensionRoot: string, names: readonly string[]): Promise<readonly CatalogGroup[] | undefined> {
  const loaded = await loadCourse(extensionRoot, { validate: false });
  return loaded.course ? sampleCatalog(loaded.course, names) : undefined;
}
