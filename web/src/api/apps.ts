import type { AppDefinition, Widget } from '../lib/app-draft';
import { SseParser } from '../lib/sse-parser';
import type { ApiClient } from './api-client';
import { ApiError, errorFromResponse, isAbort, unreachable } from './api-error';

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
  type: Widget['type'];
  status: 'succeeded' | 'failed' | 'skipped';
  text: string;
  /** An image widget's image. */
  image?: { mediaType: string; base64: string };
  /** Images generated (an image widget's 1), billed by the image. */
  images?: number;
  modelId?: string;
  usage?: { inputTokens: number; outputTokens: number; totalTokens: number };
  latencyMs?: number;
  costUsd?: number;
  guardrailAction?: 'INTERVENED' | 'NONE';
  /** Kept from the last run (nothing it uses changed), so not run again. */
  reused?: true;
  error?: { code: string; message: string };
}

export interface ChatMessage {
  role: 'user' | 'assistant';
  text: string;
}

export interface ChatReply {
  message: { role: 'assistant'; text: string };
  modelId: string;
  usage: { inputTokens: number; outputTokens: number; totalTokens: number };
  latencyMs: number;
  costUsd: number;
  /** The passages the answer cites; none when it used none. */
  citations: { text: string; source?: string }[];
  /** Every passage the knowledge base gave the model this turn, cited or not. */
  passages: { text: string; source?: string }[];
}

/** A document widget's file as the run request carries it. */
export interface DocumentFile {
  fileName: string;
  contentType?: string;
  base64: string;
}

/** What a run sends: input values, and files for document widgets, by widget name. */
export interface RunBody {
  inputs: Record<string, string>;
  documents?: Record<string, DocumentFile>;
  /** Answers to keep from the last run instead of running those widgets again (see lib/rerun-plan). */
  reuse?: Record<string, string>;
}

export interface AppRun {
  appId: string;
  /** Set when the server kept the run (the owner's runs): what a snapshot is made from. */
  runId?: string;
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
  async run(id: string, body: RunBody, onEvent: (e: AppRunEvent) => void, signal?: AbortSignal): Promise<void> {
    const res = await api.fetch(`/quarry/apps/${encodeURIComponent(id)}/run-stream`, { method: 'POST', body, signal });
    await readRunStream(res, onEvent);
  },
  /** A definition a text model drafts from a one-line description; not saved. With an image model it may draw too. */
  async draft(description: string, modelId: string, imageModelId?: string): Promise<AppDefinition> {
    return (await api.json<{ draft: AppDefinition }>('/quarry/apps/draft', { method: 'POST', body: { description, modelId, ...(imageModelId ? { imageModelId } : {}) } })).draft;
  },
  /** One chatbot turn: the whole conversation goes each time (the server keeps none). */
  async chat(id: string, widget: string, messages: ChatMessage[]): Promise<ChatReply> {
    return api.json<ChatReply>(`/quarry/apps/${encodeURIComponent(id)}/chat/${encodeURIComponent(widget)}`, { method: 'POST', body: { messages } });
  },
  /** A read-only link; its token is in the answer only this once. */
  async share(id: string): Promise<NewAppShare> {
    return (await api.json<{ share: NewAppShare }>(`/quarry/apps/${encodeURIComponent(id)}/shares`, { method: 'POST' })).share;
  },
  async shares(id: string): Promise<AppShare[]> {
    return (await api.json<{ shares: AppShare[] }>(`/quarry/apps/${encodeURIComponent(id)}/shares`)).shares;
  },
  async revokeShare(id: string, shareId: string): Promise<AppShare> {
    return (await api.json<{ share: AppShare }>(`/quarry/apps/${encodeURIComponent(id)}/shares/${encodeURIComponent(shareId)}`, { method: 'DELETE' })).share;
  },
  /** Freezes a run the server kept; the link's token is in the answer only this once. */
  async snapshot(id: string, runId: string): Promise<NewAppSnapshot> {
    return (await api.json<{ snapshot: NewAppSnapshot }>(`/quarry/apps/${encodeURIComponent(id)}/snapshots`, { method: 'POST', body: { runId } })).snapshot;
  },
  async snapshots(id: string): Promise<AppSnapshotSummary[]> {
    return (await api.json<{ snapshots: AppSnapshotSummary[] }>(`/quarry/apps/${encodeURIComponent(id)}/snapshots`)).snapshots;
  },
  async deleteSnapshot(id: string, snapshotId: string): Promise<void> {
    await api.fetch(`/quarry/apps/${encodeURIComponent(id)}/snapshots/${encodeURIComponent(snapshotId)}`, { method: 'DELETE' });
  },
  /** Copies the app (one of this account's, or one a share link opens) into this account as "Remix of …". */
  async remix(source: { appId: string } | { token: string }): Promise<App> {
    const path = 'appId' in source ? `/quarry/apps/${encodeURIComponent(source.appId)}/remix` : `/quarry/shared-apps/${encodeURIComponent(source.token)}/remix`;
    return (await api.json<{ app: App }>(path, { method: 'POST' })).app;
  },
});

