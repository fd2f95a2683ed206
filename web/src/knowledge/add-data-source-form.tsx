import { type FormEvent, useState } from 'react';
import { messageOf } from '../api/api-error';
import type { DataSource, DataSourceConfiguration, KnowledgeApi } from '../api/knowledge';
import { FieldError } from '../components/notice';
import { NAME_RULE, RESOURCE_NAME } from './create-knowledge-base-form';

type Kind = 'LOCAL' | 'WEB' | 'CUSTOM';

const KINDS: { kind: Kind; label: string; hint: string }[] = [
  { kind: 'LOCAL', label: 'Folder on the server', hint: "An absolute path inside one of the server's knowledge.localRoots folders." },
  { kind: 'WEB', label: 'Web pages', hint: 'A start URL; the crawler follows links on the same site.' },
  { kind: 'CUSTOM', label: 'Custom', hint: 'Documents are pushed in (IngestKnowledgeBaseDocuments, or the form below).' },
];

export function AddDataSourceForm({ kb, kbId, onAdded }: { kb: KnowledgeApi; kbId: string; onAdded: (s: DataSource) => void }) {
  const [kind, setKind] = useState<Kind>('LOCAL');
  const [name, setName] = useState('');
  const [path, setPath] = useState('');
  const [url, setUrl] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  function config(): DataSourceConfiguration | string {
    switch (kind) {
      case 'LOCAL':
        return path.trim().startsWith('/') || /^[A-Za-z]:[\\/]/.test(path.trim()) ? { type: 'LOCAL', localConfiguration: { path: path.trim() } } : 'Folder: enter an absolute path on the server, such as /srv/docs.';
      case 'WEB': {
        try {
          const u = new URL(url.trim());
          if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'URL: only http and https pages can be crawled.';
          return { type: 'WEB', webConfiguration: { sourceConfiguration: { urlConfiguration: { seedUrls: [{ url: u.href }] } } } };
        } catch {
          return 'URL: enter a full address, such as https://example.com/docs/.';
        }
      }
      case 'CUSTOM':
        return { type: 'CUSTOM' };
      default: {
        const never: never = kind;
        return never;
      }
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!RESOURCE_NAME.test(name)) return setError(`Name: ${NAME_RULE}`);
    const c = config();
    if (typeof c === 'string') return setError(c);
    setBusy(true);
    setError(undefined);
    try {
      onAdded(await kb.createDataSource(kbId, name, c));
      setName('');
      setPath('');
      setUrl('');
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="subform" onSubmit={submit} aria-labelledby="ds-add-title" noValidate>
      <h3 id="ds-add-title">Add a data source</h3>
      <fieldset className="fieldset">
        <legend>Type</legend>
        <div className="radio-row">
          {KINDS.map((k) => (
            <label key={k.kind} className="check">
              <input type="radio" name="ds-kind" value={k.kind} checked={kind === k.kind} onChange={() => setKind(k.kind)} /> {k.label}
            </label>
          ))}
        </div>
        <span className="hint">{KINDS.find((k) => k.kind === kind)?.hint}</span>
      </fieldset>
      <div className="grid-2">
        <div className="field">
          <label htmlFor="ds-name">Data source name</label>
          <input id="ds-name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
        </div>
        {kind === 'LOCAL' && (
          <div className="field">
            <label htmlFor="ds-path">Folder path</label>
            <input id="ds-path" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/srv/docs" spellCheck={false} />
          </div>
        )}
        {kind === 'WEB' && (
          <div className="field">
            <label htmlFor="ds-url">Start URL</label>
            <input id="ds-url" type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://example.com/docs/" spellCheck={false} />
          </div>
        )}
      </div>
      <FieldError message={error} />
      <div className="form-actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Adding…' : 'Add data source'}
        </button>
      </div>
    </form>
  );
}
