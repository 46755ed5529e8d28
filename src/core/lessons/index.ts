export * from './types';
export { parseCourse, COURSE_FILE, type ParsedCourse } from './parse';
export { validateCourse, STEP_LINK } from './validate';
export { gradeExercise, type GradeCheck, type GradeCheckKind, type GradeOptions, type GradeResult } from './grade';
export { loadCourse, findCourseRoot, type LoadedCourse, type LoadOptions } from './load';
export { courseToJson, type CourseJson } from './json';
export { gradeCodeExercise, type CodeGrade, type CodeGradeOptions, type CodeGradeResult } from './code/run';
