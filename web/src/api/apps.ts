import type { AppDefinition } from '../lib/app-draft';
import { SseParser } from '../lib/sse-parser';
import type { ApiClient } from './api-client';
import { ApiError } from './api-error';

/** The app builder's API (/quarry/apps): the shapes src/api/quarry-apps/app-routes.ts sends. */

export type { AppDefinition, Widget } from '../lib/app-draft';

export interface App extends AppDefinition {
  appId: string;
  appArn: string;
  createdAt: string;
  updatedAt: string;
}

export interface AppSummary {
  appId: string;
  name: string;
  description: string;
  widgetCount: number;
  updatedAt: string;
}

export interface WidgetOutput {
  name: string;
  type: 'input' | 'generation';
  status: 'succeeded' | 'failed' | 'skipped';
  text: string;
  modelId?: string;
  usage?: { inputTokens: number; outputTokens: number; totalTokens: number };
  latencyMs?: number;
  costUsd?: number;
  guardrailAction?: 'INTERVENED' | 'NONE';
  error?: { code: string; message: string };
}

export interface AppRun {
  appId: string;
  status: 'succeeded' | 'failed';
  outputs: WidgetOutput[];
  usage: { inputTokens: number; outputTokens: number; totalTokens: number };
  costUsd: number;
  latencyMs: number;
}

export type AppRunEvent =
  | { type: 'widgetStart'; name: string }
  | { type: 'widgetDelta'; name: string; text: string }
  | { type: 'widgetDone'; output: WidgetOutput }
  | { type: 'runDone'; run: AppRun }
  | { type: 'error'; error: { code: string; message: string } };

export const appsApi = (api: ApiClient) => ({
  async list(): Promise<AppSummary[]> {
    return (await api.json<{ apps: AppSummary[] }>('/quarry/apps')).apps;
  },
  async get(id: string): Promise<App> {
    return (await api.json<{ app: App }>(`/quarry/apps/${encodeURIComponent(id)}`)).app;
  },
  async create(def: AppDefinition): Promise<App> {
    return (await api.json<{ app: App }>('/quarry/apps', { method: 'POST', body: def })).app;
  },
  async update(id: string, def: AppDefinition): Promise<App> {
    return (await api.json<{ app: App }>(`/quarry/apps/${encodeURIComponent(id)}`, { method: 'PUT', body: def })).app;
  },
  async remove(id: string): Promise<void> {
    await api.fetch(`/quarry/apps/${encodeURIComponent(id)}`, { method: 'DELETE' });
  },
  /** Runs the saved app, handing each event to `onEvent` as it arrives (each widget's answer streams). */
  async run(id: string, inputs: Record<string, string>, onEvent: (e: AppRunEvent) => void, signal?: AbortSignal): Promise<void> {
    const res = await api.fetch(`/quarry/apps/${encodeURIComponent(id)}/run-stream`, { method: 'POST', body: { inputs }, signal });
    if (!res.body) throw new ApiError('The server sent no stream.', res.status, undefined);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    const parser = new SseParser();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const data of parser.push(value)) {
          try {
            onEvent(JSON.parse(data) as AppRunEvent);
          } catch (e) {
            if (!(e instanceof SyntaxError)) throw e;
          }
        }
      }
    } finally {
      reader.releaseLock();
    }
  },
});

export type AppsApi = ReturnType<typeof appsApi>;
