import { parseArgs } from 'node:util';
import type { KeyringStatus, RotationReport } from '../secrets/index.js';
import { requestJson, serverAddress } from './client.js';

const USAGE = `quarry secrets — the keyring that seals stored secrets (SigV4 secret keys) at rest

  quarry secrets status                 the master key's id, the keyring's keys and how many records each seals
  quarry secrets rotate [--batch-size N]
                                        a new keyring key; every record is re-wrapped under it and the old key is
                                        retired (its material erased). Online: the server keeps serving meanwhile.

Both reach a running server at --url as an administrator of the default account. The master key itself
(QUARRY_MASTER_KEY or <data-dir>/master.key) never leaves the server and is not changed by rotation. --json prints
the server's answer.`;

const options = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  'data-dir': { type: 'string' },
  'batch-size': { type: 'string' },
  json: { type: 'boolean' },
} as const;

export async function secretsCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === 'help' || sub === '--help') {
    console.log(USAGE);
    return 0;
  }
  const { values: v } = parseArgs({ args: rest, options, allowPositionals: false });
  const addr = serverAddress(v);
  const print = (data: unknown, text: () => string[]) => console.log(v.json ? JSON.stringify(data, null, 2) : text().join('\n'));
  switch (sub) {
    case 'status': {
      const s = await requestJson<KeyringStatus>(addr, 'GET', '/quarry/secrets/keyring');
      print(s, () => statusLines(s));
      return 0;
    }
    case 'rotate': {
      const body: { batchSize?: number } = {};
      if (v['batch-size'] !== undefined) {
        const n = Number(v['batch-size']);
        if (!Number.isInteger(n) || n < 1) throw new Error(`--batch-size ${v['batch-size']} is not a positive whole number.`);
        body.batchSize = n;
      }
      const r = await requestJson<RotationReport>(addr, 'POST', '/quarry/secrets/keyring/rotate', body);
      print(r, () => [
        `${r.resumed ? 'finished an interrupted rotation' : 'rotated'}: ${r.previousKeyId} -> ${r.activeKeyId}`,
        ...Object.entries(r.rewrapped).map(([column, n]) => `  ${column}: ${n} re-wrapped`),
        r.retired ? `${r.previousKeyId} retired; its key material is erased.` : `${r.previousKeyId} was already retired.`,
      ]);
      return 0;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

function statusLines(s: KeyringStatus): string[] {
  const lines = [`master key: ${s.masterKeyId}`, `active key: ${s.activeKeyId}${s.rotating ? ' (a rotation is under way; run "quarry secrets rotate" to finish it)' : ''}`, ''];
  const rows = [['KEY', 'STATE', 'RECORDS', 'CREATED', 'RETIRED'], ...s.keys.map((k) => [k.keyId, k.state, String(k.records), k.createdAt, k.retiredAt ?? '-'])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) lines.push(r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
  return lines;
}
