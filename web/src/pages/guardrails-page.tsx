import { useMemo } from 'react';
import { guardrailsApi } from '../api/guardrails';
import { useConsole } from '../console-context';
import { GuardrailDetail } from '../guardrails/guardrail-detail';
import { GuardrailList } from '../guardrails/guardrail-list';
import { useRoute, useTitle } from '../lib/router';
import '../dashboards.css';

/** /guardrails lists, creates and deletes; /guardrails/{id} shows one's policies, publishes versions and tests text. */
export function GuardrailsPage({ active }: { active: boolean }) {
  useTitle('Guardrails', active);
  const { api } = useConsole();
  const g = useMemo(() => guardrailsApi(api), [api]);
  const route = useRoute();
  const id = active && route.segments[0] === 'guardrails' ? route.segments[1] : undefined;
  return id ? <GuardrailDetail key={id} g={g} id={id} /> : <GuardrailList g={g} active={active} />;
}
