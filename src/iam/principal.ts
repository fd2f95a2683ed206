/** Who is calling. Policies, users and roles arrive with the IAM issue; for now a principal is admin or not. */
export interface Principal {
  id: string;
  name: string;
  keyId: string;
  isAdmin: boolean;
  authMethod: 'bearer' | 'sigv4';
}
