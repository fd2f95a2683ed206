import { QuarryError } from '../core/index.js';

/**
 * A fetch refused because its target is not a public internet address (loopback, private, link-local, metadata…) or
 * not http(s). Access denied rather than a validation error: the URL is well formed, the server refuses to go there.
 */
export class BlockedAddressError extends QuarryError {
  /** The host as written in the URL (or given to DNS). */
  readonly host: string;
  /** The resolved address that was refused, when the refusal came from an address. */
  readonly address?: string;

  constructor(message: string, details: { host: string; address?: string }) {
    super('AccessDeniedException', message);
    this.name = 'BlockedAddressError';
    this.host = details.host;
    this.address = details.address;
  }

  static is(e: unknown): e is BlockedAddressError {
    return QuarryError.isInstance(e) && e.name === 'BlockedAddressError';
  }
}
