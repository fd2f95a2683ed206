import type { ProvisionedApi } from '../api/provisioned';
import { EmptyState, ErrorNotice, Loading } from '../components/notice';
import { usePageList } from '../lib/use-page-list';
import { BuyThroughputForm } from './buy-throughput-form';
import { ProvisionedRow } from './provisioned-row';

export function ProvisionedList({ pt, active }: { pt: ProvisionedApi; active: boolean }) {
  const { list, error, load } = usePageList(pt, active);

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Provisioned throughput</h1>
          <p className="muted">Model units reserved for your traffic and billed by the hour, through Bedrock&apos;s provisioned-throughput APIs.</p>
        </div>
        <button type="button" className="button-secondary" onClick={load}>
          Reload
        </button>
      </header>
      <div className="kb-layout">
        <section aria-labelledby="pt-list-title">
          <h2 id="pt-list-title">Your provisioned throughput</h2>
          {error && (
            <ErrorNotice title="Provisioned throughput could not be listed" onRetry={load}>
              {error}
            </ErrorNotice>
          )}
          {!list && !error && <Loading what="provisioned throughput" />}
          {list && list.length === 0 && (
            <EmptyState title="No provisioned throughput yet">
              Every call is served on demand and billed by the token. Buy model units with the form when steady traffic would cost less by the hour, or to keep capacity
              for it; invoke them with the provisioned model&apos;s ARN as the model id.
            </EmptyState>
          )}
          {list && list.length > 0 && (
            <div className="table-wrap">
              <table className="table" aria-label="Provisioned throughput">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Model</th>
                    <th scope="col" className="num">
                      Units
                    </th>
                    <th scope="col">Commitment</th>
                    <th scope="col">Status</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((r) => (
                    <ProvisionedRow key={r.provisionedModelArn} pt={pt} row={r} onChanged={load} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <BuyThroughputForm pt={pt} onBought={load} />
      </div>
    </>
  );
}
