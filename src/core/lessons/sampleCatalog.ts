// The sample picker's order: samples grouped by the lesson step that uses them, in reading order,
// the course's first sample marked "start here", each with the one-line caption its step gives it.
// Samples no step uses come last. Pure: the extension adds plan names and tool counts.
import type { Course } from './types';

export interface CatalogSample {
  /** File name inside lessons/samples. */
  readonly file: string;
  /** The first sentence of the step's caption for it. */
  readonly blurb: string;
  readonly startHere: boolean;
}

export interface CatalogGroup {
  /** "Step 1 · The sequential baseline", or "More samples". */
  readonly title: string;
  readonly samples: readonly CatalogSample[];
}

/** The first sentence (a caption may run on; the picker shows one line). */
export function firstSentence(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  const m = /^(.+?[.!?])(\s|$)/.exec(t);
  return m ? m[1] : t;
}

/** `files`: the plan files in lessons/samples (names only). */
export function sampleCatalog(course: Course, files: readonly string[]): CatalogGroup[] {
  const present = new Set(files);
  const placed = new Set<string>();
  const groups: CatalogGroup[] = [];
  course.steps.forEach((step, i) => {
    const samples: CatalogSample[] = [];
    for (const ref of step.samples) {
      const file = ref.path.split('/').pop() ?? ref.path;
      if (!present.has(file) || placed.has(file)) continue;
      placed.add(file);
      samples.push({ file, blurb: firstSentence(ref.caption), startHere: placed.size === 1 });
    }
    if (samples.length > 0) groups.push({ title: `Step ${i + 1} · ${step.title}`, samples });
  });
  const rest = files.filter((f) => !placed.has(f)).sort();
  if (rest.length > 0) groups.push({ title: 'More samples', samples: rest.map((file) => ({ file, blurb: '', startHere: false })) });
  return groups;
}
