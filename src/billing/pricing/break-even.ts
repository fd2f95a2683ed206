import { z } from 'zod';
import { validation } from '../../core/index.js';
import type { ModelPrice } from './model-price.js';

/** AWS's convention for a month of hours in its estimates; commitments bill every one of them. */
export const HOURS_PER_MONTH = 730;

const tpm = z.number().finite().nonnegative().max(1e12);

export const breakEvenBody = z
  .object({
    modelId: z.string().min(1).max(200),
    region: z.string().min(1).max(40).optional(),
    inputTokensPerMinute: tpm,
    outputTokensPerMinute: tpm.default(0),
    hoursPerDay: z.number().finite().positive().max(24).default(24),
    daysPerMonth: z.number().finite().positive().max(31).default(30),
    /** Overrides the catalog's per-model-unit throughput (quotes differ by model and contract). */
    unitInputTokensPerMinute: z.number().finite().positive().max(1e12).optional(),
    unitOutputTokensPerMinute: z.number().finite().positive().max(1e12).optional(),
  })
  .strict()
  .refine((b) => b.inputTokensPerMinute + b.outputTokensPerMinute > 0, 'the workload needs some tokens per minute');

export type BreakEvenInput = z.infer<typeof breakEvenBody>;

export type Term = 'no-commitment' | '1-month' | '6-month';

export interface TermResult {
  term: Term;
  hourlyPerUnit: number;
  /** Hours billed a month: the active hours without commitment (created and deleted around them), all hours with one. */
  billedHoursPerMonth: number;
  monthlyUsd: number;
  /** On-demand minus provisioned; positive when provisioned is cheaper. */
  savingsUsd: number;
  cheaper: boolean;
  /** Share of the provisioned units' capacity the workload uses over the billed hours. */
  utilisation: number;
  /** The utilisation from which provisioned costs less than on-demand (more than 1: never, at this input/output mix). */
  breakEvenUtilisation: number;
  /** The same point as a workload: tokens per minute, at this workload's input/output mix and hours. */
  breakEvenTokensPerMinute: { input: number; output: number };
}

export interface BreakEvenResult {
  modelId: string;
  region: string;
  pricesAsOf: string;
  workload: {
    inputTokensPerMinute: number;
    outputTokensPerMinute: number;
    hoursPerDay: number;
    daysPerMonth: number;
    activeHoursPerMonth: number;
  };
  onDemand: { inputPer1k: number; outputPer1k: number; monthlyUsd: number };
  modelUnits: number;
  unitTokensPerMinute: { input: number; output: number };
  terms: TermResult[];
  cheapest: 'on-demand' | Term;
  assumptions: string[];
}

/**
 * On-demand versus provisioned throughput for a steady workload. A model unit's capacity is shared linearly between
 * input and output (a unit doing only input sustains `unitInput` tokens a minute, only output `unitOutput`), so the
 * units needed are ⌈input/unitInput + output/unitOutput⌉. On-demand cost is linear in the tokens served, so the
 * utilisation at which a term breaks even is the workload's utilisation scaled by provisioned/on-demand cost.
 */
