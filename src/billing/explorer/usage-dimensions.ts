import { type RawBuilder, sql } from 'kysely';

/**
 * What usage can be grouped and filtered by. Each dimension is one SQL expression over `usage_records u`, so grouping
 * happens in the database on either dialect; adding one is adding a name here and a case below.
 */
export const DIMENSIONS = ['model', 'key', 'user', 'principal', 'account', 'api', 'outcome', 'region', 'deployment', 'provider'] as const;
export const TAG_PREFIX = 'tag:';

export type FixedDimension = (typeof DIMENSIONS)[number];
export type Dimension = FixedDimension | `tag:${string}`;

/** A tag key as the meter stores it: at most 128 characters, none of them control or invisible formatting ones. */
export const TAG_KEY = /^[^\p{Cc}\p{Cf}]{1,128}$/u;

export function isDimension(s: string): s is Dimension {
  if ((DIMENSIONS as readonly string[]).includes(s)) return true;
  return s.startsWith(TAG_PREFIX) && TAG_KEY.test(s.slice(TAG_PREFIX.length));
}

/** The SQL for a dimension. Values the caller chose (a tag key, the default account) are bound, never spliced. */
export function dimensionSql(d: Dimension, defaultAccountId: string): RawBuilder<string | null> {
  switch (d) {
    case 'model':
      return sql`u.model_id`;
    case 'key':
      return sql`u.key_id`;
    // The user's stable id, for filters that must survive a rename or a deleted user (budgets).
    case 'principal':
      return sql`u.principal`;
    case 'api':
      return sql`u.api`;
    case 'outcome':
      return sql`u.outcome`;
    case 'region':
      return sql`u.region`;
    case 'deployment':
      return sql`u.deployment_id`;
    case 'provider':
      return sql`u.provider_id`;
    // Users by name: ids mean nothing to a reader. A deleted user's records keep the principal id.
    case 'user':
      return sql`coalesce((select p.name from principals p where p.id = u.principal), u.principal)`;
    case 'account':
      return accountSql(defaultAccountId);
    default:
      // One usage_tags row per tag, keyed (record_id, key): an index lookup per record, and null when it has no such tag.
      return sql`(select t.value from usage_tags t where t.record_id = u.id and t.key = ${d.slice(TAG_PREFIX.length)})`;
  }
}

/**
 * The account a record belongs to. Records from before usage carried an account (account_id '') are attributed
 * through the user who made them, and users from before accounts existed to the default account. COALESCE evaluates
 * lazily on both dialects, so the lookup runs only for those old rows.
 */
export function accountSql(defaultAccountId: string): RawBuilder<string> {
  return sql<string>`coalesce(nullif(u.account_id, ''), (select p.account_id from principals p where p.id = u.principal), ${defaultAccountId})`;
}
