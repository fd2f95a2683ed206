import { crc32 } from 'node:zlib';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { ErrorCode } from '../../core/index.js';

/**
 * AWS event-stream framing (`application/vnd.amazon.eventstream`). The headers are encoded by the codec the AWS SDK
 * decodes with, once per kind of message, and kept: a stream's messages differ only in their JSON body. The 16
 * bytes around them (two lengths and two CRC32s) are written here with zlib's native crc32, because
 * `EventStreamCodec.encode` re-encodes the same three headers for every message, and that was two thirds of its cost
 * (~10 µs a message, 14 messages a short answer). Tests decode every frame with the codec, which checks both CRCs.
 */
const codec = new EventStreamCodec(toUtf8, fromUtf8);

export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

const headerCache = new Map<string, Uint8Array>();

function headersFor(typeHeader: ':event-type' | ':exception-type', type: string, messageType: 'event' | 'exception'): Uint8Array {
  const key = `${messageType}\0${type}`;
  let bytes = headerCache.get(key);
  if (!bytes) {
    bytes = codec.formatHeaders({
      [typeHeader]: { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: messageType },
    });
    // Event and exception names come from a fixed set in Quarry's own code, so the cache stays small.
    headerCache.set(key, bytes);
  }
  return bytes;
}

/** One message: prelude (total length, headers length, prelude CRC), headers, JSON body, message CRC. */
function frame(headers: Uint8Array, payload: unknown): Uint8Array {
  const json = JSON.stringify(payload) ?? 'null';
  const bodyLength = Buffer.byteLength(json);
  const length = 16 + headers.byteLength + bodyLength;
  const out = Buffer.allocUnsafe(length);
  out.writeUInt32BE(length, 0);
  out.writeUInt32BE(headers.byteLength, 4);
  out.writeUInt32BE(crc32(out.subarray(0, 8)), 8);
  out.set(headers, 12);
  out.write(json, 12 + headers.byteLength, 'utf8');
  out.writeUInt32BE(crc32(out.subarray(0, length - 4)), length - 4);
  return out;
}

/** An `event` message of the given `:event-type` with a JSON payload. */
export function encodeEvent(eventType: string, payload: unknown): Uint8Array {
  return frame(headersFor(':event-type', eventType, 'event'), payload);
}

/** An `exception` message of the given `:exception-type` (a member of the operation's stream union) with a JSON payload. */
export function encodeExceptionMessage(exceptionType: string, payload: unknown): Uint8Array {
  return frame(headersFor(':exception-type', exceptionType, 'exception'), payload);
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
  return encodeExceptionMessage(STREAM_EXCEPTION[code] ?? 'modelStreamErrorException', {
    message,
    originalStatusCode: code === 'ModelStreamErrorException' ? 424 : undefined,
  });
}
