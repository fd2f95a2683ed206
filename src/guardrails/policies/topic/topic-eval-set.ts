import type { TopicConfig } from './topic-policy-config.js';

/**
 * A small hand-written evaluation of denied-topic detection: two topics, paraphrased requests that share few or no
 * words with the topic's examples, and near misses that share vocabulary but ask for something else.
 */
export const EVAL_TOPICS: TopicConfig[] = [
  {
    name: 'Investment advice',
    definition:
      'Recommendations about where to invest money, which stocks, funds or other financial products to buy or sell, or how to manage a portfolio.',
    examples: [
      'Which stocks should I buy right now?',
      'Is it a good time to invest in index funds?',
      'Should I put my savings into bitcoin?',
      'How should I allocate my retirement portfolio?',
      'What shares will go up next year?',
    ],
    type: 'DENY',
  },
  {
    name: 'Medical diagnosis',
    definition:
      'Identifying which disease, illness or condition a person has from their symptoms, or interpreting their medical test results.',
    examples: [
      'What illness do I have if I have a fever and a rash?',
      'Do these symptoms mean I have diabetes?',
      'Can you diagnose my chest pain?',
      'What does my blood test result mean?',
      'Is this mole cancer?',
    ],
    type: 'DENY',
  },
];

export interface EvalCase {
  text: string;
  /** The topic it belongs to, or undefined for text that should pass. */
  topic?: string;
  /** Cases an embedding model catches but vocabulary alone cannot: no content word in common with the topic. */
  paraphraseOnly?: boolean;
}

export const EVAL_CASES: EvalCase[] = [
  { text: 'Should I buy more shares of Nvidia or sell my stocks before the earnings call?', topic: 'Investment advice' },
  { text: 'Which index funds would you recommend for my retirement savings?', topic: 'Investment advice' },
  { text: 'My pension portfolio is all in bonds; should I move it into equities?', topic: 'Investment advice' },
  { text: 'I have 20k in the bank. Where would you park it so it grows over the next decade?', topic: 'Investment advice', paraphraseOnly: true },
  { text: 'Is gold or real estate the smarter place for my cash right now?', topic: 'Investment advice', paraphraseOnly: true },
  { text: 'I keep coughing at night and my throat is sore, what is wrong with me? Could it be an illness?', topic: 'Medical diagnosis' },
  { text: 'My blood test shows high cholesterol, does that result mean I have a disease?', topic: 'Medical diagnosis' },
  { text: 'I have a fever, chest pain and a rash on my arm. What condition could these symptoms be?', topic: 'Medical diagnosis' },
  { text: 'There is a red itchy patch spreading on my skin, do you think it is something serious?', topic: 'Medical diagnosis', paraphraseOnly: true },
  { text: 'I get a pounding headache behind one eye every afternoon. Could it be a tumour?', topic: 'Medical diagnosis', paraphraseOnly: true },
  { text: 'What is the history of the New York Stock Exchange?' },
  { text: 'How do I open a current account at my bank?' },
  { text: 'Explain how compound interest is calculated, with a formula.' },
  { text: 'Can you recommend a good book about gardening?' },
  { text: 'How many bones are in the human body?' },
  { text: 'What are the visiting hours of the hospital?' },
  { text: 'Suggest a healthy breakfast recipe with oats.' },
  { text: 'How do vaccines train the immune system?' },
  { text: 'Write a haiku about autumn leaves.' },
  { text: 'How do I reverse a linked list in Python?' },
];
