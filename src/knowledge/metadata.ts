/**
 * Document and chunk metadata, and the filter language of Bedrock's RetrievalFilter. Values are what a
 * `<file>.metadata.json` sidecar may hold (`metadataAttributes`): strings, numbers, booleans and string lists.
 */
export type MetadataValue = string | number | boolean | string[];
export type Metadata = Record<string, MetadataValue>;

export interface FilterAttribute {
  key: string;
  value: MetadataValue | MetadataValue[];
}

/** One operator per object, exactly as `@aws-sdk/client-bedrock-agent-runtime`'s RetrievalFilter union. */
export type MetadataFilter =
  | { equals: FilterAttribute }
  | { notEquals: FilterAttribute }
  | { greaterThan: FilterAttribute }
  | { greaterThanOrEquals: FilterAttribute }
  | { lessThan: FilterAttribute }
  | { lessThanOrEquals: FilterAttribute }
  | { in: FilterAttribute }
  | { notIn: FilterAttribute }
  | { startsWith: FilterAttribute }
  | { listContains: FilterAttribute }
  | { stringContains: FilterAttribute }
  | { andAll: MetadataFilter[] }
  | { orAll: MetadataFilter[] };
