import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseJudgeAnswer } from './parse-judge-answer.js';

const CODES = ['S1', 'S2', 'S3'];
const levels = (m: Map<string, string> | undefined) => (m ? Object.fromEntries(m) : undefined);

describe('parseJudgeAnswer', () => {
  test('reads the JSON the schema asks for, in any case, inside a fence or after reasoning', () => {
    assert.deepEqual(levels(parseJudgeAnswer('{"S1":"HIGH","S2":"none","S3":"Medium"}', CODES)), { S1: 'HIGH', S2: 'NONE', S3: 'MEDIUM' });
    assert.deepEqual(levels(parseJudgeAnswer('```json\n{"S1":"LOW","S2":"NONE","S3":"NONE"}\n```', CODES)), { S1: 'LOW', S2: 'NONE', S3: 'NONE' });
    assert.deepEqual(levels(parseJudgeAnswer('<think>S1 looks {bad}</think>{"S1":true,"S2":false,"S3":"NONE"}', CODES)), { S1: 'HIGH', S2: 'NONE', S3: 'NONE' });
    assert.deepEqual(levels(parseJudgeAnswer('{"verdicts":{"S1":"NONE","S2":"HIGH","S3":"NONE"}}', CODES)), { S1: 'NONE', S2: 'HIGH', S3: 'NONE' });
  });

  test('reads Llama Guard answers: safe, and unsafe with the violated codes', () => {
    assert.deepEqual(levels(parseJudgeAnswer('safe', CODES)), { S1: 'NONE', S2: 'NONE', S3: 'NONE' });
    assert.deepEqual(levels(parseJudgeAnswer('\n\nunsafe\nS1,S3', CODES)), { S1: 'HIGH', S2: 'NONE', S3: 'HIGH' });
    assert.deepEqual(levels(parseJudgeAnswer('unsafe\ns2', CODES)), { S1: 'NONE', S2: 'HIGH', S3: 'NONE' });
  });

  test('refuses what it cannot read rather than guessing a pass', () => {
    for (const garbage of [
      '',
      'I cannot help with that.',
      '{"S1":"HIGH","S2":"NONE"}', // S3 not rated
      '{"S1":"VERY HIGH","S2":"NONE","S3":"NONE"}',
      '{"S1":"HIGH", "S2":',
      'unsafe', // no code
      'unsafe\nS9', // a code that was not asked
      'unsafe\nthe user is rude',
      'safe\nbut S1 maybe',
      '[{"S1":"HIGH"}]',
    ]) {
      assert.equal(parseJudgeAnswer(garbage, CODES), undefined, garbage);
    }
  });
});