export type AppsApi = ReturnType<typeof appsApi>;

export interface AppShare {
  shareId: string;
  appId: string;
  sharedBy: string;
  createdAt: string;
  revokedAt?: string;
}

export interface NewAppShare extends AppShare {
  token: string;
  /** The console page that opens the link, below the server's origin. */
  path: string;
}

export interface AppSnapshotSummary {
  snapshotId: string;
  appId: string;
  appName: string;
  createdAt: string;
  costUsd: number;
  status: AppRun['status'];
}

export interface NewAppSnapshot extends AppSnapshotSummary {
  token: string;
  path: string;
}

/** What a snapshot link shows: the app as it was, and the run. */
export interface SharedSnapshot {
  appName: string;
  appDescription: string;
  widgets: AppDefinition['widgets'];
  run: Omit<AppRun, 'appId' | 'runId'>;
  createdAt: string;
}

/** A snapshot, opened by its link's token, signed out. */
export async function sharedSnapshot(token: string): Promise<SharedSnapshot> {
  return ((await (await sharedFetch(`/quarry/app-snapshots/${encodeURIComponent(token)}`)).json()) as { snapshot: SharedSnapshot }).snapshot;
}

/** What a share link shows: the definition, without the owner's ids. */
export type SharedApp = AppDefinition & { updatedAt: string };

/** Hands each event of a run-stream response to `onEvent` as it arrives. */
async function readRunStream(res: Response, onEvent: (e: AppRunEvent) => void): Promise<void> {
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
}

/** Signed out: the token in the link is the only credential, and no key is ever sent (there is none). */
async function sharedFetch(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      headers: init.body !== undefined ? { 'content-type': 'application/json' } : {},
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      signal: init.signal,
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (e) {
    if (isAbort(e)) throw e;
    throw unreachable(e);
  }
  if (!res.ok) throw await errorFromResponse(res);
  return res;
}

/** One shared app, opened by its link's token: read it and run it, nothing else. */
export const sharedAppApi = (token: string) => {
  const base = `/quarry/shared-apps/${encodeURIComponent(token)}`;
  return {
    async get(): Promise<SharedApp> {
      return ((await (await sharedFetch(base)).json()) as { app: SharedApp }).app;
    },
    async chat(_id: string, widget: string, messages: ChatMessage[]): Promise<ChatReply> {
      return (await sharedFetch(`${base}/chat/${encodeURIComponent(widget)}`, { method: 'POST', body: { messages } })).json() as Promise<ChatReply>;
    },
    async run(_id: string, body: RunBody, onEvent: (e: AppRunEvent) => void, signal?: AbortSignal): Promise<void> {
      await readRunStream(await sharedFetch(`${base}/run-stream`, { method: 'POST', body, signal }), onEvent);
    },
  };
};
