import { useCallback, useEffect, useRef, useState } from 'react';
import { messageOf } from '../api/api-error';
import { type DataSource, type IngestionJob, isJobRunning, type KnowledgeApi } from '../api/knowledge';
import { FieldError } from '../components/notice';
import { StatusBadge } from './status-badge';

const POLL_MS = 700;

function where(s: DataSource): string {
  const c = s.dataSourceConfiguration;
  switch (c.type) {
    case 'LOCAL':
      return `Folder ${c.localConfiguration.path}`;
    case 'WEB':
      return `Web ${c.webConfiguration.sourceConfiguration.urlConfiguration.seedUrls.map((u) => u.url).join(', ')}`;
    case 'CUSTOM':
      return 'Custom (documents pushed through the API)';
    case 'S3':
      return `S3 ${c.s3Configuration?.bucketArn ?? ''}`;
    default: {
      const never: never = c;
      return String(never);
    }
  }
}

function stats(j: IngestionJob): string {
  const s = j.statistics ?? {};
  const indexed = (s.numberOfNewDocumentsIndexed ?? 0) + (s.numberOfModifiedDocumentsIndexed ?? 0);
  const parts = [`${s.numberOfDocumentsScanned ?? 0} scanned`, `${indexed} indexed`];
  if (s.numberOfDocumentsDeleted) parts.push(`${s.numberOfDocumentsDeleted} removed`);
  if (s.numberOfDocumentsFailed) parts.push(`${s.numberOfDocumentsFailed} failed`);
  return parts.join(' · ');
}

/** One data source with its last ingestion job, followed live while it runs. */
export function DataSourceRow({ kb, source }: { kb: KnowledgeApi; source: DataSource }) {
  const [job, setJob] = useState<IngestionJob>();
  const [error, setError] = useState<string>();
  const [starting, setStarting] = useState(false);
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );
  const custom = source.dataSourceConfiguration.type === 'CUSTOM';

  const follow = useCallback(
    async (j: IngestionJob) => {
      let current = j;
      setJob(current);
      while (alive.current && isJobRunning(current)) {
        await new Promise((r) => setTimeout(r, POLL_MS));
        if (!alive.current) return;
        try {
          current = await kb.job(source.knowledgeBaseId, source.dataSourceId, current.ingestionJobId);
          setJob(current);
        } catch (e) {
          setError(`Lost track of the sync: ${messageOf(e)} Reload to see where it got to.`);
          return;
        }
      }
    },
    [kb, source],
  );

  useEffect(() => {
    if (custom) return;
    kb.latestJob(source.knowledgeBaseId, source.dataSourceId).then(
      (j) => j && follow(j),
      (e: unknown) => setError(messageOf(e)),
    );
  }, [kb, source, custom, follow]);

  async function sync() {
    setStarting(true);
    setError(undefined);
    try {
      await follow(await kb.startJob(source.knowledgeBaseId, source.dataSourceId));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setStarting(false);
    }
  }

  const running = isJobRunning(job);
  return (
    <tr data-source={source.name}>
      <td>
        {source.name}
        <div className="muted small">
          <code>{source.dataSourceId}</code>
        </div>
      </td>
      <td className="small break">{where(source)}</td>
      <td className="small" aria-live="polite" data-testid="sync-status">
        {custom ? (
          <span className="muted">no sync: add documents instead</span>
        ) : job ? (
          <>
            <StatusBadge status={job.status} /> {stats(job)}
            {job.failureReasons?.length ? (
              <details className="failures">
                <summary>{job.failureReasons.length} problem(s)</summary>
                <ul>
                  {job.failureReasons.map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </ul>
              </details>
            ) : null}
          </>
        ) : (
          <span className="muted">never synced</span>
        )}
        <FieldError message={error} />
      </td>
      <td>
        {!custom && (
          <button type="button" onClick={sync} disabled={running || starting} aria-label={`Sync ${source.name}`}>
            {running ? 'Syncing…' : 'Sync'}
          </button>
        )}
      </td>
    </tr>
  );
}
