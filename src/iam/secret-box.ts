import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * AES-256-GCM for secrets that must be recoverable (a SigV4 secret key is an HMAC key, so unlike a bearer key it cannot
 * be stored as a one-way hash). The master key comes from QUARRY_MASTER_KEY (base64, 32 bytes) or a 0600 key file
 * created in the data dir at first start. Envelope encryption with rotation builds on this in the IAM issue.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromEnvOrFile(dataDir: string, env: NodeJS.ProcessEnv = process.env): SecretBox {
    if (env.QUARRY_MASTER_KEY) {
      const key = Buffer.from(env.QUARRY_MASTER_KEY, 'base64');
      if (key.length !== 32) throw new Error('QUARRY_MASTER_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32).');
      return new SecretBox(key);
    }
    const file = join(dataDir, 'master.key');
    if (!existsSync(file)) {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    }
    chmodSync(file, 0o600);
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key.`);
    return new SecretBox(key);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return ['v1', iv.toString('base64'), c.getAuthTag().toString('base64'), body.toString('base64')].join('.');
  }

  open(sealed: string): string {
    const [v, iv, tag, body] = sealed.split('.');
    if (v !== 'v1' || !iv || !tag || body === undefined) throw new Error('Unrecognised sealed secret.');
    const d = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    d.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([d.update(Buffer.from(body, 'base64')), d.final()]).toString('utf8');
  }
}
