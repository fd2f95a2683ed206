import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { BedrockRuntimeClient, type BedrockRuntimeClientConfig } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';
import type { ProviderSettings } from '../../core/index.js';
import type { BedrockOptions } from './bedrock-options.js';

const DEFAULT_REGION = 'us-east-1';

/**
 * Builds the AWS SDK client. Credentials, in order: static keys from the options; `apiKey` as a Bedrock API key
 * (sent as a bearer token instead of a SigV4 signature); else the SDK's default chain (environment, profile, SSO,
 * instance role).
 */
export function createBedrockClient(settings: ProviderSettings, options: BedrockOptions): BedrockRuntimeClient {
  const config: BedrockRuntimeClientConfig = {
    region: settings.region ?? DEFAULT_REGION,
    // The runtime's router owns retries and fallback; SDK retries underneath would multiply them.
    maxAttempts: 1,
    requestHandler: options.http2
      ? new NodeHttp2Handler({ requestTimeout: settings.timeoutMs })
      : new NodeHttpHandler({
          connectionTimeout: Math.min(settings.timeoutMs, 10_000),
          requestTimeout: settings.timeoutMs,
          httpAgent: new HttpAgent({ keepAlive: true, maxSockets: options.maxSockets }),
          httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: options.maxSockets }),
        }),
  };
  if (settings.baseUrl) config.endpoint = settings.baseUrl;
  if (options.profile) config.profile = options.profile;
  if (options.accessKeyId && options.secretAccessKey) {
    config.credentials = {
      accessKeyId: options.accessKeyId,
      secretAccessKey: options.secretAccessKey,
      sessionToken: options.sessionToken,
    };
  } else if (settings.apiKey) {
    config.token = { token: settings.apiKey };
    config.authSchemePreference = ['httpBearerAuth'];
  }
  return new BedrockRuntimeClient(config);
}
