/** Provisioned-throughput names, ids, terms and rates as the console shows them. Pure, so the tests run them in Node. */

export type Commitment = 'OneMonth' | 'SixMonths';
export const COMMITMENT_LABEL: Record<Commitment | '', string> = { '': 'No commitment', OneMonth: '1 month', SixMonths: '6 months' };

// Bedrock's rule for provisioned model names, checked here first so the message can say it plainly.
export const PT_NAME = /^([0-9a-zA-Z][_-]?){1,63}$/;
export const PT_NAME_RULE = 'Up to 63 letters and digits, each optionally followed by one "_" or "-" (no spaces).';

/** Provisioned prices of a model, from the pricing catalog (USD per model unit per hour). */
export interface ProvisionedPrice {
  noCommitmentPerHour?: number;
  oneMonthPerHour?: number;
  sixMonthPerHour?: number;
}

/** The id at the end of `arn:aws:bedrock:<region>:<account>:provisioned-model/<id>`. */
export const provisionedIdOf = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);
/** The model id at the end of `arn:aws:bedrock:<region>::foundation-model/<id>`. */
export const modelIdOf = (arn: string): string => arn.slice(arn.indexOf('foundation-model/') + 'foundation-model/'.length);

export function rateOf(price: ProvisionedPrice | undefined, commitment: Commitment | ''): number | undefined {
  if (!price) return undefined;
  return commitment === 'OneMonth' ? price.oneMonthPerHour : commitment === 'SixMonths' ? price.sixMonthPerHour : price.noCommitmentPerHour;
}
