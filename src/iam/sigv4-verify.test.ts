import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { QuarryError } from '../core/index.js';
import { parseSigV4Authorization, SIGV4_SERVICE, verifySigV4 } from './sigv4-verify.js';

const AKID = 'QKTESTACCESSKEY';
const SECRET = 'the-right-secret';

/** A request as a client signs it, with the view and parsed Authorization the server verifies. */
async function signed(opts: { secret?: string; region?: string; service?: string } = {}) {
  const signer = new SignatureV4({
    credentials: { accessKeyId: AKID, secretAccessKey: opts.secret ?? SECRET },
    region: opts.region ?? 'us-east-1',
    service: opts.service ?? 'bedrock',
    sha256: Hash.bind(null, 'sha256'),
  });
  const body = '{"messages":[]}';
  const req = new HttpRequest({ method: 'POST', hostname: 'localhost', path: '/model/m/converse', headers: { host: 'localhost', 'content-type': 'application/json' }, body });
  const s = await signer.sign(req);
  const view = { method: 'POST', path: '/model/m/converse', query: new URLSearchParams(), headers: s.headers as Record<string, string>, body: new TextEncoder().encode(body) };
  const auth = parseSigV4Authorization(view.headers.authorization!);
  assert.ok(auth);
  return { view, auth };
}

/** Matches a QuarryError by code, HTTP status and message. */
const refused = (code: string, message: RegExp) => (e: unknown) => {
  const err = e as QuarryError;
  assert.equal(err.code, code);
  assert.equal(err.status, 403);
  assert.match(err.message, message);
  return true;
};

test('every Bedrock client signs as "bedrock"', () => {
  assert.equal(SIGV4_SERVICE, 'bedrock');
});

test('a request signed for the server region and the bedrock service is accepted', async () => {
  const { view, auth } = await signed();
  await verifySigV4(view, auth, SECRET, { region: 'us-east-1' });
  const west = await signed({ region: 'eu-west-1' });
  await verifySigV4(west.view, west.auth, SECRET, { region: 'eu-west-1' });
});

test('a wrong secret is InvalidSignatureException (403) with AWS words', async () => {
  const { view, auth } = await signed({ secret: 'a-wrong-secret' });
  await assert.rejects(
    verifySigV4(view, auth, SECRET, { region: 'us-east-1' }),
    refused(
      'InvalidSignatureException',
      /^The request signature we calculated does not match the signature you provided\. Check your AWS Secret Access Key and signing method\. Consult the service documentation for details\.$/,
    ),
  );
});

test('a credential scoped to another region is refused, even when the signature itself is right', async () => {
  const { view, auth } = await signed({ region: 'eu-west-1' });
  await assert.rejects(verifySigV4(view, auth, SECRET, { region: 'us-east-1' }), refused('InvalidSignatureException', /^Credential should be scoped to a valid region\. $/));
});

test('a credential scoped to another service is refused', async () => {
  for (const service of ['s3', 'bedrock-runtime', 'execute-api']) {
    const { view, auth } = await signed({ service });
    await assert.rejects(
      verifySigV4(view, auth, SECRET, { region: 'us-east-1' }),
      refused('InvalidSignatureException', /^Credential should be scoped to correct service: 'bedrock'\. $/),
      service,
    );
  }
});

test('the clock-skew check still applies', async () => {
  const { view, auth } = await signed();
  await assert.rejects(verifySigV4(view, auth, SECRET, { region: 'us-east-1' }, Date.now() + 20 * 60_000), /15 minutes/);
});
