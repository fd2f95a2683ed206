// Writes src/guardrails/policies/text/calibration-pairs.ts: sentence pairs and the embedded Universal Sentence
// Encoder's cosine for each, the scale in which denied topics' and grounding's similarity floors were measured. A
// server whose guardrails embed with another model (guardrails.embeddingModelId) embeds the same pairs with it once
// and fits the line from its cosines to these (see cosine-calibration.ts).
//   node --import tsx scripts/train/cosine-calibration-pairs.ts
// The pairs are written here, by hand, to span the scale evenly: paraphrases, the same subject saying different
// things, and unrelated sentences, over everyday, business, medical, legal and technical subjects.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cosine } from '../../src/guardrails/policies/text/embed-texts.js';
import { createEmbeddedEmbeddingsProvider, useModelInfo } from '../../src/providers/embedded/index.js';

const PAIRS: Array<[string, string]> = [
  // Paraphrases.
  ['The meeting was moved to Thursday afternoon.', 'We rescheduled the meeting for Thursday after lunch.'],
  ['How do I reset my password?', 'What are the steps to change a forgotten password?'],
  ['The company reported higher profits this quarter.', 'Quarterly earnings at the firm went up.'],
  ['Take two tablets every six hours with water.', 'Swallow a pair of pills with water four times a day.'],
  ['The flight was cancelled because of the storm.', 'Bad weather led the airline to call off the flight.'],
  ['Which stock should I buy right now?', 'What shares would you recommend purchasing today?'],
  ['The contract ends on the last day of March.', 'The agreement expires at the end of March.'],
  ['Restart the server to apply the update.', 'The update takes effect after the server reboots.'],
  ['She won the election by a narrow margin.', 'Her victory at the polls was very close.'],
  ['Children under twelve ride the bus for free.', 'Kids younger than twelve do not pay a bus fare.'],
  // The same subject, saying different things.
  ['The meeting was moved to Thursday afternoon.', 'The meeting room has a projector and twelve chairs.'],
  ['How do I reset my password?', 'Passwords must contain at least one number.'],
  ['The company reported higher profits this quarter.', 'The company hired a new head of marketing.'],
  ['Take two tablets every six hours with water.', 'This medicine may cause drowsiness in some patients.'],
  ['The flight was cancelled because of the storm.', 'The airport opened a new terminal last year.'],
  ['Which stock should I buy right now?', 'The stock market closed early on Friday.'],
  ['The contract ends on the last day of March.', 'Either party may propose changes to the contract in writing.'],
  ['Restart the server to apply the update.', 'The server room is kept at eighteen degrees.'],
  ['She won the election by a narrow margin.', 'Voter turnout was lower than in the previous election.'],
  ['Children under twelve ride the bus for free.', 'The bus to the city centre leaves every ten minutes.'],
  // Unrelated.
  ['The meeting was moved to Thursday afternoon.', 'Penguins live mostly in the southern hemisphere.'],
  ['How do I reset my password?', 'Add the onions and fry them until golden.'],
  ['The company reported higher profits this quarter.', 'The river freezes over in the coldest winters.'],
  ['Take two tablets every six hours with water.', 'The novel is set in a small fishing village.'],
  ['The flight was cancelled because of the storm.', 'Prime numbers have exactly two divisors.'],
  ['Which stock should I buy right now?', 'Our cat sleeps on the windowsill all afternoon.'],
  ['The contract ends on the last day of March.', 'The orchestra tuned their instruments before the concert.'],
  ['Restart the server to apply the update.', 'Tomatoes grow best in full sun.'],
  ['She won the election by a narrow margin.', 'Rinse the rice before cooking it.'],
  ['Children under twelve ride the bus for free.', 'The telescope revealed rings around the planet.'],
];

const provider = createEmbeddedEmbeddingsProvider({ id: 'embedded', type: 'embedded', models: [], options: {} } as never);
const model = useModelInfo('embedded');
const texts = PAIRS.flat();
const { embeddings } = await provider.embed!({ modelId: model.id, model, inputs: texts, normalize: true }, { signal: new AbortController().signal } as never);
const rows = PAIRS.map(([a, b], i) => `  [${JSON.stringify(a)}, ${JSON.stringify(b)}, ${cosine(embeddings[2 * i]!, embeddings[2 * i + 1]!).toFixed(4)}],`);
const out = join(import.meta.dirname, '..', '..', 'src', 'guardrails', 'policies', 'text', 'calibration-pairs.ts');
writeFileSync(
  out,
  `// Written by scripts/train/cosine-calibration-pairs.ts: do not edit by hand.
/** Sentence pairs and their cosine under the embedded Universal Sentence Encoder (${model.id}). */
export const CALIBRATION_PAIRS: ReadonlyArray<readonly [string, string, number]> = [
${rows.join('\n')}
];
`,
);
console.log(`wrote ${out}: ${PAIRS.length} pairs, encoder cosines ${rows.length ? 'from' : ''} ${Math.min(...PAIRS.map((_, i) => cosine(embeddings[2 * i]!, embeddings[2 * i + 1]!))).toFixed(3)} to ${Math.max(...PAIRS.map((_, i) => cosine(embeddings[2 * i]!, embeddings[2 * i + 1]!))).toFixed(3)}`);
