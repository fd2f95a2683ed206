import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ageRecognizer } from './age-recognizer.js';

const found = (text: string) =>
  ageRecognizer
    .find(text)
    .filter((c) => c.score >= 0.5)
    .map((c) => text.slice(c.start, c.end));

test('ages with their unit, or after a cue, Bedrock-style spans', () => {
  assert.deepEqual(found('This 74 year old female'), ['74 year']);
  assert.deepEqual(found('Patient is a 35-year-old male'), ['35-year']);
  assert.deepEqual(found("I'm 26 y/o."), ['26 y/o']);
  assert.deepEqual(found('retired at the age of 61'), ['61']);
  assert.deepEqual(found("I'll turn 80."), ['80']);
  assert.deepEqual(found('I am 40 years old'), ['40 years']);
});

test('durations, counts and impossible ages are not ages', () => {
  for (const text of [
    'for 40 years the company grew',
    "I'm 26 minutes late",
    'turn 2 pages',
    'aged 300 years',
    'he is 5%',
    'turn 90 degrees',
  ]) {
    assert.deepEqual(found(text), [], text);
  }
});
