import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { parseConfig } from '../../src/server/config.js';

/** deploy/ cannot be run here (no Docker, no network): its structure and the Quarry configuration it mounts are checked. */
const DEPLOY = join(import.meta.dirname, '..', '..', 'deploy');

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

const compose = parse(readFileSync(join(DEPLOY, 'compose.yaml'), 'utf8'), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const replicas = Object.keys(compose.services).filter((n) => n.startsWith('quarry-'));

test('compose: three identical Quarry replicas on PostgreSQL and Redis, healthy before the balancer takes traffic', () => {
  assert.deepEqual(replicas, ['quarry-1', 'quarry-2', 'quarry-3']);
  for (const name of replicas) {
    const s = compose.services[name]!;
    assert.deepEqual(s.command?.slice(0, 3), ['node', 'bin/quarry.js', 'serve'], name);
    assert.ok(s.command?.includes('--config') && s.command.includes('--no-pull'), `${name}: configured, no model download`);
    assert.match(s.environment?.QUARRY_STORE_URL ?? '', /^postgres:\/\/[^@]+@postgres:5432\/\w+\?schema=\w+$/, name);
    assert.match(s.environment?.QUARRY_REDIS_URL ?? '', /^redis:\/\/redis:6379$/, name);
    assert.ok(s.environment?.QUARRY_BOOTSTRAP_API_KEY, `${name}: one administrator key for all replicas`);
    assert.ok(s.environment?.QUARRY_MASTER_KEY, `${name}: one master key for the keyring all replicas share`);
    assert.equal(s.depends_on?.postgres?.condition, 'service_healthy');
    assert.equal(s.depends_on?.redis?.condition, 'service_healthy');
    assert.ok(s.volumes?.some((v) => v.startsWith('blobs:/data')), `${name}: the blob volume is shared`);
    assert.match(s.healthcheck?.test.join(' ') ?? '', /\/health/);
    assert.deepEqual(s, compose.services[replicas[0]!], 'replicas are identical');
  }
  const balancer = compose.services.balancer!;
  assert.deepEqual(Object.keys(balancer.depends_on ?? {}).sort(), replicas);
  assert.ok(balancer.ports?.includes('4100:4100'));
  assert.match(compose.services.postgres?.image ?? '', /pgvector/, 'PostgreSQL with pgvector for knowledge bases');
  assert.match(compose.services.redis?.image ?? '', /^redis:/);
});

test('compose: every dependency and named volume exists', () => {
  for (const [name, s] of Object.entries(compose.services)) {
    for (const dep of Object.keys(s.depends_on ?? {})) assert.ok(compose.services[dep], `${name} depends on ${dep}, which is not a service`);
    for (const v of s.volumes ?? []) {
      const source = v.split(':')[0]!;
      if (!source.startsWith('.') && !source.startsWith('/')) assert.ok(source in compose.volumes, `${name} mounts undeclared volume ${source}`);
    }
  }
});

test('nginx routes to every replica, unbuffered', () => {
  const conf = readFileSync(join(DEPLOY, 'nginx.conf'), 'utf8');
  const servers = [...conf.matchAll(/^\s*server (quarry-\d):4100\b/gm)].map((m) => m[1]);
  assert.deepEqual(servers, replicas);
  assert.match(conf, /proxy_buffering off;/);
});

test('the mounted quarry.yaml is a valid Quarry configuration once its variables are set', () => {
  const env = { QUARRY_STORE_URL: compose.services['quarry-1']!.environment!.QUARRY_STORE_URL!.replace('${POSTGRES_PASSWORD:-quarry}', 'pw'), QUARRY_REDIS_URL: 'redis://redis:6379', UPSTREAM_BASE_URL: 'https://upstream.example/v1', UPSTREAM_API_KEY: 'k' };
  const config = parseConfig(readFileSync(join(DEPLOY, 'quarry.yaml'), 'utf8'), env, 'deploy/quarry.yaml');
  assert.match(config.store.url ?? '', /^postgres:\/\/quarry:pw@postgres:5432\/quarry\?schema=quarry$/);
  assert.equal(config.redis?.url, 'redis://redis:6379');
  assert.ok(config.quotas?.default?.requestsPerMinute);
});
