/**
 * Sensitive-information detection for guardrails (Bedrock's `sensitiveInformationPolicy`), offline and without model
 * downloads: validated recognizers (Luhn, mod-97, SSN ranges, ABA, VIN, NHS, libphonenumber), names and addresses from
 * compromise's lexicon, cl100k word frequencies and context words, and custom regexes on a linear-time engine.
 */
export { BoundedRegex } from './bounded-regex/bounded-regex.js';
export { type CompiledCustomRegex, type CustomRegex, compileCustomRegex, customRegexSchema } from './custom-regex.js';
export { DEFAULT_MIN_SCORE, type DetectPiiOptions, detectPii } from './detect-pii.js';
export { type MaskedText, maskPii, type PiiAction, type PiiActions, type PiiFinding, type PiiOutcome } from './mask-pii.js';
export { isPiiEntityType, PII_ENTITY_TYPES, type PiiEntityType } from './pii-entity-type.js';
export { CUSTOM_REGEX_TYPE, type PiiMatch } from './pii-match.js';
