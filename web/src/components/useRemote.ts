import { useCallback, useEffect, useRef, useState } from 'react';

/** Loads something on mount (and on `reload`); errors leave `data` at the fallback. */
export function useRemote<T>(load: () => Promise<T>, fallback: T, enabled = true) {
  const loader = useRef(load);
  loader.current = load;
  const [data, setData] = useState<T>(fallback);
  const [loading, setLoading] = useState(enabled);
  const reload = useCallback(async () => {
    if (!enabled) return;
    setLoading(true);
    try {
      setData(await loader.current());
    } catch {
      /* the caller shows what it has */
    } finally {
      setLoading(false);
    }
  }, [enabled]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, loading, reload };
}
