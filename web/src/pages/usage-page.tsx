import { type FormEvent, useCallback, useEffect, useMemo, useState } from 'react';
import { isAbort, messageOf } from '../api/api-error';
import { type UsageReport, usageApi } from '../api/usage';
import { BarChart } from '../components/bar-chart';
import { EmptyState, ErrorNotice, Loading } from '../components/notice';
import { useConsole } from '../console-context';
import { formatCount, formatUsd } from '../lib/format';
import { useTitle } from '../lib/router';
import { groupTotals, periodLabel, periodsBetween, RANGES, type RangeId, rangeBounds, seriesOf } from '../lib/usage-series';
import { BudgetList } from '../usage/budget-list';
import '../dashboards.css';

const GROUP_BY = [
  { id: 'model', label: 'Model' },
  // The explorer's `user` is the principal by name (its id once deleted), which reads better than `principal`'s ids.
  { id: 'user', label: 'Principal' },
  { id: 'key', label: 'API key' },
  { id: 'api', label: 'API' },
  { id: 'tag', label: 'Tag' },
  { id: 'none', label: 'Nothing (one total)' },
] as const;
type GroupBy = (typeof GROUP_BY)[number]['id'];

const GROUP_HEADING: Record<GroupBy, string> = { model: 'Model', user: 'Principal', key: 'API key', api: 'API', tag: 'Tag value', none: '' };
const formatTokens = (n: number) => formatCount(Math.round(n));

