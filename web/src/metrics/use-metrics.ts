import { useCallback, useEffect, useRef, useState } from 'react';
import { isAbort, messageOf } from '../api/api-error';
import type { MetricsApi } from '../api/metrics';
import type { ModelApiMetrics } from '../lib/metrics-summary';

/** How often the page reads /metrics while it is shown and auto-refresh is on (a Prometheus scrape's usual pace). */
export const REFRESH_MS = 10_000;

/**
 * The metrics page's data: read when the page is shown, then every REFRESH_MS while it stays shown and `auto` holds.
 * A failed refresh keeps the last rows beside the error, so a blip does not blank the table; reads never overlap.
 */
export function useMetrics(metrics: MetricsApi, active: boolean, auto: boolean) {
  const [rows, setRows] = useState<ModelApiMetrics[]>();
  const [error, setError] = useState<string>();
  const [updatedAt, setUpdatedAt] = useState<Date>();
  const inFlight = useRef<AbortController | undefined>(undefined);

  const load = useCallback(() => {
    if (inFlight.current) return;
    const ac = new AbortController();
    inFlight.current = ac;
    metrics.read(ac.signal).then(
      (r) => {
        setRows(r);
        setError(undefined);
        setUpdatedAt(new Date());
      },
      (e: unknown) => {
        if (!isAbort(e)) setError(messageOf(e));
      },
    ).finally(() => {
      if (inFlight.current === ac) inFlight.current = undefined;
    });
  }, [metrics]);

  useEffect(() => {
    if (!active) return;
    load();
    const timer = auto ? setInterval(load, REFRESH_MS) : undefined;
    return () => {
      clearInterval(timer);
      inFlight.current?.abort();
      inFlight.current = undefined;
    };
  }, [active, auto, load]);

  return { rows, error, updatedAt, load };
}
