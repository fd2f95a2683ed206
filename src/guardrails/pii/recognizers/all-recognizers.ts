import type { Recognizer } from '../recognizer.js';
import { addressRecognizer } from './address-recognizer.js';
import { ageRecognizer } from './age-recognizer.js';
import { awsKeyRecognizer } from './aws-key-recognizer.js';
import { bankAccountRecognizer } from './bank-account-recognizer.js';
import { cardRecognizer } from './card-recognizer.js';
import { credentialRecognizer } from './credential-recognizer.js';
import { documentIdRecognizer } from './document-id-recognizer.js';
import { emailRecognizer } from './email-recognizer.js';
import { ibanSwiftRecognizer } from './iban-swift-recognizer.js';
import { nameRecognizer } from './name-recognizer.js';
import { networkRecognizer } from './network-recognizer.js';
import { phoneRecognizer } from './phone-recognizer.js';
import { ssnItinRecognizer } from './ssn-itin-recognizer.js';
import { ukCaIdRecognizer } from './uk-ca-id-recognizer.js';

export const ALL_RECOGNIZERS: readonly Recognizer[] = [
  emailRecognizer,
  phoneRecognizer,
  cardRecognizer,
  ssnItinRecognizer,
  ibanSwiftRecognizer,
  networkRecognizer,
  awsKeyRecognizer,
  nameRecognizer,
  addressRecognizer,
  ageRecognizer,
  credentialRecognizer,
  documentIdRecognizer,
  ukCaIdRecognizer,
  bankAccountRecognizer,
];
