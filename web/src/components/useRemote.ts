import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Loads something on mount (and on `reload`); on failure `data` keeps its value and `error` is set.
 * `setData` replaces the value with one a write returned (no second read).
 */
export function useRemote<T>(load: () => Promise<T>, fallback: T, enabled = true) {
  const loader = useRef(load);
  loader.current = load;
  const [data, setData] = useState<T>(fallback);
  const [loading, setLoading] = useState(enabled);
  const [error, setError] = useState<unknown>(undefined);
  const reload = useCallback(async () => {
    if (!enabled) return;
    setLoading(true);
    setError(undefined);
    try {
      setData(await loader.current());
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [enabled]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, loading, error, reload, setData };
}
