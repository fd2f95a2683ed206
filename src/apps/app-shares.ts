import type { Kysely } from 'kysely';
import { QuarryError } from '../core/index.js';
import type { Principal } from '../iam/index.js';
import type { Database } from '../store/index.js';
import { newAppId } from './app-ids.js';
import type { AppSharesTable, AppTables } from './app-tables.js';
import { hashLinkToken as hashOf, isLinkToken, newLinkToken } from './share-token.js';

/** At most this many live links per app: enough for any real use, and a bound on what one app can make us store. */
export const MAX_SHARES_PER_APP = 50;

export interface AppShare {
  shareId: string;
  appId: string;
  accountId: string;
  createdAt: string;
  revokedAt?: string;
  /** Who made the link: runs through it are theirs (charged, metered and authorized as them). */
  sharedBy: string;
}

/** A share just made: the only time its token is known to the server in the clear. */
export interface NewAppShare extends AppShare {
  token: string;
}

/** What a token opens: the app (in its owner's account) and the principal the runs are made as. */
export interface OpenedShare {
  share: AppShare;
  principal: Principal;
}


const shareOf = (row: AppSharesTable): AppShare => ({
  shareId: row.id,
  appId: row.app_id,
  accountId: row.scope,
  createdAt: row.created_at,
  ...(row.revoked_at ? { revokedAt: row.revoked_at } : {}),
  sharedBy: (JSON.parse(row.principal) as Principal).name,
});

const unknownLink = () => new QuarryError('ResourceNotFoundException', 'This share link does not exist. Ask the app\'s owner for a new link.');

/**
 * Read-only links to apps. A link names one app and nothing else; the routes that take a token can only show that app
 * and run it. Revoking keeps the row, so a revoked link is refused as revoked (403), not as unknown (404).
 */
export class AppShares {
  private readonly db: Kysely<AppTables>;
  constructor(db: Database) {
    this.db = db.withTables<AppTables>();
  }

  async create(scope: string, appId: string, principal: Principal): Promise<NewAppShare> {
    const live = await this.db
      .selectFrom('app_shares')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('scope', '=', scope)
      .where('app_id', '=', appId)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    if (Number(live.n) >= MAX_SHARES_PER_APP) {
      throw new QuarryError('ServiceQuotaExceededException', `The app already has ${MAX_SHARES_PER_APP} live share links; revoke one first.`);
    }
    const token = newLinkToken('qa');
    const row: AppSharesTable = {
      id: newAppId(),
      scope,
      app_id: appId,
      token_hash: hashOf(token),
      // Only what identifies the principal and how it signed in; no secret is in a Principal.
      principal: JSON.stringify({ id: principal.id, name: principal.name, keyId: principal.keyId, isAdmin: principal.isAdmin, accountId: principal.accountId, authMethod: principal.authMethod }),
      created_at: new Date().toISOString(),
      revoked_at: null,
    };
    await this.db.insertInto('app_shares').values(row).execute();
    return { ...shareOf(row), token };
  }

  /** Newest first, revoked ones included (the console shows when each was revoked). */
  async list(scope: string, appId: string): Promise<AppShare[]> {
    const rows = await this.db.selectFrom('app_shares').selectAll().where('scope', '=', scope).where('app_id', '=', appId).orderBy('created_at', 'desc').orderBy('id').limit(200).execute();
    return rows.map(shareOf);
  }

  async revoke(scope: string, appId: string, shareId: string): Promise<AppShare> {
    const row = await this.db.selectFrom('app_shares').selectAll().where('scope', '=', scope).where('app_id', '=', appId).where('id', '=', shareId).executeTakeFirst();
    if (!row) throw new QuarryError('ResourceNotFoundException', `Share ${shareId.slice(0, 64)} of app ${appId} was not found.`);
    if (row.revoked_at) return shareOf(row);
    const revoked_at = new Date().toISOString();
    await this.db.updateTable('app_shares').set({ revoked_at }).where('id', '=', row.id).execute();
    return shareOf({ ...row, revoked_at });
  }

  /** Every link of an app revoked, as when the app is deleted. */
  async revokeAll(scope: string, appId: string): Promise<void> {
    await this.db.updateTable('app_shares').set({ revoked_at: new Date().toISOString() }).where('scope', '=', scope).where('app_id', '=', appId).where('revoked_at', 'is', null).execute();
  }

  /** The share a token opens; unknown → 404, revoked → 403, each saying so. */
  async open(token: string): Promise<OpenedShare> {
    if (!isLinkToken('qa', token)) throw unknownLink();
    const row = await this.db.selectFrom('app_shares').selectAll().where('token_hash', '=', hashOf(token)).executeTakeFirst();
    if (!row) throw unknownLink();
    if (row.revoked_at) throw new QuarryError('AccessDeniedException', 'This share link was revoked by the app\'s owner.');
    return { share: shareOf(row), principal: JSON.parse(row.principal) as Principal };
  }
}
