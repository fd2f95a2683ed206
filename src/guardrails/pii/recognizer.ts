import type { PiiEntityType } from './pii-entity-type.js';

/** A span a recognizer proposes, in offsets of the normalised text it was given. */
export interface PiiCandidate {
  type: PiiEntityType;
  start: number;
  end: number;
  score: number;
}

/**
 * One family of recognizers (cards with their CVV and expiry, SSN with ITIN ...). `find` reads the whole normalised
 * text; every regex inside must run in linear time (bounded repetitions, a boundary before unbounded runs), because
 * long documents are scanned in one pass rather than cut into windows that could split an entity.
 */
export interface Recognizer {
  readonly name: string;
  readonly types: readonly PiiEntityType[];
  find(text: string): PiiCandidate[];
}
