import { type ComponentType, useState } from 'react';
import { Link, useRoute, useTitle } from './lib/router';
import { useTheme } from './lib/theme';
import { AgentsPage } from './pages/agents-page';
import { AppsPage } from './pages/apps-page';
import { AuditPage } from './pages/audit-page';
import { ComparePage } from './pages/compare-page';
import { GuardrailsPage } from './pages/guardrails-page';
import { KeysPage } from './pages/keys-page';
import { KnowledgeBasesPage } from './pages/knowledge-bases-page';
import { MetricsPage } from './pages/metrics-page';
import { ModelsPage } from './pages/models-page';
import { OperationsPage } from './pages/operations-page';
import { PlaygroundPage } from './pages/playground-page';
import { ProvisionedPage } from './pages/provisioned-page';
import { UsagePage } from './pages/usage-page';

const PAGES: { path: string; label: string; Page: ComponentType<{ active: boolean }> }[] = [
  { path: 'models', label: 'Models', Page: ModelsPage },
  { path: 'playground', label: 'Playground', Page: PlaygroundPage },
  { path: 'compare', label: 'Compare', Page: ComparePage },
  { path: 'apps', label: 'Apps', Page: AppsPage },
  { path: 'knowledge-bases', label: 'Knowledge bases', Page: KnowledgeBasesPage },
  { path: 'agents', label: 'Agents', Page: AgentsPage },
  { path: 'guardrails', label: 'Guardrails', Page: GuardrailsPage },
  { path: 'usage', label: 'Usage & cost', Page: UsagePage },
  { path: 'provisioned-throughput', label: 'Provisioned throughput', Page: ProvisionedPage },
  { path: 'keys', label: 'API keys', Page: KeysPage },
  { path: 'audit', label: 'Audit log', Page: AuditPage },
  { path: 'metrics', label: 'Metrics', Page: MetricsPage },
  { path: 'operations', label: 'Operations', Page: OperationsPage },
];

function NotFound() {
  useTitle('Not found');
  return (
    <div className="empty">
      <h1 className="empty-title">This page does not exist</h1>
      <p className="empty-body">
        The console has <Link to="models">Models</Link>, <Link to="playground">Playground</Link>, <Link to="compare">Compare</Link>, <Link to="apps">Apps</Link>,{' '}
        <Link to="knowledge-bases">Knowledge bases</Link>, <Link to="agents">Agents</Link>, <Link to="guardrails">Guardrails</Link>, <Link to="usage">Usage &amp; cost</Link>,{' '}
        <Link to="provisioned-throughput">Provisioned throughput</Link>, <Link to="keys">API keys</Link>, <Link to="audit">Audit log</Link>, <Link to="metrics">Metrics</Link> and{' '}
        <Link to="operations">Operations</Link>.
      </p>
    </div>
  );
}

/**
 * Header, navigation and the pages. A page stays mounted once visited (hidden when another is shown), so a chat or a
 * comparison keeps streaming and keeps its text while the user looks elsewhere.
 */
export function Shell({ onSignOut }: { onSignOut: () => void }) {
  const route = useRoute();
  const theme = useTheme();
  const current = route.segments[0] ?? 'models';
  const known = PAGES.some((p) => p.path === current);
  const [visited, setVisited] = useState<Set<string>>(() => new Set());
  if (known && !visited.has(current)) setVisited(new Set(visited).add(current));

  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="models" className="brand" aria-label="Quarry console home">
          <span className="brand-mark" aria-hidden="true" /> Quarry
        </Link>
        <nav aria-label="Main">
          <ul className="nav">
            {PAGES.map((p) => (
              <li key={p.path}>
                <Link to={p.path} aria-current={p.path === current ? 'page' : undefined}>
                  {p.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="topbar-actions">
          <button type="button" className="button-ghost" onClick={theme.toggle} aria-label={`Switch to ${theme.effective === 'dark' ? 'light' : 'dark'} theme`} title="Toggle light and dark theme">
            <span aria-hidden="true">{theme.effective === 'dark' ? '☀' : '☾'}</span> {theme.effective === 'dark' ? 'Light' : 'Dark'}
          </button>
          <button type="button" className="button-ghost" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {PAGES.filter((p) => visited.has(p.path) || p.path === current).map(({ path, Page }) => (
          <section key={path} data-page={path} hidden={path !== current}>
            <Page active={path === current} />
          </section>
        ))}
        {!known && <NotFound />}
      </main>
    </>
  );
}