/** Spend and tokens over a time range from the cost explorer, grouped by one dimension, and the budgets beside them. */
export function UsagePage({ active }: { active: boolean }) {
  useTitle('Usage & cost', active);
  const { api } = useConsole();
  const usage = useMemo(() => usageApi(api), [api]);
  const [range, setRange] = useState<RangeId>('7d');
  const [groupBy, setGroupBy] = useState<GroupBy>('model');
  const [tagDraft, setTagDraft] = useState('');
  const [tagKey, setTagKey] = useState('');
  const [report, setReport] = useState<{ report: UsageReport; dimension: string | undefined; groupBy: GroupBy; periods: string[] }>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  const dimension = groupBy === 'none' ? undefined : groupBy === 'tag' ? (tagKey ? `tag:${tagKey}` : null) : groupBy;

  // Queried afresh whenever the page is shown or the question changes: spend keeps arriving while the console is open.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` is how Reload asks for the same query again.
  useEffect(() => {
    if (!active || dimension === null) return;
    const ac = new AbortController();
    const { start, end, granularity } = rangeBounds(range, new Date());
    setBusy(true);
    setError(undefined);
    usage
      .query({ groupBy: dimension ? [dimension] : [], granularity, start: start.toISOString(), end: end.toISOString(), forecast: true }, ac.signal)
      .then(
        (r) => setReport({ report: r, dimension, groupBy, periods: periodsBetween(start, end, granularity) }),
        (e: unknown) => {
          if (!isAbort(e)) setError(messageOf(e));
        },
      )
      .finally(() => {
        if (!ac.signal.aborted) setBusy(false);
      });
    // A question abandoned (page left, tag cleared) is no longer being answered.
    return () => {
      ac.abort();
      setBusy(false);
    };
  }, [usage, active, range, dimension, groupBy, generation]);

  function applyTag(e: FormEvent) {
    e.preventDefault();
    setTagKey(tagDraft.trim());
  }

  const shown = report?.report;
  const granularity = shown?.granularity === 'hour' ? 'hour' : 'day';
  const labels = report ? report.periods.map((p) => periodLabel(p, granularity)) : [];
  const spend = report ? seriesOf(report.report.groups, report.periods, report.dimension, 'cost') : undefined;
  const tokens = report ? seriesOf(report.report.groups, report.periods, report.dimension, 'tokens') : undefined;
  const groups = report ? groupTotals(report.report.groups, report.dimension) : [];
  const empty = shown && shown.total.requests === 0 && shown.total.costUsd === 0;
  const rangeLabel = RANGES.find((r) => r.id === range)?.label.toLowerCase() ?? '';

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Usage &amp; cost</h1>
          <p className="muted">
            What invocations cost and how many tokens they used, metered by the server (<code>/quarry/usage</code>). Times are UTC.
          </p>
        </div>
        <button type="button" className="button-secondary" onClick={reload}>
          Reload
        </button>
      </header>
      <div className="toolbar">
        <div className="inline-form">
          <div className="field field-inline">
            <label htmlFor="usage-range">Time range</label>
            <select id="usage-range" value={range} onChange={(e) => setRange(e.target.value as RangeId)}>
              {RANGES.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field field-inline">
            <label htmlFor="usage-group-by">Group by</label>
            <select id="usage-group-by" value={groupBy} onChange={(e) => setGroupBy(e.target.value as GroupBy)}>
              {GROUP_BY.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.label}
                </option>
              ))}
            </select>
          </div>
          {groupBy === 'tag' && (
            <form className="inline-form" onSubmit={applyTag}>
              <div className="field field-inline">
                <label htmlFor="usage-tag-key">Tag key</label>
                <input id="usage-tag-key" value={tagDraft} onChange={(e) => setTagDraft(e.target.value)} placeholder="team" maxLength={128} autoComplete="off" />
              </div>
              <button type="submit" className="button-secondary">
                Show
              </button>
            </form>
          )}
        </div>
        {busy && shown && (
          <span className="muted" role="status">
            Updating…
          </span>
        )}
      </div>
      {dimension === null && (
        <EmptyState title="Which tag?">
          Enter a cost-allocation tag key (requests carry tags in the <code>x-quarry-tags</code> header, Bedrock&apos;s <code>requestMetadata</code> or OpenAI&apos;s{' '}
          <code>metadata</code>) and choose Show.
        </EmptyState>
      )}
      {error && (
        <ErrorNotice title="Usage could not be loaded" onRetry={reload}>
          {error}
        </ErrorNotice>
      )}
      {dimension !== null && !shown && !error && <Loading what="usage" />}
      {dimension !== null && shown && (
        <section aria-label="Usage" aria-busy={busy}>
          <dl className="stat-grid" aria-label="Totals">
            <div data-total="cost">
              <dt>Spend</dt>
              <dd>{formatUsd(shown.total.costUsd)}</dd>
            </div>
            <div data-total="requests">
              <dt>Requests</dt>
              <dd>{formatCount(shown.total.requests)}</dd>
            </div>
            <div data-total="input-tokens">
              <dt>Input tokens</dt>
              <dd>{formatCount(shown.total.inputTokens)}</dd>
            </div>
            <div data-total="output-tokens">
              <dt>Output tokens</dt>
              <dd>{formatCount(shown.total.outputTokens)}</dd>
            </div>
            {shown.forecast && (
              <div data-total="forecast">
                <dt>This month, forecast</dt>
                <dd>{formatUsd(shown.forecast.forecastUsd)}</dd>
                <dd className="muted small">
                  {formatUsd(shown.forecast.actualUsd)} so far;{' '}
                  {shown.forecast.basisDays > 0 ? `80% likely ${formatUsd(shown.forecast.lowUsd)}–${formatUsd(shown.forecast.highUsd)}` : 'from today’s hours alone'}
                </dd>
              </div>
            )}
            {shown.total.savedUsd > 0 && (
              <div data-total="saved">
                <dt>Saved by the response cache</dt>
                <dd>{formatUsd(shown.total.savedUsd)}</dd>
              </div>
            )}
          </dl>
          {empty ? (
            <EmptyState title={`No usage in the ${rangeLabel}`}>
              Nothing was metered in this period{report?.dimension ? ' for any group' : ''}. Invocations through any API (Bedrock, OpenAI, Anthropic, the playground) appear here
              once the meter has written them, within a few seconds.
            </EmptyState>
          ) : (
            <>
              {shown.truncated && (
                <ErrorNotice title="Not every group is shown">More groups matched than one answer carries; the totals are complete. Choose a shorter range or another grouping.</ErrorNotice>
              )}
              {spend && <BarChart title={`Spend per ${granularity}`} labels={labels} names={spend.names} values={spend.points.map((p) => p.values)} format={formatUsd} />}
              {tokens && <BarChart title={`Tokens per ${granularity} (input + output)`} labels={labels} names={tokens.names} values={tokens.points.map((p) => p.values)} format={formatTokens} />}
              {report?.dimension && (
                <div className="table-wrap">
                  <table className="table" aria-label={`Usage by ${GROUP_HEADING[report.groupBy].toLowerCase()}`}>
                    <thead>
                      <tr>
                        <th scope="col">{GROUP_HEADING[report.groupBy]}</th>
                        <th scope="col" className="num">
                          Requests
                        </th>
                        <th scope="col" className="num">
                          Input tokens
                        </th>
                        <th scope="col" className="num">
                          Output tokens
                        </th>
                        <th scope="col" className="num">
                          Spend
                        </th>
                        <th scope="col" className="num">
                          Share of spend
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {groups.map((g) => (
                        <tr key={g.label} data-group={g.label}>
                          <td>
                            <code>{g.label}</code>
                          </td>
                          <td className="num">{formatCount(g.requests)}</td>
                          <td className="num">{formatCount(g.inputTokens)}</td>
                          <td className="num">{formatCount(g.outputTokens)}</td>
                          <td className="num" data-cell="cost">
                            {formatUsd(g.costUsd)}
                          </td>
                          <td className="num">{shown.total.costUsd > 0 ? `${Math.round((100 * g.costUsd) / shown.total.costUsd)}%` : '—'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </>
          )}
        </section>
      )}
      <BudgetList usage={usage} active={active} generation={generation} />
    </>
  );
}
