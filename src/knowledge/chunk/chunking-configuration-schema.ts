import { z } from 'zod';
import { validation } from '../../core/index.js';
import type { ChunkingConfiguration } from './chunk.js';

// Bounds are Bedrock's (CreateDataSource API reference), so a configuration Bedrock accepts is accepted here.
const MAX_LEVEL_TOKENS = 8192;

// Messages leave the field name out: every issue carries its path, which callers print in front.
const int = (min: number, max?: number) => {
  const message = `must be a whole number ${max === undefined ? `of at least ${min}` : `from ${min} to ${max}`}`;
  const low = z.number({ error: message }).int({ error: message }).min(min, { error: message });
  return max === undefined ? low : low.max(max, { error: message });
};

/** A message for a missing or mistyped object, leaving unknown keys to zod's own "Unrecognized key" message. */
const whenNotAnObject = (message: string) => (issue: { code?: string }) => (issue.code === 'invalid_type' ? message : undefined);

const fixedSize = z.strictObject({
  chunkingStrategy: z.literal('FIXED_SIZE'),
  fixedSizeChunkingConfiguration: z.strictObject(
    {
      maxTokens: int(1, MAX_LEVEL_TOKENS),
      overlapPercentage: int(1, 99),
    },
    { error: whenNotAnObject('FIXED_SIZE chunking needs fixedSizeChunkingConfiguration { maxTokens, overlapPercentage }') },
  ),
});

const level = z.strictObject({ maxTokens: int(1, MAX_LEVEL_TOKENS) });

const hierarchical = z.strictObject({
  chunkingStrategy: z.literal('HIERARCHICAL'),
  hierarchicalChunkingConfiguration: z
    .strictObject(
      {
        levelConfigurations: z.tuple([level, level], {
          error: (issue) =>
            issue.code === 'invalid_type' || issue.code === 'too_big' || issue.code === 'too_small'
              ? 'must hold exactly two levels: [{ maxTokens } for parents, { maxTokens } for children]'
              : undefined,
        }),
        overlapTokens: int(1),
      },
      { error: whenNotAnObject('HIERARCHICAL chunking needs hierarchicalChunkingConfiguration { levelConfigurations, overlapTokens }') },
    )
    .superRefine((c, ctx) => {
      const [parent, child] = c.levelConfigurations;
      if (child.maxTokens > parent.maxTokens) {
        ctx.addIssue({
          code: 'custom',
          path: ['levelConfigurations', 1, 'maxTokens'],
          message: `must not exceed the parent level's maxTokens (${child.maxTokens} is above ${parent.maxTokens})`,
        });
      }
      if (c.overlapTokens >= child.maxTokens) {
        ctx.addIssue({
          code: 'custom',
          path: ['overlapTokens'],
          message: `must be smaller than the child level's maxTokens (${c.overlapTokens} is not below ${child.maxTokens})`,
        });
      }
    }),
});

const semantic = z.strictObject({
  chunkingStrategy: z.literal('SEMANTIC'),
  semanticChunkingConfiguration: z.strictObject(
    {
      maxTokens: int(1),
      bufferSize: int(0, 1),
      breakpointPercentileThreshold: int(50, 99),
    },
    { error: whenNotAnObject('SEMANTIC chunking needs semanticChunkingConfiguration { maxTokens, bufferSize, breakpointPercentileThreshold }') },
  ),
});

const none = z.strictObject({ chunkingStrategy: z.literal('NONE') });

/** Bedrock's ChunkingConfiguration with Bedrock's bounds; the control-plane API validates with it too. */
export const chunkingConfigurationSchema: z.ZodType<ChunkingConfiguration> = z.discriminatedUnion(
  'chunkingStrategy',
  [none, fixedSize, hierarchical, semantic],
  {
    error: (issue) =>
      typeof issue.input !== 'object' || issue.input === null
        ? 'a chunking configuration must be an object with a chunkingStrategy'
        : 'must be one of NONE, FIXED_SIZE, HIERARCHICAL, SEMANTIC',
  },
);

/** Parses a chunking configuration or throws a ValidationException that names every problem. */
export function parseChunkingConfiguration(value: unknown): ChunkingConfiguration {
  const r = chunkingConfigurationSchema.safeParse(value);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
  throw validation(`Invalid chunkingConfiguration: ${problems.join('; ')}`, r.error);
}