export function breakEven(input: BreakEvenInput, price: ModelPrice, region: string): BreakEvenResult {
  const { inputPer1k, outputPer1k } = price;
  if (inputPer1k === undefined || outputPer1k === undefined) throw validation(`The pricing catalog has no on-demand input and output prices for ${input.modelId}.`);
  const pt = price.provisioned ?? {};
  const terms: [Term, number | undefined][] = [
    ['no-commitment', pt.noCommitmentPerHour],
    ['1-month', pt.oneMonthPerHour],
    ['6-month', pt.sixMonthPerHour],
  ];
  if (terms.every(([, p]) => p === undefined)) {
    throw validation(`The pricing catalog has no provisioned-throughput prices for ${input.modelId}; set them with "quarry pricing set ${input.modelId} --pt-1-month …".`);
  }
  const unitIn = input.unitInputTokensPerMinute ?? pt.unitInputTokensPerMinute ?? input.unitOutputTokensPerMinute ?? pt.unitOutputTokensPerMinute;
  const unitOut = input.unitOutputTokensPerMinute ?? pt.unitOutputTokensPerMinute ?? unitIn;
  if (unitIn === undefined || unitOut === undefined) {
    throw validation(
      `The pricing catalog has no per-model-unit throughput for ${input.modelId} (AWS does not publish one); pass unitInputTokensPerMinute and unitOutputTokensPerMinute, or store them with "quarry pricing set ${input.modelId} --unit-input-tpm N --unit-output-tpm N".`,
    );
  }

  const w = input;
  const activeHours = w.hoursPerDay * w.daysPerMonth;
  const onDemandPerMinute = (w.inputTokensPerMinute * inputPer1k + w.outputTokensPerMinute * outputPer1k) / 1000;
  const onDemandMonthly = onDemandPerMinute * 60 * activeHours;
  const load = w.inputTokensPerMinute / unitIn + w.outputTokensPerMinute / unitOut;
  // A hair of tolerance so that a workload of exactly N units' capacity needs N, not N+1 from rounding.
  const units = Math.max(1, Math.ceil(load - 1e-9));

  const results: TermResult[] = [];
  for (const [term, hourly] of terms) {
    if (hourly === undefined) continue;
    const billedHours = term === 'no-commitment' ? activeHours : HOURS_PER_MONTH;
    const monthly = units * hourly * billedHours;
    const utilisation = (load / units) * (activeHours / billedHours);
    // On-demand cost grows in proportion to utilisation, provisioned cost stays put: they cross at this point.
    const breakEvenUtilisation = onDemandMonthly > 0 ? (utilisation * monthly) / onDemandMonthly : Number.POSITIVE_INFINITY;
    const scale = utilisation > 0 ? breakEvenUtilisation / utilisation : Number.POSITIVE_INFINITY;
    results.push({
      term,
      hourlyPerUnit: hourly,
      billedHoursPerMonth: billedHours,
      monthlyUsd: round(monthly),
      savingsUsd: round(onDemandMonthly - monthly),
      cheaper: monthly < onDemandMonthly,
      utilisation: round(utilisation, 6),
      breakEvenUtilisation: round(breakEvenUtilisation, 6),
      breakEvenTokensPerMinute: { input: round(w.inputTokensPerMinute * scale, 0), output: round(w.outputTokensPerMinute * scale, 0) },
    });
  }
  const best = results.reduce<TermResult | undefined>((b, r) => (r.cheaper && (!b || r.monthlyUsd < b.monthlyUsd) ? r : b), undefined);
  return {
    modelId: input.modelId,
    region,
    pricesAsOf: price.asOf,
    workload: {
      inputTokensPerMinute: w.inputTokensPerMinute,
      outputTokensPerMinute: w.outputTokensPerMinute,
      hoursPerDay: w.hoursPerDay,
      daysPerMonth: w.daysPerMonth,
      activeHoursPerMonth: activeHours,
    },
    onDemand: { inputPer1k, outputPer1k, monthlyUsd: round(onDemandMonthly) },
    modelUnits: units,
    unitTokensPerMinute: { input: unitIn, output: unitOut },
    terms: results,
    cheapest: best?.term ?? 'on-demand',
    assumptions: [
      `A month is ${w.daysPerMonth} days of ${w.hoursPerDay} active hours; commitments bill ${HOURS_PER_MONTH} hours a month, no-commitment only the active hours.`,
      'The workload is steady over its active hours; peaks above the provisioned capacity would be throttled, not billed.',
      'A model unit shares its capacity linearly between input and output tokens.',
    ],
  };
}

function round(n: number, digits = 2): number {
  if (!Number.isFinite(n)) return n;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
