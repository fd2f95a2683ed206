import { hasContext } from '../context-window.js';
import type { PiiCandidate, Recognizer } from '../recognizer.js';
import { luhnValid } from '../validate/luhn.js';
import { ukNhsValid } from '../validate/uk-nhs-valid.js';
import { ukNinoValid } from '../validate/uk-nino-valid.js';

const NHS = /(?<![\d\-.])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\d]|[-.]\d)/g;
const NINO = /(?<![A-Za-z0-9])([A-Z]{2})[ -]?(\d{2})[ -]?(\d{2})[ -]?(\d{2})[ -]?([A-D])(?![A-Za-z0-9])/gi;
const UTR = /(?<![\d\-.])(\d{5}[ -]?\d{5})(k)?(?![\d]|[-.]\d)/gi;
const SIN = /(?<![\d\-.])(\d{3})([ -]?)(\d{3})\2(\d{3})(?![\d]|[-.]\d)/g;
const CA_HEALTH = /(?<![\d\-.])\d{4}[ -]?\d{3}[ -]?\d{3}(?:[ -]?[A-Z]{2})?(?![\w]|[-.]\d)/g;

const NHS_CONTEXT = /\b(?:nhs|national health|health service|patient|chi number|hospital number)\b/;
const NINO_CONTEXT = /\b(?:national insurance|nino|ni number|ni no|insurance number)\b/;
const UTR_CONTEXT = /\b(?:utr|unique taxpayer|taxpayer reference|tax reference|self assessment|hmrc)\b/;
const SIN_CONTEXT = /\b(?:sin|social insurance|numéro d'assurance sociale|nas)\b/;
const CA_HEALTH_CONTEXT =
  /\b(?:health card|health number|health insurance|ohip|carte santé|phn|personal health|msp|mcp|ramq|medicare)\b/;

export const ukCaIdRecognizer: Recognizer = {
  name: 'uk-ca-id',
  types: [
    'UK_NATIONAL_HEALTH_SERVICE_NUMBER',
    'UK_NATIONAL_INSURANCE_NUMBER',
    'UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER',
    'CA_SOCIAL_INSURANCE_NUMBER',
    'CA_HEALTH_NUMBER',
  ],
  find(text) {
    const out: PiiCandidate[] = [];
    for (const m of text.matchAll(NINO)) {
      const prefix = m[1]!.toUpperCase();
      if (!ukNinoValid(prefix, m[5]!.toUpperCase())) continue;
      // Lower case or unspaced letters-and-digits might be a product code; upper case with context is a NINO.
      const context = hasContext(text, m.index, m.index + m[0].length, NINO_CONTEXT, 40, 0);
      const score = context ? 0.95 : m[1] === prefix ? 0.75 : 0.4;
      out.push({ type: 'UK_NATIONAL_INSURANCE_NUMBER', start: m.index, end: m.index + m[0].length, score });
    }
    if (!/\d{3}/.test(text)) return out;
    for (const m of text.matchAll(NHS)) {
      if (!ukNhsValid(m[1]! + m[3]! + m[4]!)) continue;
      // A valid mod-11 digit turns up in one of eleven random numbers, and 3-3-4 is also a US phone's shape.
      const context = hasContext(text, m.index, m.index + m[0].length, NHS_CONTEXT, 40, 0);
      out.push({
        type: 'UK_NATIONAL_HEALTH_SERVICE_NUMBER',
        start: m.index,
        end: m.index + m[0].length,
        score: context ? 0.95 : 0.35,
      });
    }
    for (const m of text.matchAll(UTR)) {
      if (hasContext(text, m.index, m.index + m[0].length, UTR_CONTEXT, 40, 0)) {
        out.push({ type: 'UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER', start: m.index, end: m.index + m[0].length, score: 0.9 });
      }
    }
    for (const m of text.matchAll(SIN)) {
      const digits = m[1]! + m[3]! + m[4]!;
      if (!luhnValid(digits) || digits[0] === '0' || digits[0] === '8') continue;
      const context = hasContext(text, m.index, m.index + m[0].length, SIN_CONTEXT, 40, 0);
      out.push({
        type: 'CA_SOCIAL_INSURANCE_NUMBER',
        start: m.index,
        end: m.index + m[0].length,
        score: context ? 0.95 : m[2] ? 0.45 : 0.2,
      });
    }
    for (const m of text.matchAll(CA_HEALTH)) {
      if (hasContext(text, m.index, m.index + m[0].length, CA_HEALTH_CONTEXT, 40, 0)) {
        out.push({ type: 'CA_HEALTH_NUMBER', start: m.index, end: m.index + m[0].length, score: 0.9 });
      }
    }
    return out;
  },
};
