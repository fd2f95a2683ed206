import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import * as oidc from 'openid-client';
import { QuarryError } from '../../core/index.js';
import type { Database } from '../../store/index.js';
import type { ConsoleSessions, NewConsoleSession } from '../console-sessions.js';
import type { IamStore } from '../iam-store.js';
import { hashKey } from '../key-store.js';
import type { IamTables } from '../tables.js';
import type { ConsoleSignInTables } from './console-sign-in-tables.js';
import { mapClaims } from './map-claims.js';
import type { OidcConfig } from './oidc-config.js';
import { provisionOidcUser } from './provision-oidc-user.js';

/** Why a sign-in failed, as a short code the console turns into words (the code, never provider text, goes in the URL). */
export type SignInFailure = 'state_mismatch' | 'expired' | 'provider_error' | 'token_rejected' | 'not_allowed' | 'user_conflict' | 'unavailable';

export class SignInError extends Error {
  constructor(
    readonly failure: SignInFailure,
    message: string,
    readonly subject?: string,
  ) {
    super(message);
  }
}

export interface SignedIn {
  session: NewConsoleSession;
  principalId: string;
  userName: string;
  accountId: string;
  subject: string;
  created: boolean;
  returnTo: string;
  /** Roles or policies a mapping names that the account lacks. */
  missing: string[];
}

export interface OidcSignInOptions {
  config: OidcConfig;
  db: Database;
  iam: IamStore;
  sessions: ConsoleSessions;
  defaultAccountId: string;
  now?: () => number;
}

// Long enough to type a password and answer a second factor, short enough that a leaked state is soon worthless.
const LOGIN_TTL_MS = 10 * 60_000;

/**
 * OpenID Connect sign-in to the console: the authorization-code flow with PKCE (S256), state and nonce, by
 * openid-client. Each authorization request is kept server-side (so any replica can finish it) and is single use; it
 * is bound to the browser that started it by a random cookie whose hash it stores, so a code injected into another
 * browser (login CSRF) is refused. The ID token's signature is checked against the provider's JWKS even though it
 * comes straight from the token endpoint (enableNonRepudiationChecks), besides issuer, audience, expiry and nonce.
 */
export class OidcSignIn {
  private readonly db: Kysely<ConsoleSignInTables & IamTables>;
  private discovered: Promise<oidc.Configuration> | undefined;
  private readonly now: () => number;
  readonly displayName: string;

  constructor(private readonly opts: OidcSignInOptions) {
    this.db = opts.db.withTables<ConsoleSignInTables & IamTables>();
    this.now = opts.now ?? Date.now;
    this.displayName = opts.config.name ?? new URL(opts.config.issuer).hostname;
  }

  /** Discovery runs at the first sign-in, not at start, so a provider that is down does not keep the server from starting. */
  private configuration(): Promise<oidc.Configuration> {
    if (!this.discovered) {
      const c = this.opts.config;
      const auth = c.tokenEndpointAuthMethod === 'client_secret_post' ? oidc.ClientSecretPost(c.clientSecret) : oidc.ClientSecretBasic(c.clientSecret);
      const execute = [oidc.enableNonRepudiationChecks];
      // The schema lets plain http through only for loopback issuers (a provider on the same machine, tests).
      if (c.issuer.startsWith('http://')) execute.push(oidc.allowInsecureRequests);
      this.discovered = oidc.discovery(new URL(c.issuer), c.clientId, undefined, auth, { execute, timeout: 10 });
      // A failed discovery is retried at the next sign-in rather than remembered.
      this.discovered.catch(() => {
        this.discovered = undefined;
      });
    }
    return this.discovered;
  }

