type Entry = { at: number; value: Promise<unknown> };
const store = globalThis as unknown as { pullgateMemo?: Map<string, Entry> };

/**
 * One computation per key and period, shared by every request in between (including those that
 * arrive while it runs). A failure is not kept: the next request computes again.
 */
export function memoFor<T>(key: string, ttlMs: number, compute: () => Promise<T>, now = Date.now()): Promise<T> {
  const entries = (store.pullgateMemo ??= new Map());
  const hit = entries.get(key);
  if (hit && Math.abs(now - hit.at) < ttlMs) return hit.value as Promise<T>;
  const value = compute();
  entries.set(key, { at: now, value });
  value.catch(() => entries.delete(key));
  return value;
}
