import { availableParallelism } from 'node:os';

/**
 * The cores an analysis assumes for `cpu` tools: the given count (a course's referenceCores, a
 * flag), else this machine's. Both the cpu-oversubscribed check and the makespan prediction read
 * it, so a plan is never called oversubscribed on one core count and timed on another.
 */
export function analysisCores(cores: number | undefined): number {
  return Math.max(1, Math.floor(cores ?? availableParallelism()));
}
