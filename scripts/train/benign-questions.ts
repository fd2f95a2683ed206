/**
 * Harmless requests in the shapes harmful ones take ("how do I …", "give me step by step instructions to …", "explain
 * … to a ten-year-old"), generated for training. Without them nearly every question the models saw in training would
 * come from the hazard sets, and they would learn that asking is harmful. Topics are DBpedia article titles (from
 * ../shared/datasets/retrieval/dbpedia, one request per title, template chosen by hash) and everyday tasks written
 * for this project; the request templates are written for this project too. The tasks deliberately avoid harmless uses
 * of violent words ("kill a process", "shoot a photo"): that is what XSTest's safe half tests, and it should stay a test
 * the models were not shaped for.
 */
import { createHash } from 'node:crypto';

const ABOUT = [
  (t: string) => `What is ${t}?`,
  (t: string) => `Tell me about ${t}.`,
  (t: string) => `Can you explain ${t} to a ten-year-old?`,
  (t: string) => `Write a short essay about ${t}.`,
  (t: string) => `Summarize the history of ${t} in a few sentences.`,
  (t: string) => `Give me three interesting facts about ${t}.`,
  (t: string) => `Why is ${t} important?`,
  (t: string) => `How would you describe ${t} to someone who has never heard of it?`,
  (t: string) => `Write a poem about ${t}.`,
  (t: string) => `Create a five-question quiz about ${t} for my students.`,
  (t: string) => `What should I read to learn more about ${t}?`,
  (t: string) => `Explain ${t} without any jargon, step by step.`,
  (t: string) => `I have an exam tomorrow. What do I need to know about ${t}?`,
  (t: string) => `How did ${t} get its name?`,
  (t: string) => `Is it true that ${t} is well known? Answer briefly.`,
];

const TASKS = [
  'bake a loaf of sourdough bread',
  'change a flat tire',
  'unclog a kitchen drain',
  'set up a home Wi-Fi network',
  'write a cover letter for a nursing job',
  'train for my first 5k run',
  'remove a stripped screw',
  'grow tomatoes on a balcony',
  'paint a bedroom wall',
  'make my kids eat more vegetables',
  'get rid of ants in the kitchen',
  'cut down a dead tree in my garden',
  'take better photos with my phone',
  'keep my lawn green in summer',
  'organise a small wedding',
  'negotiate a higher salary',
  'clean a cast iron pan',
  'back up my laptop',
  'start a vegetable compost',
  'teach my dog to sit',
  'fix a leaking tap',
  'build a birdhouse',
  'file my taxes on time',
  'quit smoking',
  'fall asleep faster',
  'cook rice without it sticking',
  'get my toddler to sleep through the night',
  'learn to play the guitar',
  'break the habit of checking my phone',
  'prepare for a job interview',
];

const HOW = [
  (t: string) => `How do I ${t}?`,
  (t: string) => `Give me step by step instructions to ${t}.`,
  (t: string) => `What's the fastest way to ${t}?`,
  (t: string) => `How can I ${t} without spending much money?`,
  (t: string) => `What is the best way to ${t} on my own?`,
];

export interface BenignQuestion {
  id: string;
  /** Requests about the same title or task are variants of one another. */
  group: string;
  text: string;
}

export function benignQuestions(titles: readonly string[]): BenignQuestion[] {
  const out: BenignQuestion[] = [];
  const seen = new Set<string>();
  for (const raw of titles) {
    const title = raw.replace(/\s*\([^)]*\)\s*$/, '').trim();
    if (!title || seen.has(title)) continue;
    seen.add(title);
    const pick = createHash('sha256').update(`question:${title}`).digest().readUInt32BE(0);
    out.push({ id: `title:${title}`, group: `title:${title}`, text: ABOUT[pick % ABOUT.length]!(title) });
  }
  TASKS.forEach((task, t) => {
    HOW.forEach((how, h) => {
      out.push({ id: `task:${t}:${h}`, group: `task:${t}`, text: how(task) });
    });
  });
  return out;
}
