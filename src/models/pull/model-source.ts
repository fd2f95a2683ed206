import { basename } from 'node:path';
import { validation } from '../../core/errors.js';

export const DEFAULT_HF_ENDPOINT = 'https://huggingface.co';

/** A pull source resolved to the URL to fetch and the file name it is stored under. */
export interface ModelSource {
  kind: 'hf' | 'url';
  /** The source as the user wrote it, for messages. */
  source: string;
  url: URL;
  /** Name of the file in the models folder (the last path segment). */
  fileName: string;
  /** Origin that may receive `Authorization: Bearer $HF_TOKEN`; the token never follows a redirect elsewhere. */
  authOrigin?: string;
  hf?: { owner: string; repo: string; revision: string; path: string; endpoint: string };
}

// Hugging Face repo ids: letters, digits, `-`, `_`, `.`; no `..` and no leading/trailing separators.
const REPO_PART = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?$/;

/**
 * Parses `hf:owner/repo[@revision]/path/to/file.gguf` or an http(s) URL. The hf form resolves to
 * `<endpoint>/owner/repo/resolve/<revision>/<path>`, the same URL `huggingface_hub` uses, so mirrors set through
 * HF_ENDPOINT work unchanged.
 */
export function parseModelSource(source: string, opts: { hfEndpoint?: string } = {}): ModelSource {
  const trimmed = source.trim();
  if (/^hf:/i.test(trimmed)) return parseHf(trimmed, opts.hfEndpoint ?? process.env.HF_ENDPOINT ?? DEFAULT_HF_ENDPOINT);
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw validation(
      `Cannot pull ${JSON.stringify(source)}: use hf:owner/repo/file.gguf (optionally hf:owner/repo@revision/file.gguf) or an http(s) URL.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw validation(`Cannot pull ${JSON.stringify(source)}: only hf:, https: and http: sources are supported.`);
  }
  let fileName: string;
  try {
    fileName = decodeURIComponent(basename(url.pathname));
  } catch {
    fileName = '';
  }
  if (!fileName) {
    throw validation(`Cannot tell a file name from ${JSON.stringify(source)}; the URL path must end in the file name (…/model.gguf).`);
  }
  return { kind: 'url', source, url, fileName };
}

function parseHf(source: string, endpoint: string): ModelSource {
  // Accept `hf://` too, since people type it by analogy with s3://.
  const rest = source.replace(/^hf:(\/\/)?/i, '');
  const parts = rest.split('/');
  const usage = `Expected hf:owner/repo/path/to/file.gguf or hf:owner/repo@revision/file.gguf, got ${JSON.stringify(source)}.`;
  if (parts.length < 3) throw validation(usage);
  const [owner, repoAndRev, ...pathParts] = parts;
  const at = repoAndRev.indexOf('@');
  const repo = at === -1 ? repoAndRev : repoAndRev.slice(0, at);
  const revision = at === -1 ? 'main' : repoAndRev.slice(at + 1);
  if (!REPO_PART.test(owner) || !REPO_PART.test(repo) || revision === '' || owner.includes('..') || repo.includes('..')) {
    throw validation(usage);
  }
  if (pathParts.some((p) => p === '' || p === '.' || p === '..')) throw validation(usage);
  let base: URL;
  try {
    base = new URL(endpoint.endsWith('/') ? endpoint : `${endpoint}/`);
  } catch {
    throw validation(`HF_ENDPOINT ${JSON.stringify(endpoint)} is not a URL; set it to e.g. https://huggingface.co or a mirror.`);
  }
  const path = pathParts.join('/');
  // Revisions such as refs/pr/1 contain slashes; the Hub expects them percent-encoded as one segment.
  const resolvePath = [owner, repo, 'resolve', encodeURIComponent(revision), ...pathParts.map(encodeURIComponent)].join('/');
  const url = new URL(resolvePath, base);
  return {
    kind: 'hf',
    source,
    url,
    fileName: pathParts[pathParts.length - 1],
    authOrigin: url.origin,
    hf: { owner, repo, revision, path, endpoint: base.origin + base.pathname.replace(/\/$/, '') },
  };
}
