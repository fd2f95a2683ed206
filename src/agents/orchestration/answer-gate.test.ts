import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AnswerGate } from './answer-gate.js';
import { parseReactTurn } from './react-format.js';

/** Feeds `raw` in `size`-character deltas; what the gate let through after each, and at the end. */
function feed(react: boolean, raw: string, size = 1): { pieces: string[]; gate: AnswerGate } {
  const gate = new AnswerGate(react);
  const pieces: string[] = [];
  for (let i = 0; i < raw.length; i += size) pieces.push(gate.push(raw.slice(i, i + size)));
  pieces.push(gate.end());
  return { pieces: pieces.filter(Boolean), gate };
}

const FINAL_TURNS = [
  'Thought: I know this.\nFinal Answer: It ships on Friday.',
  'Final Answer:   Two lines:\nfirst, then\nsecond.  \n',
  'Thought: done\nFinal Answer: The order is late.\nObservation: the model imagining a tool',
  'thought: lower case\n  final answer: a < b, and <b>bold</b> is fine.',
  'Final Answer: observation: at the start of the answer is not a stop.\nobserv',
];

describe('AnswerGate', () => {
  test('plain text: everything is answer, trimmed as the whole answer is', () => {
    const { pieces } = feed(false, '  Hello  world  ', 3);
    assert.equal(pieces.join(''), 'Hello  world');
    assert.ok(pieces.length > 1);
  });

  test("ReAct: the answer after the Final Answer marker, letter by letter, is exactly what parseReactTurn reads", () => {
    for (const raw of FINAL_TURNS) {
      for (const size of [1, 4, 64]) {
        const parsed = parseReactTurn(raw);
        assert.equal(parsed.kind, 'final', raw);
        assert.equal(feed(true, raw, size).pieces.join(''), parsed.kind === 'final' ? parsed.text : '', `${JSON.stringify(raw)} in ${size}s`);
      }
    }
  });

  test('ReAct: nothing goes out before the marker, and nothing for a turn that acts first', () => {
    const gate = new AnswerGate(true);
    assert.equal(gate.push('Thought: the answer is easy.\nFinal Ans'), '');
    assert.equal(gate.push('wer: Yes'), 'Yes');
    assert.equal(gate.opened, true);
    const acting = 'Thought: look it up\nAction: orders__find\nAction Input: {"orderId": "A-1"}\nFinal Answer: made up';
    assert.equal(parseReactTurn(acting).kind, 'calls');
    assert.deepEqual(feed(true, acting).pieces, []);
    assert.deepEqual(feed(true, 'Observation: x\nFinal Answer: y').pieces, []);
    assert.deepEqual(feed(true, '<tool_call>{"name":"f","arguments":{}}</tool_call>\nFinal Answer: y').pieces, []);
    // No marker at all: the parser takes the text as the answer, but only once the turn is whole (the loop's job).
    assert.deepEqual(feed(true, 'Just an answer.').pieces, []);
  });

  test('ReAct: a tool call opened after the answer began stops the answer there; a held "<" that is not one goes out', () => {
    assert.equal(feed(true, 'Final Answer: see <tool_call>{"name":"f"}</tool_call>').pieces.join(''), 'see');
    const gate = new AnswerGate(true);
    assert.equal(gate.push('Final Answer: 1 <'), '1');
    assert.equal(gate.push(' 2'), ' < 2');
  });
});
