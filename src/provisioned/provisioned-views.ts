import { foundationModelArn } from '../iam/index.js';
import { provisionedArn } from './provisioned-ids.js';
import type { ProvisionedRow } from './provisioned-repository.js';

/** A throughput in the shape of GetProvisionedModelThroughput's response (and, less failureMessage, a list summary). */
export function provisionedView(row: ProvisionedRow, region: string) {
  const modelArn = foundationModelArn(region, row.model_id);
  return {
    provisionedModelName: row.name,
    provisionedModelArn: provisionedArn(region, row.scope, row.id),
    modelArn,
    desiredModelArn: modelArn,
    foundationModelArn: modelArn,
    modelUnits: row.model_units,
    desiredModelUnits: row.model_units,
    status: row.status,
    ...(row.failure_message ? { failureMessage: row.failure_message } : {}),
    ...(row.commitment ? { commitmentDuration: row.commitment, commitmentExpirationTime: row.commitment_expires } : {}),
    creationTime: row.created_at,
    lastModifiedTime: row.updated_at,
  };
}
