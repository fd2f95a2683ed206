import { type ModelApiMetrics, summarizeMetrics } from '../lib/metrics-summary';
import { PrometheusParseError, parsePrometheusText } from '../lib/prometheus-text';
import type { ApiClient } from './api-client';
import { ApiError } from './api-error';

/** GET /metrics (Prometheus text, quarry:GetMetrics, default account only) read into one row per model and API. */
export const metricsApi = (api: ApiClient) => ({
  async read(signal?: AbortSignal): Promise<ModelApiMetrics[]> {
    const text = await (await api.fetch('/metrics', { signal })).text();
    try {
      return summarizeMetrics(parsePrometheusText(text));
    } catch (e) {
      if (e instanceof PrometheusParseError) throw new ApiError(`The server's /metrics answer could not be read (${e.message}).`, 200, undefined);
      throw e;
    }
  },
});

export type MetricsApi = ReturnType<typeof metricsApi>;
