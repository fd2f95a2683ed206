import { QuarryError } from '../core/index.js';
import { type AttachedPolicy, InvalidPolicyError, parsePolicyDocument } from './policy/index.js';

/** A policy as loaded from the store. */
export interface StoredPolicy {
  id: string;
  name: string;
  document: string;
}

interface Entry {
  policies: readonly AttachedPolicy[];
  until: number;
}

// Every request of a non-administrator asks for its policies. Changes made through this process clear the cache at
// once; changes made on another replica are seen within this many milliseconds.
export const POLICY_CACHE_MS = 5_000;
const MAX_PRINCIPALS = 10_000;

/**
 * The policies of each principal, for a few seconds, as the same frozen objects every time: the evaluator compiles a
 * document once and remembers it by object identity, so a fresh parse per request would recompile every policy on
 * every request. Documents are also remembered by policy id and text, so a reload after the TTL hands back the
 * objects it handed out before unless the policy itself changed.
 */
export class AttachedPolicyCache {
  private readonly byPrincipal = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<readonly AttachedPolicy[]>>();
  private readonly documents = new Map<string, { text: string; attached: AttachedPolicy }>();
  // Bumped by every change; a load that started before a change must not put its (stale) answer in the cache.
  private generation = 0;

  constructor(
    private readonly load: (principalId: string) => Promise<StoredPolicy[]>,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = POLICY_CACHE_MS,
  ) {}

  get(principalId: string): Promise<readonly AttachedPolicy[]> {
    const hit = this.byPrincipal.get(principalId);
    if (hit && hit.until > this.now()) return Promise.resolve(hit.policies);
    // Concurrent requests of one principal share one load.
    let pending = this.loading.get(principalId);
    if (!pending) {
      const p: Promise<readonly AttachedPolicy[]> = this.fill(principalId).finally(() => {
        if (this.loading.get(principalId) === p) this.loading.delete(principalId);
      });
      pending = p;
      this.loading.set(principalId, p);
    }
    return pending;
  }

  /** Forgets everything: policies, attachments or memberships changed. */
  invalidate(): void {
    this.generation++;
    this.byPrincipal.clear();
    this.loading.clear();
  }

  /** Forgets one policy's parsed document (it was deleted). */
  forgetPolicy(policyId: string): void {
    this.documents.delete(policyId);
    this.invalidate();
  }

  private async fill(principalId: string): Promise<readonly AttachedPolicy[]> {
    const generation = this.generation;
    const rows = await this.load(principalId);
    const policies = Object.freeze(rows.map((r) => this.attached(r)));
    if (generation === this.generation) {
      if (this.byPrincipal.size >= MAX_PRINCIPALS) this.byPrincipal.clear();
      this.byPrincipal.set(principalId, { policies, until: this.now() + this.ttlMs });
    }
    return policies;
  }

  /** The shared frozen object for a stored policy (parsed once per version of its text). */
  attached(row: StoredPolicy): AttachedPolicy {
    const known = this.documents.get(row.id);
    if (known && known.text === row.document && known.attached.id === row.name) return known.attached;
    let document: AttachedPolicy['document'];
    try {
      document = parsePolicyDocument(row.document);
    } catch (e) {
      // Fail closed: skipping a policy that no longer validates could drop a Deny.
      const detail = e instanceof InvalidPolicyError ? e.message : 'it is not valid JSON';
      throw new QuarryError('AccessDeniedException', `The stored policy ${row.name} attached to you no longer validates (${detail}); an administrator must update it.`, {
        cause: e,
      });
    }
    const attached: AttachedPolicy = Object.freeze({ id: row.name, document });
    this.documents.set(row.id, { text: row.document, attached });
    return attached;
  }
}
