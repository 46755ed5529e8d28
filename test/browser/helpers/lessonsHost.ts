// The test playing the extension host for the lessons webview: it applies the real progress
// reducer to every action the view posts and sends progress back, answers race requests with the
// real scheduler, and grades exercises with the real grader, as src/extension/lessons/panel.ts does.
import { strict as assert } from 'node:assert';
import { emptyProgress, reduceProgress, type Progress } from '../../../src/core/lessons/progress';
import type { Course } from '../../../src/core/lessons/types';
import type { HostToView, ViewCourse, ViewToHost } from '../../../src/protocol/lessons';
import { buildViewCourse, courseMessage } from '../../../src/extension/lessons/courseView';
import { buildComparisonRace, buildSampleRace } from '../../../src/extension/lessons/race';
import { openWebview, type WebviewPage, type WebviewPageOptions } from './chromium';
import { realCourse } from '../../unit/lessons/helpers';

export interface FakeHost {
  readonly view: WebviewPage;
  progress: Progress;
  /** Every message the view posted, in order (pump() keeps it current). */
  readonly seen: ViewToHost[];
  /** Handles what the view posted since the last call, as the extension host would. */
  pump(): Promise<void>;
}

export interface RealCourse {
  readonly course: Course;
  readonly files: ReadonlyMap<string, string>;
  readonly view: ViewCourse;
}

let cached: RealCourse | undefined;
export async function loadRealCourse(): Promise<RealCourse> {
  if (cached) return cached;
  const loaded = await realCourse();
  assert.ok(loaded.course, 'the real course loads');
  cached = { course: loaded.course, files: loaded.files, view: buildViewCourse(loaded.course) };
  return cached;
}

export interface OpenOptions extends Partial<Pick<WebviewPageOptions, 'themeVars' | 'themeClass' | 'themeVarsOnly'>> {
  readonly progress?: Progress;
  readonly state?: unknown;
  readonly viewport?: { readonly width: number; readonly height: number };
  /** Extra handling of what the view posts (after progress and races). */
  readonly onPost?: (m: ViewToHost, host: FakeHost) => Promise<void>;
}

export async function openLessons(real: RealCourse, o: OpenOptions = {}): Promise<FakeHost> {
  const progress = o.progress ?? emptyProgress();
  const view = await openWebview({
    scripts: ['lessons.js'], styles: ['lessons.css'],
    ...(o.state !== undefined ? { state: o.state } : {}),
    ...(o.themeVars ? { themeVars: o.themeVars } : {}),
    ...(o.themeClass ? { themeClass: o.themeClass } : {}),
    ...(o.themeVarsOnly ? { themeVarsOnly: true } : {}),
  });
  if (o.viewport) await view.page.setViewportSize({ ...o.viewport });
  const host: FakeHost = {
    view,
    progress,
    seen: [],
    async pump() {
      const all = (await view.posted()) as ViewToHost[];
      const fresh = all.slice(host.seen.length);
      host.seen.push(...fresh);
      for (const m of fresh) {
        if (m.type === 'progress') {
          const next = reduceProgress(host.progress, m.action);
          if (next !== host.progress) {
            host.progress = next;
            await view.send({ type: 'progress', progress: next } satisfies HostToView);
          }
        } else if (m.type === 'race-request') {
          const src = m.source;
          const c = src.kind === 'comparison' ? real.view.comparisons.find((x) => x.id === src.id) : undefined;
          const cores = { cores: real.course.referenceCores };
          const r = src.kind === 'sample' ? await buildSampleRace(src.path, real.files.get(src.path) ?? '', cores)
            : c ? await buildComparisonRace(c, real.files.get(c.left.path) ?? '', real.files.get(c.right.path) ?? '', cores) : undefined;
          if (r?.ok) await view.send({ type: 'race', race: r.race } satisfies HostToView);
        }
        if (o.onPost) await o.onPost(m, host);
      }
    },
  };
  const first = (await view.posted()) as ViewToHost[];
  assert.deepEqual(first, [{ type: 'ready' }]);
  await host.pump();
  await view.send(courseMessage(real.view, progress));
  await host.pump();
  return host;
}
