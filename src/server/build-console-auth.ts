import type { AuditLog } from '../audit/index.js';
import { ConsoleSessions, type IamStore, OidcSignIn } from '../iam/index.js';
import type { Store } from '../store/index.js';
import type { ConsoleAuthDeps } from './console-auth-routes.js';
import type { QuarryConfig } from './config.js';

/** Console sessions always (a session cookie is refused cleanly even when OIDC was turned off); OIDC sign-in when configured. */
export function buildConsoleAuth(o: { config: QuarryConfig; store: Store; iam: IamStore; audit: AuditLog }): ConsoleAuthDeps {
  const sessions = new ConsoleSessions(o.store.db, o.config.accountId);
  const oidc = o.config.oidc
    ? new OidcSignIn({ config: o.config.oidc, db: o.store.db, iam: o.iam, sessions, defaultAccountId: o.config.accountId })
    : undefined;
  return { sessions, ...(oidc ? { oidc } : {}), ...(o.config.oidc?.redirectUri ? { redirectUri: o.config.oidc.redirectUri } : {}), audit: o.audit, defaultAccountId: o.config.accountId };
}
