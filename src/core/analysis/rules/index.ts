import type { Rule } from '../analyze';
import { cpuOversubscribedRule, unboundedConcurrencyRule } from './concurrency';
import { undeclaredDependencyRule } from './dependencies';
import { duplicateCallRule } from './duplicates';
import { retryNotIdempotentRule } from './retries';
import { noParallelismRule, stragglerRule } from './shape';
import { missingTimeoutRule } from './timeouts';
import { writeConflictRule } from './writes';

/** Every pitfall rule, one per warning/info code of DESIGN.md §3. analyze() runs these by default. */
export const ALL_RULES: readonly Rule[] = [
  undeclaredDependencyRule,
  unboundedConcurrencyRule,
  writeConflictRule,
  noParallelismRule,
  cpuOversubscribedRule,
  duplicateCallRule,
  missingTimeoutRule,
  retryNotIdempotentRule,
  stragglerRule,
];

export {
  cpuOversubscribedRule, duplicateCallRule, missingTimeoutRule, noParallelismRule, retryNotIdempotentRule,
  stragglerRule, undeclaredDependencyRule, unboundedConcurrencyRule, writeConflictRule,
};
