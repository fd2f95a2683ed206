/** Bedrock's IngestionJobStatistics, counted as a job runs and stored with it (so a resumed job keeps its counts). */
export interface IngestionStatistics {
  numberOfDocumentsScanned: number;
  numberOfMetadataDocumentsScanned: number;
  numberOfNewDocumentsIndexed: number;
  numberOfModifiedDocumentsIndexed: number;
  numberOfMetadataDocumentsModified: number;
  numberOfDocumentsDeleted: number;
  numberOfDocumentsFailed: number;
}

export const emptyStatistics = (): IngestionStatistics => ({
  numberOfDocumentsScanned: 0,
  numberOfMetadataDocumentsScanned: 0,
  numberOfNewDocumentsIndexed: 0,
  numberOfModifiedDocumentsIndexed: 0,
  numberOfMetadataDocumentsModified: 0,
  numberOfDocumentsDeleted: 0,
  numberOfDocumentsFailed: 0,
});

/** Bedrock caps failure reasons; a job over a million broken files must not store a million strings. */
export const MAX_FAILURE_REASONS = 100;
