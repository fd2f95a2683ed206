import type { ProvisionedApi } from '../api/provisioned';
import { ResourceList } from '../components/resource-list';
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
        <ResourceList
          title="Your provisioned throughput"
          titleId="pt-list-title"
          list={list}
          error={error}
          reload={load}
          errorTitle="Provisioned throughput could not be listed"
          what="provisioned throughput"
          empty={{
            title: 'No provisioned throughput yet',
            body: (
              <>
                Every call is served on demand and billed by the token. Buy model units with the form when steady traffic would cost less by the hour, or to keep capacity
                for it; invoke them with the provisioned model&apos;s ARN as the model id.
              </>
            ),
          }}
          label="Provisioned throughput"
          columns={[{ label: 'Name' }, { label: 'Model' }, { label: 'Units', numeric: true }, { label: 'Commitment' }, { label: 'Status' }, { label: 'Actions', hidden: true }]}
          row={(r) => <ProvisionedRow key={r.provisionedModelArn} pt={pt} row={r} onChanged={load} />}
        />
        <BuyThroughputForm pt={pt} onBought={load} />
      </div>
    </>
  );
}
