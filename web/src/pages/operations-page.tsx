import { useMemo, useState } from 'react';
import { operationsApi } from '../api/operations';
import { useConsole } from '../console-context';
import { useTitle } from '../lib/router';
import { DeploymentHealthList } from '../operations/deployment-health-list';
import { KeyringPanel } from '../operations/keyring-panel';
import '../dashboards.css';
import '../operator.css';

/** /operations: the server's own health, for its operators (principals of the default account): deployments and the keyring. */
export function OperationsPage({ active }: { active: boolean }) {
  useTitle('Operations', active);
  const { api } = useConsole();
  const ops = useMemo(() => operationsApi(api), [api]);
  // Reload remounts both halves, each of which reads its data when mounted while the page is shown.
  const [generation, setGeneration] = useState(0);
  return (
    <>
      <header className="page-header">
        <div>
          <h1>Operations</h1>
          <p className="muted">This replica&apos;s view of routing&apos;s deployments, and the keyring that seals stored secrets. Only principals of the server&apos;s default account see them.</p>
        </div>
        <button type="button" className="button-secondary" onClick={() => setGeneration((g) => g + 1)}>
          Reload
        </button>
      </header>
      {/* Stacked, not side by side: the keyring's ids and counts need the width a side column lacks. */}
      <div className="stack">
        <DeploymentHealthList key={`d${generation}`} ops={ops} active={active} />
        <KeyringPanel key={`k${generation}`} ops={ops} active={active} />
      </div>
    </>
  );
}
