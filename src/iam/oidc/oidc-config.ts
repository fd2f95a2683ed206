import { z } from 'zod';

const LOOPBACK = /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/;

/** One rule: users whose `claim` holds `value` (equal, or among its values when it is a list) get what it names. */
export const claimMappingSchema = z
  .object({
    /** The ID-token or userinfo claim to test (`groups`, `roles`, `email_verified`, `hd` …); absent: every user matches. */
    claim: z.string().min(1).max(128).optional(),
    /** The value the claim must hold; absent with a claim: the claim must be present and not false. */
    value: z.union([z.string().max(512), z.boolean(), z.number()]).optional(),
    /** The account (project) the user lives in; the first matching rule that names one decides. Default: the server's. */
    account: z.string().regex(/^\d{12}$/, 'an account id is 12 digits').optional(),
    /** Administrator of the account (AWS's root): may do anything in it. */
    admin: z.boolean().optional(),
    /** Roles of the account the user is made a member of. */
    roles: z.array(z.string().min(1).max(64)).max(64).default([]),
    /** Managed policies of the account attached to the user. */
    policies: z.array(z.string().min(1).max(128)).max(64).default([]),
  })
  .strict();

/**
 * `oidc:` in quarry.yaml. Present, the console offers "Sign in with <name>" next to the API-key form. The client secret
 * is normally `${ENV}`-interpolated so that it never sits in the file.
 */
export const oidcConfigSchema = z
  .object({
    /** The issuer URL; its /.well-known/openid-configuration is read at the first sign-in. */
    issuer: z
      .string()
      .url()
      .refine((u) => u.startsWith('https://') || LOOPBACK.test(u), 'the issuer must be https:// (plain http only on a loopback address, for development)'),
    clientId: z.string().min(1).max(512),
    clientSecret: z.string().min(1).max(4096),
    /** How the client secret is sent to the token endpoint; client_secret_basic is the OpenID Connect default. */
    tokenEndpointAuthMethod: z.enum(['client_secret_basic', 'client_secret_post']).default('client_secret_basic'),
    /** Shown on the sign-in button ("Sign in with <name>"). Default: the issuer's host name. */
    name: z.string().min(1).max(64).optional(),
    /** Registered with the provider; default: `<this server's origin>/quarry/auth/oidc/callback` as the browser reached it. */
    redirectUri: z.string().url().optional(),
    scopes: z.array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'a scope is one word')).max(32).default(['openid', 'email', 'profile']),
    /** The claim that names the Quarry user (made IAM-safe); `sub` is used when it is missing. */
    userNameClaim: z.string().min(1).max(128).default('email'),
    /** When set, only users whose verified email is in one of these domains may sign in. */
    allowedDomains: z.array(z.string().min(1).max(253).toLowerCase()).max(256).optional(),
    /** How long a console session lasts, in minutes (it is not extended by use). */
    sessionMinutes: z.number().int().min(5).max(7 * 24 * 60).default(480),
    /** Evaluated in order; a user matching none is refused. */
    claimMappings: z.array(claimMappingSchema).min(1, 'name at least one claim mapping: users matching none are refused').max(256),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (!c.scopes.includes('openid')) ctx.addIssue({ code: 'custom', message: 'scopes must include "openid"', path: ['scopes'] });
    if (c.redirectUri && !c.redirectUri.startsWith('https://') && !LOOPBACK.test(c.redirectUri)) {
      ctx.addIssue({ code: 'custom', message: 'the redirect URI must be https:// (plain http only on a loopback address)', path: ['redirectUri'] });
    }
  });

export type OidcConfig = z.infer<typeof oidcConfigSchema>;
export type ClaimMapping = z.infer<typeof claimMappingSchema>;