  /** Starts a sign-in: the provider's authorization URL, and the browser-binding value to set as a cookie. */
  async begin(redirectUri: string, returnTo: string): Promise<{ url: string; binding: string }> {
    let config: oidc.Configuration;
    try {
      config = await this.configuration();
    } catch (e) {
      throw new SignInError('unavailable', `The identity provider's discovery document could not be read: ${(e as Error).message}`);
    }
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const binding = randomBytes(32).toString('base64url');
    const now = this.now();
    await this.db.deleteFrom('oidc_logins').where('expires_at', '<', new Date(now).toISOString()).execute();
    await this.db
      .insertInto('oidc_logins')
      .values({
        state,
        binding_hash: hashKey(binding),
        nonce,
        code_verifier: verifier,
        redirect_uri: redirectUri,
        return_to: returnTo,
        expires_at: new Date(now + LOGIN_TTL_MS).toISOString(),
      })
      .execute();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: this.opts.config.scopes.join(' '),
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, binding };
  }

  /** Finishes a sign-in at the redirect URI: checks everything, provisions the user and opens a console session. */
  async complete(callbackUrl: URL, binding: string | undefined): Promise<SignedIn> {
    const state = callbackUrl.searchParams.get('state');
    if (!state || !binding) throw new SignInError('state_mismatch', 'The sign-in was not started in this browser, or its cookie was lost.');
    // Deleted as it is read: a state is good for one callback, whatever its outcome.
    const login = await this.db.deleteFrom('oidc_logins').where('state', '=', state).returningAll().executeTakeFirst();
    if (!login || login.binding_hash !== hashKey(binding)) {
      throw new SignInError('state_mismatch', 'The sign-in response does not belong to a sign-in started in this browser.');
    }
    if (Date.parse(login.expires_at) <= this.now()) throw new SignInError('expired', 'The sign-in took too long; start again.');
    const providerError = callbackUrl.searchParams.get('error');
    if (providerError) {
      const description = callbackUrl.searchParams.get('error_description');
      throw new SignInError('provider_error', `The identity provider refused: ${providerError}${description ? ` (${description.slice(0, 200)})` : ''}`);
    }
    let config: oidc.Configuration;
    try {
      config = await this.configuration();
    } catch (e) {
      throw new SignInError('unavailable', `The identity provider's discovery document could not be read: ${(e as Error).message}`);
    }
    // openid-client reads redirect_uri from the URL it is given, so give it the registered one with the response's query.
    const current = new URL(login.redirect_uri);
    current.search = callbackUrl.search;
    let claims: Record<string, unknown>;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: login.code_verifier,
        expectedState: login.state,
        expectedNonce: login.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (!idClaims) throw new Error('the token response has no ID token');
      claims = { ...idClaims };
      // Many providers put email and groups only in userinfo; what the signed ID token says wins where both speak.
      if (config.serverMetadata().userinfo_endpoint && tokens.access_token) {
        const info = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        claims = { ...info, ...idClaims };
      }
    } catch (e) {
      throw new SignInError('token_rejected', `The identity provider's answer was refused: ${(e as Error).message}`);
    }
    const subject = String(claims.sub);
    const mapped = mapClaims(this.opts.config, claims, this.opts.defaultAccountId);
    if (!mapped.ok) throw new SignInError('not_allowed', mapped.reason, subject);
    let user: Awaited<ReturnType<typeof provisionOidcUser>>;
    try {
      user = await provisionOidcUser(this.opts.iam, this.db, { issuer: config.serverMetadata().issuer, subject }, mapped.access, new Date(this.now()).toISOString());
    } catch (e) {
      if (QuarryError.isInstance(e) && (e.code === 'ConflictException' || e.code === 'ResourceNotFoundException' || e.code === 'ValidationException')) {
        throw new SignInError(e.code === 'ConflictException' ? 'user_conflict' : 'not_allowed', e.message, subject);
      }
      throw e;
    }
    const session = await this.opts.sessions.create(user.principalId, this.opts.config.sessionMinutes * 60_000, 'oidc', subject);
    return { session, principalId: user.principalId, userName: user.userName, accountId: mapped.access.accountId, subject, created: user.created, returnTo: login.return_to, missing: user.missing };
  }
}
