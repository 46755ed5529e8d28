// Listening to one AbortSignal from many places at once. Every attempt without a timeout shares
// the run's signal, and Node's EventTarget compares each new listener with all earlier ones, so
// n waits on one signal cost O(n²): 100k simulated tools spent 90 s in addEventListener alone.
// Here each signal gets a single real listener that calls a Set of callbacks: adding and removing
// are O(1).

type Callback = () => void;

const fans = new WeakMap<AbortSignal, Set<{ readonly fn: Callback }>>();

/**
 * Calls `fn` once when `signal` aborts (the caller checks `signal.aborted` first). Returns the
 * function that stops listening.
 */
export function onAbort(signal: AbortSignal, fn: Callback): () => void {
  let set = fans.get(signal);
  if (!set) {
    const own = new Set<{ readonly fn: Callback }>();
    set = own;
    fans.set(signal, own);
    signal.addEventListener('abort', () => {
      fans.delete(signal);
      // A callback that throws must not starve the others; the first error is rethrown after,
      // so Node reports it as it reports any abort listener that throws.
      let failure: { readonly error: unknown } | undefined;
      for (const entry of own) {
        try {
          entry.fn();
        } catch (error) {
          failure ??= { error };
        }
      }
      own.clear();
      if (failure) throw failure.error;
    }, { once: true });
  }
  const entry = { fn };
  const live = set;
  live.add(entry);
  return () => {
    live.delete(entry);
  };
}
