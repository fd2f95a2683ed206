import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { ErrorCode } from '../../core/index.js';

/** AWS event-stream framing (`application/vnd.amazon.eventstream`), encoded with the codec the AWS SDK decodes with. */
const codec = new EventStreamCodec(toUtf8, fromUtf8);

export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

export function encodeEvent(eventType: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

// The exception members a Bedrock stream may carry; anything else travels as a model stream error.
const STREAM_EXCEPTION: Partial<Record<ErrorCode, string>> = {
  ThrottlingException: 'throttlingException',
  ValidationException: 'validationException',
  ServiceUnavailableException: 'serviceUnavailableException',
  InternalServerException: 'internalServerException',
  ModelTimeoutException: 'modelTimeoutException',
};

export function encodeException(code: ErrorCode, message: string): Uint8Array {
  return codec.encode({
    headers: {
      ':exception-type': { type: 'string', value: STREAM_EXCEPTION[code] ?? 'modelStreamErrorException' },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'exception' },
    },
    body: fromUtf8(JSON.stringify({ message, originalStatusCode: code === 'ModelStreamErrorException' ? 424 : undefined })),
  });
}
