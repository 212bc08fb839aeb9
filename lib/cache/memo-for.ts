type Entry = { at: number; ttlMs: number; value: Promise<unknown> };
const store = globalThis as unknown as { pullgateMemo?: Map<string, Entry> };

// Past this many entries, expired ones are dropped when a new one is stored: per-key caches
// (one entry per repository or access key) must not grow for the life of the process.
const SWEEP_ABOVE = 5_000;

/**
 * One computation per key and period, shared by every request in between (including those that
 * arrive while it runs). A failure is not kept: the next request computes again.
 */
export function memoFor<T>(key: string, ttlMs: number, compute: () => Promise<T>, now = Date.now()): Promise<T> {
  const entries = (store.pullgateMemo ??= new Map());
  const hit = entries.get(key);
  if (hit && Math.abs(now - hit.at) < ttlMs) return hit.value as Promise<T>;
  if (entries.size > SWEEP_ABOVE) {
    for (const [k, e] of entries) if (Math.abs(now - e.at) >= e.ttlMs) entries.delete(k);
  }
  const value = compute();
  entries.set(key, { at: now, ttlMs, value });
  value.catch(() => entries.delete(key));
  return value;
}
