import type { GuardrailsApi } from '../api/guardrails';
import { ResourceList } from '../components/resource-list';
import { usePageList } from '../lib/use-page-list';
import { CreateGuardrailForm } from './create-guardrail-form';
import { GuardrailRow } from './guardrail-row';

export function GuardrailList({ g, active }: { g: GuardrailsApi; active: boolean }) {
  const { list, error, load } = usePageList(g, active);

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Guardrails</h1>
          <p className="muted">Content filters, denied topics, word filters, PII masking and grounding checks, applied to prompts and answers through Bedrock&apos;s guardrail APIs.</p>
        </div>
        <button type="button" className="button-secondary" onClick={load}>
          Reload
        </button>
      </header>
      <div className="kb-layout">
        <ResourceList
          title="Your guardrails"
          titleId="gr-list-title"
          list={list}
          error={error}
          reload={load}
          errorTitle="Guardrails could not be listed"
          what="guardrails"
          empty={{
            title: 'No guardrails yet',
            body: 'Create one with the form, test text against it here, then name it in a Converse or InvokeModel call (guardrailConfig) to check prompts and answers.',
          }}
          label="Guardrails"
          columns={[{ label: 'Name' }, { label: 'Id' }, { label: 'Status' }, { label: 'Version' }, { label: 'Updated' }, { label: 'Actions', hidden: true }]}
          row={(r) => <GuardrailRow key={r.id} g={g} row={r} onChanged={load} />}
        />
        <CreateGuardrailForm g={g} onCreated={load} />
      </div>
    </>
  );
}
