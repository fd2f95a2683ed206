import { QuarryError } from '../../core/index.js';
import type { DataSourceConfiguration } from '../schemas.js';
import { LocalFolderSource, WebCrawlerSource } from '../sources/index.js';
import type { DataSourceReader } from '../sources/source-item.js';
import type { DataSourcesTable } from '../tables.js';
import type { SourceReaderFactory } from './index-settings.js';

/** Media types a crawl offers besides text: the parsers read PDFs and Word documents as well as pages. */
const CRAWL_TYPES = ['text/*', 'application/xhtml+xml', 'application/json', 'application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'];

/** Readers for the data-source types that are synced by ingestion jobs (LOCAL folders and WEB crawls). */
export function sourceReaders(): SourceReaderFactory {
  return {
    readerFor(ds: DataSourcesTable): DataSourceReader {
      const config = JSON.parse(ds.source_config) as DataSourceConfiguration;
      switch (config.type) {
        case 'LOCAL': {
          const c = config.localConfiguration!;
          return new LocalFolderSource({
            root: c.path,
            ...(c.inclusionFilters ? { include: c.inclusionFilters } : {}),
            ...(c.exclusionFilters ? { exclude: c.exclusionFilters } : {}),
            ...(c.maxFileBytes ? { maxFileBytes: c.maxFileBytes } : {}),
          });
        }
        case 'WEB': {
          const w = config.webConfiguration!;
          const { maxDepth, allowedHosts, ...crawler } = w.crawlerConfiguration ?? {};
          return new WebCrawlerSource({
            seedUrls: w.sourceConfiguration.urlConfiguration.seedUrls.map((s) => s.url),
            crawler,
            contentTypes: CRAWL_TYPES,
            ...(maxDepth !== undefined ? { maxDepth } : {}),
            ...(allowedHosts ? { allowHosts: allowedHosts } : {}),
          });
        }
        case 'CUSTOM':
        case 'S3':
          throw new QuarryError('ValidationException', `A ${config.type} data source cannot be synced here.`);
        default: {
          const never: never = config.type;
          throw new QuarryError('ValidationException', `Unknown data source type ${never}.`);
        }
      }
    },
  };
}
