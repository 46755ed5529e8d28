// The runners only the extension host has; the run controller adds them to the Node runners.
import type { Runners } from '../../core/engine/types';
import { vscodeCommandRunner } from './vscodeCommand';
import { vscodeLmRunner } from './vscodeLm';

export const vscodeRunners: Runners = {
  'vscode.command': vscodeCommandRunner,
  'vscode.lm': vscodeLmRunner,
};

export { availableLmToolNames } from './vscodeLm';
