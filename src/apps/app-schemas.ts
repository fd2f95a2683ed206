import { z } from 'zod';

/** A widget's name is how prompts refer to it (`{{topic}}`), so it is an identifier, not free text. */
export const WIDGET_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
export const MAX_WIDGETS = 50;
/** Bounds what one save or run can make the server hold; a prompt of 20,000 characters is already a long document. */
export const MAX_PROMPT_CHARS = 20_000;
export const MAX_INPUT_CHARS = 100_000;

const widgetName = z.string().regex(WIDGET_NAME, 'a widget name starts with a letter and has only letters, digits and _ (at most 64 characters)');
const label = z.string().trim().min(1).max(200);

export const inferenceSettingsSchema = z.strictObject({
  temperature: z.number().min(0).max(1).optional(),
  topP: z.number().min(0).max(1).optional(),
  maxTokens: z.number().int().min(1).max(1_000_000).optional(),
  stopSequences: z.array(z.string().min(1).max(100)).max(4).optional(),
});

/** Text the person running the app types; generation widgets read it by name. */
export const inputWidgetSchema = z.strictObject({
  type: z.literal('input'),
  name: widgetName,
  label: label.optional(),
  placeholder: z.string().max(500).optional(),
  defaultValue: z.string().max(MAX_INPUT_CHARS).optional(),
});

/** A model call whose prompt is a template over inputs and other generation widgets (`{{name}}`). */
export const generationWidgetSchema = z.strictObject({
  type: z.literal('generation'),
  name: widgetName,
  label: label.optional(),
  prompt: z.string().trim().min(1, 'the prompt is empty').max(MAX_PROMPT_CHARS),
  /** A catalog model id, inference profile or ARN: whatever Converse accepts as modelId. */
  modelId: z.string().min(1).max(2048),
  system: z.string().max(MAX_PROMPT_CHARS).optional(),
  inferenceConfig: inferenceSettingsSchema.optional(),
});

/** Fixed text the app shows (instructions, context); prompts may use it as `{{name}}` like an input no one can change. */
export const textWidgetSchema = z.strictObject({
  type: z.literal('text'),
  name: widgetName,
  label: label.optional(),
  text: z.string().trim().min(1, 'the text is empty').max(MAX_PROMPT_CHARS),
});

/**
 * A file the person running the app gives (PDF, DOCX, HTML, Markdown, CSV, JSON, text); its extracted text is the
 * widget's value, used by prompts as `{{name}}`. API callers may send the text itself as an input instead.
 */
export const documentWidgetSchema = z.strictObject({
  type: z.literal('document'),
  name: widgetName,
  label: label.optional(),
});

/**
 * A conversation the person running the app has with a model, outside the run's graph (it is not a value prompts
 * can use). With a knowledge base, each turn is grounded in passages retrieved for the user's latest message.
 */
export const chatbotWidgetSchema = z.strictObject({
  type: z.literal('chatbot'),
  name: widgetName,
  label: label.optional(),
  modelId: z.string().min(1).max(2048),
  system: z.string().max(MAX_PROMPT_CHARS).optional(),
  knowledgeBaseId: z.string().regex(/^[0-9A-Z]{10}$/, 'a knowledge base id (10 upper-case letters and digits)').optional(),
  inferenceConfig: inferenceSettingsSchema.optional(),
});

/** Image widgets one app may have: each run keeps its images (see MAX_IMAGE_BYTES), and runs are recorded for snapshots. */
export const MAX_IMAGE_WIDGETS = 4;

/**
 * An image model call (Runtime.generateImages, one image) whose prompt is a template like a generation widget's. Its
 * image is not text, so no prompt may refer to it; it always runs again (a run cannot keep it, see AppRunner.resolveReuse).
 */
export const imageWidgetSchema = z.strictObject({
  type: z.literal('image'),
  name: widgetName,
  label: label.optional(),
  prompt: z.string().trim().min(1, 'the prompt is empty').max(MAX_PROMPT_CHARS),
  /** A catalog model of kind `image`; any other model fails the widget with the runtime's error. */
  modelId: z.string().min(1).max(2048),
  negativePrompt: z.string().max(MAX_PROMPT_CHARS).optional(),
  /** Pixels as WIDTHxHEIGHT; absent, the model's default size. */
  size: z.string().regex(/^[1-9][0-9]{1,3}x[1-9][0-9]{1,3}$/, 'a size as WIDTHxHEIGHT in pixels, such as 1024x1024').optional(),
});

export const widgetSchema = z.discriminatedUnion('type', [inputWidgetSchema, generationWidgetSchema, textWidgetSchema, documentWidgetSchema, chatbotWidgetSchema, imageWidgetSchema]);

/** Checked on every generation call of a run, by the runtime, as Converse's guardrailConfig is. */
export const appGuardrailSchema = z.strictObject({
  guardrailIdentifier: z.string().min(1).max(2048),
  guardrailVersion: z.string().regex(/^(DRAFT|[1-9][0-9]{0,7})$/, 'DRAFT or a version number'),
});

export const appDefinitionSchema = z.strictObject({
  name: z.string().trim().min(1, 'the name is empty').max(100),
  description: z.string().max(1000).default(''),
  widgets: z.array(widgetSchema).min(1, 'an app needs at least one widget').max(MAX_WIDGETS),
  guardrail: appGuardrailSchema.optional(),
});

/** A document widget's file, base64 in the JSON body (the server's body limit bounds it). */
export const documentFileSchema = z.strictObject({
  fileName: z.string().trim().min(1).max(255),
  contentType: z.string().max(200).optional(),
  base64: z.string().min(1, 'the file is empty').regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64'),
});

export const runAppSchema = z.strictObject({
  /** Values of the app's input widgets by name; an input left out takes its default value. */
  inputs: z.record(z.string(), z.string().max(MAX_INPUT_CHARS)).default({}),
  /** Files for the app's document widgets by name; each file's text becomes that widget's value. */
  documents: z.record(z.string(), documentFileSchema).default({}),
  /**
   * Answers of generation widgets to keep from the caller's last run instead of running them again (the console sends
   * those upstream of nothing that changed). Only the caller's own text: it could as well have typed it as an input.
   */
  reuse: z.record(z.string().max(64), z.string().max(MAX_INPUT_CHARS)).optional(),
});

export type InferenceSettings = z.infer<typeof inferenceSettingsSchema>;
export type InputWidget = z.infer<typeof inputWidgetSchema>;
export type GenerationWidget = z.infer<typeof generationWidgetSchema>;
export type TextWidget = z.infer<typeof textWidgetSchema>;
export type ImageWidget = z.infer<typeof imageWidgetSchema>;
export type DocumentWidget = z.infer<typeof documentWidgetSchema>;
export type DocumentFile = z.infer<typeof documentFileSchema>;
export type Widget = z.infer<typeof widgetSchema>;
export type AppGuardrail = z.infer<typeof appGuardrailSchema>;
export type AppDefinition = z.infer<typeof appDefinitionSchema>;
/** The conversation so far, ending with the user's new message; the server keeps no chat state. */
export const chatTurnSchema = z.strictObject({
  messages: z
    .array(z.strictObject({ role: z.enum(['user', 'assistant']), text: z.string().min(1).max(MAX_INPUT_CHARS) }))
    .min(1)
    .max(100)
    .refine((m) => m.at(-1)?.role === 'user', 'the last message must be the user\'s'),
});

export type ChatbotWidget = z.infer<typeof chatbotWidgetSchema>;
export type ChatTurnInput = z.infer<typeof chatTurnSchema>;
export type RunAppInput = z.infer<typeof runAppSchema>;
