import { z } from 'zod';
import { type Message, QuarryError, textOf, toQuarryError } from '../core/index.js';
import type { AppCallContext, AppModelPort } from './app-model-port.js';
import { type AppDefinition, appDefinitionSchema, type Widget } from './app-schemas.js';
import { planWidgets } from './widget-graph.js';

export const draftAppRequestSchema = z.strictObject({
  description: z.string().trim().min(3, 'describe the app in a few words').max(1000),
  /** The text model that drafts the app; its generation widgets use it too. */
  modelId: z.string().min(1).max(2048),
  /** An image model (kind `image`) for image widgets; without one the draft has none, as nothing could draw them. */
  imageModelId: z.string().min(1).max(2048).optional(),
});
export type DraftAppRequest = z.infer<typeof draftAppRequestSchema>;

/**
 * What the model is asked for: one flat widget shape (a model fills a flat schema more reliably than a union), turned
 * into real widgets here. Lenient where a model is sloppy (missing optional text), strict on what matters. Image
 * widgets are offered only when an image model was named: a type the schema does not list is one a model cannot pick.
 */
function draftJsonSchema(images: boolean) {
  return {
    type: 'object',
    properties: {
      name: { type: 'string', description: 'A short title for the app' },
      description: { type: 'string', description: 'One sentence on what the app does' },
      widgets: {
        type: 'array',
        description: `In display order: inputs first, then generation widgets (each may use earlier widgets)${images ? ', image widgets' : ''}, optional static text`,
        items: {
          type: 'object',
          properties: {
            type: { enum: images ? ['input', 'generation', 'text', 'image'] : ['input', 'generation', 'text'] },
            name: { type: 'string', description: 'identifier: a letter, then letters, digits or _' },
            label: { type: 'string' },
            prompt: { type: 'string', description: `${images ? 'generation and image' : 'generation'} only: the prompt, using other widgets as {{name}}` },
            text: { type: 'string', description: 'text only: the text shown' },
          },
          required: ['type', 'name'],
        },
      },
    },
    required: ['name', 'widgets'],
  };
}

const draftSchema = z.object({
  name: z.string(),
  description: z.string().nullish(),
  widgets: z.array(
    z.object({
      type: z.enum(['input', 'generation', 'text', 'image']),
      name: z.string(),
      label: z.string().nullish(),
      prompt: z.string().nullish(),
      text: z.string().nullish(),
    }),
  ),
});

const INSTRUCTIONS = `You design no-code AI apps. Given a one-line description, reply with JSON only: the app's name, a one-sentence description, and its widgets.
Widgets: "input" (text the user types), "generation" (a model call; its "prompt" uses other widgets as {{name}}), "text" (static text shown to the user; "text" holds it).
Use 1 to 3 inputs and 1 to 4 generation widgets; names are identifiers (letters, digits, _); every {{name}} must be a widget of the app; no widget may use itself.`;

const IMAGE_INSTRUCTIONS = `Also available: "image" (a picture an image model draws; its "prompt" describes the picture and uses other widgets as {{name}}). Add 1 or 2 image widgets only when the app should show a picture (an illustration, a poster, a logo); no prompt may use an image widget, since an image is not text.`;

/** The model's reply as an app definition, or a message saying what is wrong with it (fed back to the model once). */
function definitionFrom(reply: string, modelId: string, imageModelId: string | undefined): AppDefinition | string {
  let json: unknown;
  try {
    json = JSON.parse(reply.trim().replace(/^```(?:json)?\s*|```$/g, ''));
  } catch {
    return 'the reply was not JSON';
  }
  const d = draftSchema.safeParse(json);
  if (!d.success) return `the JSON did not match the schema: ${d.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
  if (!imageModelId && d.data.widgets.some((w) => w.type === 'image')) return 'there is no image model, so the app cannot have "image" widgets: use input, generation and text widgets only';
  const widgets = d.data.widgets.map((w): Widget => {
    const label = w.label?.trim() ? { label: w.label.trim().slice(0, 200) } : {};
    if (w.type === 'input') return { type: 'input', name: w.name, ...label };
    if (w.type === 'text') return { type: 'text', name: w.name, ...label, text: w.text ?? '' };
    if (w.type === 'image') return { type: 'image', name: w.name, ...label, prompt: w.prompt ?? '', modelId: imageModelId! };
    return { type: 'generation', name: w.name, ...label, prompt: w.prompt ?? '', modelId };
  });
  const def = appDefinitionSchema.safeParse({ name: d.data.name.slice(0, 100), description: (d.data.description ?? '').slice(0, 1000), widgets });
  if (!def.success) return `the app is not valid: ${def.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
  try {
    planWidgets(def.data.widgets);
  } catch (e) {
    return toQuarryError(e).message;
  }
  return def.data;
}

/**
 * A text model drafts an app from a one-line description, as JSON constrained by a schema (Converse's structured
 * output); the draft is checked as a saved app would be, and an invalid one is sent back once with what is wrong.
 * Its generation widgets use the drafting model, its image widgets (offered only with `imageModelId`) that image model.
 * Nothing is saved: the builder shows the draft for the user to edit and create.
 */
export async function draftApp(models: AppModelPort, ctx: AppCallContext, req: DraftAppRequest): Promise<AppDefinition> {
  const messages: Message[] = [{ role: 'user', content: [{ text: `Description: ${req.description}` }] }];
  let problem = '';
  for (let attempt = 0; attempt < 2; attempt++) {
    const r = await models.converse(ctx, {
      modelId: req.modelId,
      system: [{ text: req.imageModelId ? `${INSTRUCTIONS}\n${IMAGE_INSTRUCTIONS}` : INSTRUCTIONS }],
      messages,
      jsonSchema: { name: 'app_definition', description: 'A no-code app', schema: draftJsonSchema(req.imageModelId !== undefined) },
      inferenceConfig: { temperature: 0.2, maxTokens: 2000 },
    });
    const reply = textOf(r.message.content);
    const out = definitionFrom(reply, req.modelId, req.imageModelId);
    if (typeof out !== 'string') return out;
    problem = out;
    messages.push({ role: 'assistant', content: [{ text: reply || '(empty)' }] }, { role: 'user', content: [{ text: `That draft cannot be used: ${out}. Reply again with corrected JSON only.` }] });
  }
  throw new QuarryError('ModelErrorException', `The model ${req.modelId} could not draft a valid app (twice: ${problem.slice(0, 300)}). Try another model, a clearer description, or build the app by hand.`);
}
