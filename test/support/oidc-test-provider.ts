import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** Who the provider knows: the claims it releases for each account id. */
export type TestAccounts = Record<string, { email: string; name: string; groups: string[] }>;

export interface OidcTestProvider {
  issuer: string;
  /** Registers the one client and starts answering; the redirect URI is only known once Quarry listens. */
  serve(client: { clientId: string; clientSecret: string; redirectUri: string }): void;
  /** Which account the next login interaction signs in as (the user "typing" a name and password). */
  signInAs(accountId: string): void;
  stop(): Promise<void>;
}

/**
 * A real OpenID Provider (node-oidc-provider) on a loopback port, plain http, for console sign-in tests. Its login and
 * consent interactions are answered at once by code: the first signs in the account named by signInAs, the second
 * grants what the client asked for (as a first-party provider that skips consent would).
 */
export async function startOidcTestProvider(accounts: TestAccounts): Promise<OidcTestProvider> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => {
    if (handler) return handler(req, res);
    res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let account: string | undefined;

  return {
    issuer,
    signInAs(accountId) {
      account = accountId;
    },
    serve(client) {
      // A key of its own rather than the library's development key (which it warns about on every start).
      const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: client.clientId,
            client_secret: client.clientSecret,
            redirect_uris: [client.redirectUri],
            grant_types: ['authorization_code'],
            response_types: ['code'],
            token_endpoint_auth_method: 'client_secret_basic',
          },
        ],
        jwks: { keys: [{ ...jwk, kid: 'test', use: 'sig', alg: 'RS256' }] },
        cookies: { keys: ['oidc-test-provider-cookie-key'] },
        claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
        scopes: ['openid', 'email', 'profile', 'groups'],
        pkce: { required: () => true },
        // Stated rather than defaulted: the library notes every default lifetime it falls back to.
        ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
        features: { devInteractions: { enabled: false } },
        interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
        findAccount: (_ctx: unknown, id: string) => {
          const a = accounts[id];
          if (!a) return undefined;
          return { accountId: id, claims: () => ({ sub: id, email: a.email, email_verified: true, name: a.name, groups: a.groups }) };
        },
      });
      const callback = provider.callback();
      const interact = async (req: IncomingMessage, res: ServerResponse) => {
        const details = await provider.interactionDetails(req, res);
        if (details.prompt.name === 'login') {
          if (!account) throw new Error('signInAs was not called');
          await provider.interactionFinished(req, res, { login: { accountId: account } }, { mergeWithLastSubmission: false });
          return;
        }
        const grant = new provider.Grant({ accountId: String(details.session?.accountId), clientId: client.clientId });
        grant.addOIDCScope(String(details.params.scope));
        await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
      };
      handler = (req, res) => {
        if (!req.url?.startsWith('/interaction/')) return callback(req, res);
        interact(req, res).catch((e: Error) => {
          res.writeHead(500, { 'content-type': 'text/plain' }).end(e.message);
        });
      };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
