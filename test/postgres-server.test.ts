import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import pg from 'pg';
import { TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, startTestServer } from './support/start-test-server.js';

const PG_URL = process.env.QUARRY_TEST_PG_URL;

test('the whole server on PostgreSQL, chosen by configuration alone', { skip: PG_URL ? false : 'set QUARRY_TEST_PG_URL to run against PostgreSQL' }, async () => {
  const name = `quarry_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL!);
  url.pathname = `/${name}`;
  const server = await startTestServer(`store:\n  url: ${url}\n`);
  try {
    const client = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: server.url, credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY } });
    const res = await client.send(new ConverseCommand({ modelId: 'scripted.echo-v1:0', messages: [{ role: 'user', content: [{ text: 'on postgres' }] }] }));
    assert.equal(res.output?.message?.content?.[0]?.text, 'You said: on postgres');
    client.destroy();
    assert.equal(server.store.dialect, 'postgres');
    await server.meter.flush();
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    const { rows } = await c.query('SELECT model_id, input_tokens, output_tokens FROM usage_records');
    await c.end();
    assert.deepEqual(rows, [{ model_id: 'scripted.echo-v1:0', input_tokens: 2, output_tokens: 4 }]);
  } finally {
    await server.stop();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
});
