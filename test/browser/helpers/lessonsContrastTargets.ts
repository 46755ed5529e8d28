// The lessons view's coloured text, measured for contrast in the browser test
// (test/browser/lessonsContrast.test.ts) and in the real workbench (test/vscode/scenarios/lessons.ts).
import type { ContrastTarget } from './contrast';

export const QUIZ_TARGETS: readonly ContrastTarget[] = [
  { name: '"✓ Correct."', selector: '.fl-question .fl-feedback.fl-good .fl-verdict' },
  { name: 'the difficulty badge', selector: '.fl-question-title .fl-badge[class*="fl-badge-"]' },
  { name: 'the question type badge', selector: '.fl-question-title .fl-badge:not([class*="fl-badge-"])' },
  { name: 'the prompt', selector: '.fl-question .fl-prompt' },
  { name: 'the progress line', selector: '.fl-progress-line' },
];

export const RACE_TARGETS: readonly ContrastTarget[] = [
  { name: 'the first lane\'s "finished" clock', selector: '.fl-lane:nth-of-type(1) .fl-lane-clock' },
  { name: 'the second lane\'s "finished" clock', selector: '.fl-lane:nth-of-type(2) .fl-lane-clock' },
  { name: 'the race summary', selector: '.fl-race-status' },
  { name: 'the mode intro', selector: '.fl-mode-intro' },
];

/** A race whose first lane's plan has a problem (comparison unbounded-vs-capped), after the finish. */
export const RACE_FLAGGED_KEY = 'comparison:unbounded-vs-capped';
export const RACE_FLAGGED_TARGETS: readonly ContrastTarget[] = [
  { name: 'a flagged lane\'s problem code on the board', selector: '.fl-race-board-row.fl-lane-flagged .fl-board-problems' },
  { name: 'a flagged lane\'s problem code', selector: '.fl-lane-flagged .fl-lane-problem-code' },
  { name: 'a flagged lane\'s problem message', selector: '.fl-lane-flagged .fl-lane-problems li' },
  { name: 'a finished board clock', selector: '.fl-race-board-row.fl-lane-done .fl-board-clock' },
  { name: 'the board\'s lane name', selector: '.fl-board-name' },
];
