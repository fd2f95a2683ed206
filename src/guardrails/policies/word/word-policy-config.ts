import { z } from 'zod';
import { wordUnits } from './word-units.js';

const action = z.enum(['BLOCK', 'NONE']);

/** Bedrock's per-direction switches, shared by words, managed lists and topics. */
export const directionalFields = {
  inputAction: action.optional(),
  outputAction: action.optional(),
  inputEnabled: z.boolean().optional(),
  outputEnabled: z.boolean().optional(),
};

export const MAX_CUSTOM_WORDS = 10_000;

/** Bedrock's `GuardrailWordConfig`: a word or phrase of 1–100 characters. */
export const wordConfigSchema = z
  .object({
    text: z
      .string()
      .min(1)
      .max(100)
      .refine((t) => wordUnits(t, 0, t.length, 'pattern').count > 0, {
        message: 'a word must contain a letter, digit or symbol to match (not only spaces and punctuation)',
      }),
    ...directionalFields,
  })
  .strict();

/** Bedrock's `GuardrailManagedWordsConfig`; PROFANITY is the only managed list. */
export const managedWordsConfigSchema = z.object({ type: z.literal('PROFANITY'), ...directionalFields }).strict();

/**
 * Bedrock's `GuardrailWordPolicyConfig`. Words that differ only in case or surrounding spaces are duplicates and are
 * refused, with both positions named, rather than silently merged.
 */
export const wordPolicyConfigSchema = z
  .object({
    wordsConfig: z.array(wordConfigSchema).max(MAX_CUSTOM_WORDS).optional(),
    managedWordListsConfig: z.array(managedWordsConfigSchema).max(1).optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>();
    config.wordsConfig?.forEach((w, i) => {
      const key = w.text.trim().toLowerCase().replace(/\s+/g, ' ');
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else {
        ctx.addIssue({
          code: 'custom',
          path: ['wordsConfig', i, 'text'],
          message: `"${w.text}" repeats word ${first} ("${config.wordsConfig![first]!.text}"); list each word once`,
        });
      }
    });
    if (!config.wordsConfig?.length && !config.managedWordListsConfig?.length) {
      ctx.addIssue({ code: 'custom', path: [], message: 'give at least one custom word or managed word list' });
    }
  });

export type WordConfig = z.infer<typeof wordConfigSchema>;
export type ManagedWordsConfig = z.infer<typeof managedWordsConfigSchema>;
export type WordPolicyConfig = z.infer<typeof wordPolicyConfigSchema>;
