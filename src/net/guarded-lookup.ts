import type { LookupFunction } from 'node:net';
import { blockedAddressReason } from './address-policy.js';
import { BlockedAddressError } from './blocked-address-error.js';
import type { ResolveHost, ResolvedAddress } from './resolve-host.js';

/**
 * A `lookup` for `net.connect` that resolves a host once and hands the socket exactly the addresses it checked, so a
 * DNS answer that changes between a check and the connect (DNS rebinding) cannot slip a private address in. With
 * `check` off it only routes through `resolve` (hosts the user allowed explicitly).
 */
export function guardedLookup(resolve: ResolveHost, check: boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (all) => {
        const family = options.family === 4 || options.family === 6 ? options.family : 0;
        const addresses = family ? all.filter((a) => a.family === family) : all;
        if (addresses.length === 0) {
          const e = Object.assign(new Error(`${hostname} has no ${family ? `IPv${family} ` : ''}address`), { code: 'ENOTFOUND' });
          return callback(e, '', 0);
        }
        if (check) {
          // One private address among public ones refuses the host: the connect may pick any of them.
          for (const a of addresses) {
            const reason = blockedAddressReason(a.address);
            if (reason) return callback(blocked(hostname, a, reason), '', 0);
          }
        }
        if (options.all) (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (e: NodeJS.ErrnoException) => callback(e, '', 0),
    );
  };
}

function blocked(hostname: string, a: ResolvedAddress, reason: string): BlockedAddressError {
  return new BlockedAddressError(
    `Refused to connect to ${hostname}: it resolves to ${a.address}, ${reason}. Add "${hostname}" to allowHosts to allow it.`,
    { host: hostname, address: a.address },
  );
}
