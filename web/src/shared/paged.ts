// A list read a page at a time through a keyset cursor (the API's `starting_after` and
// `next_cursor`): the first page on mount and again whenever `reload` changes (the list is
// then replaced), the next one each time `more` is called.

import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, type Page } from './api';

export interface PagedList<T> {
  items: T[];
  more: (() => void) | null; // null once the last page is in
  loaded: boolean; // the first answer (or error) is in
  error: string | null;
}

// `path(after)`: the GET path of the page after the cursor `after` (null for the first).
export function usePagedList<T>(path: (after: string | null) => string, reload: unknown = null): PagedList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Answers to a read made before the latest reload are dropped: they list the old state.
  const generation = useRef(0);
  async function load(after: string | null) {
    const asked = generation.current;
    try {
      const page = await api<Page<T>>('GET', path(after));
      if (asked !== generation.current) return;
      setItems((old) => (after ? old.concat(page.data) : page.data));
      setCursor(page.has_more ? page.next_cursor : null);
    } catch (e) {
      if (asked !== generation.current) return;
      setError(e instanceof ApiError ? e.detail : (e as Error).message);
    } finally {
      if (asked === generation.current) setLoaded(true);
    }
  }
  useEffect(() => {
    generation.current += 1;
    setError(null);
    load(null);
  }, [reload]);
  return { items, more: cursor ? () => load(cursor) : null, loaded, error };
}
