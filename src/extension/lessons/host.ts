// The loader of dist/lessonsHost.js (src/extension/lessonsHost.ts), shared by the lessons feature
// and the sample picker so the bundle is required once.
import { lazyBundle } from '../lazyBundle';

export const lessonsHost = lazyBundle<typeof import('../lessonsHost')>('lessonsHost.js');
