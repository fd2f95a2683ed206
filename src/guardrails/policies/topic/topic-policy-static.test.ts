import assert from 'node:assert/strict';
import { test } from 'node:test';
import { staticEmbedder } from '../../../providers/embedded/index.js';
import { EVAL_CASES, EVAL_TOPICS } from './topic-eval-set.js';
import { compileTopicPolicy } from './topic-policy.js';

// The server's default embedder for guardrails: the static table distilled from the Universal Sentence Encoder, read
// through its cosine line (as build-guardrails.ts wires it). The same evaluation as topic-policy-use.test.ts, so the
// two can be compared line by line in the printed rows.
const embed = staticEmbedder();

test('with the static table, paraphrases score for their own topic and requests vocabulary alone misses are caught', async () => {
  const policy = compileTopicPolicy({ topicsConfig: EVAL_TOPICS }, { embed });
  await policy.check('warm up', 'INPUT');
  const rows: string[] = [];
  const caught: string[] = [];
  const wrong: string[] = [];
  const c0 = process.cpuUsage();
  for (const c of EVAL_CASES) {
    const verdict = await policy.check(c.text, 'INPUT');
    for (const f of verdict.findings) {
      rows.push(`${f.detected ? 'X' : '.'} ${f.name.padEnd(18)} conf ${f.confidence.toFixed(2)} sem ${f.semantic?.toFixed(2)} lex ${f.lexical.toFixed(2)}  ${c.text.slice(0, 60)}`);
      if (f.detected && f.name === c.topic) caught.push(c.text);
      if (f.detected && f.name !== c.topic) wrong.push(`${c.text} → ${f.name}`);
    }
  }
  const cpu = process.cpuUsage(c0);
  console.log(rows.join('\n'));
  console.log(`static topic check: ${((cpu.user + cpu.system) / 1000 / EVAL_CASES.length).toFixed(3)} ms of CPU per check`);

  // Paraphrases share no content word with their topic (vocabulary scores them 0, see topic-policy.test.ts): the
  // table's similarity still points at the right topic. It is less sure than the encoder (which detects two of the
  // four at the default threshold; the table none): bench/topic-detection.ts measures the difference on public data.
  for (const c of EVAL_CASES.filter((x) => x.paraphraseOnly)) {
    const verdict = await policy.check(c.text, 'INPUT');
    const own = verdict.findings.find((f) => f.name === c.topic)!;
    const other = verdict.findings.find((f) => f.name !== c.topic)!;
    assert.ok(own.semantic! >= 0.1 && own.semantic! >= other.semantic! + 0.1, `${c.text}: own ${own.semantic}, other ${other.semantic}`);
  }
  // Two requests that vocabulary alone scores below the threshold (0.38, 0.37) are caught with the table.
  const lexical = compileTopicPolicy({ topicsConfig: EVAL_TOPICS });
  const beyondVocabulary: string[] = [];
  for (const text of caught) if (!(await lexical.check(text, 'INPUT')).detected) beyondVocabulary.push(text);
  assert.ok(beyondVocabulary.length >= 2, `caught beyond vocabulary: ${beyondVocabulary.join(' | ')}`);
  assert.ok(caught.length >= 6, `caught ${caught.length} of ${EVAL_CASES.filter((c) => c.topic).length}`);
  assert.deepEqual(wrong, []);
});
