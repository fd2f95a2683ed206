import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { firstJsonObject, parseReactTurn } from './react-format.js';

const T = { timeout: 5_000 };

describe('ReAct parser', () => {
  test('one action with a thought', T, () => {
    assert.deepEqual(parseReactTurn('Thought: I need the weather.\nAction: weather__get\nAction Input: {"city": "Paris"}'), {
      kind: 'calls',
      calls: [{ name: 'weather__get', input: { city: 'Paris' } }],
      rationale: 'I need the weather.',
    });
  });

  test('several actions, fenced and multi-line JSON, odd case and spacing', T, () => {
    const t = parseReactTurn('thought:  both\n ACTION : a\naction input:\n```json\n{\n  "x": "}{",\n  "n": 1\n}\n```\n\nAction: `b`\nAction Input: {"y": [1, {"z": 2}]}');
    assert.deepEqual(t, { kind: 'calls', calls: [{ name: 'a', input: { x: '}{', n: 1 } }, { name: 'b', input: { y: [1, { z: 2 }] } }], rationale: 'both' });
  });

  test('an action without input gets empty arguments; an unparsable input is reported', T, () => {
    assert.deepEqual(parseReactTurn('Action: list_all\nAction: b\nAction Input: {}'), { kind: 'calls', calls: [{ name: 'list_all', input: {} }, { name: 'b', input: {} }] });
    const bad = parseReactTurn('Action: a\nAction Input: {"x": }');
    assert.equal(bad.kind, 'invalid');
    assert.match((bad as { problem: string }).problem, /Action Input for a is not a JSON object/);
  });

  test('imagined observations and everything after them are ignored', T, () => {
    const t = parseReactTurn('Action: a\nAction Input: {"q": 1}\nObservation: 42\nFinal Answer: 42');
    assert.deepEqual(t, { kind: 'calls', calls: [{ name: 'a', input: { q: 1 } }] });
  });

  test('final answers, with or without the protocol', T, () => {
    assert.deepEqual(parseReactTurn('Thought: easy\nFinal Answer: It is 4.\nSecond line.'), { kind: 'final', text: 'It is 4.\nSecond line.', rationale: 'easy' });
    assert.deepEqual(parseReactTurn('Just an answer.'), { kind: 'final', text: 'Just an answer.' });
  });

  test('<tool_call> JSON as some local models write it', T, () => {
    const t = parseReactTurn('Let me check.\n<tool_call>{"name": "a", "arguments": {"k": "v"}}</tool_call>\n<tool_call>{"name": "b", "parameters": {}}</tool_call>');
    assert.deepEqual(t, { kind: 'calls', calls: [{ name: 'a', input: { k: 'v' } }, { name: 'b', input: {} }], rationale: 'Let me check.' });
    assert.equal(parseReactTurn('<tool_call>{"arguments": {}}</tool_call>').kind, 'invalid');
  });

  test('firstJsonObject stops at the balanced end and respects strings', T, () => {
    assert.deepEqual(firstJsonObject('x {"a": "\\"}"} tail'), { ok: true, value: { a: '"}' }, end: 14 });
    assert.equal(firstJsonObject('{"open": 1').ok, false);
  });
});
