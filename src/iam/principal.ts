/** Who is calling. Policies, users and roles arrive with the IAM issue; for now a principal is admin or not. */
export interface Principal {
  id: string;
  name: string;
  keyId: string;
  isAdmin: boolean;
  /** The account (project) the principal belongs to: the unit of isolation. Absent: the server's default account. */
  accountId?: string;
  /**
   * `session`: a console session opened by OpenID Connect sign-in (the cookie); keyId is then the session's id.
   * `share-link`: a signed-out run of a shared app, made as the principal that made the link.
   */
  authMethod: 'bearer' | 'sigv4' | 'session' | 'share-link';
}
