import { useMemo } from 'react';
import { knowledgeApi } from '../api/knowledge';
import { useConsole } from '../console-context';
import { KnowledgeBaseDetail } from '../knowledge/knowledge-base-detail';
import { KnowledgeBaseList } from '../knowledge/knowledge-base-list';
import { useRoute, useTitle } from '../lib/router';

/** /knowledge-bases lists and creates; /knowledge-bases/{id} shows one with its sources, syncs and a retrieval test. */
export function KnowledgeBasesPage({ active }: { active: boolean }) {
  useTitle('Knowledge bases', active);
  const { api } = useConsole();
  const kb = useMemo(() => knowledgeApi(api), [api]);
  const route = useRoute();
  const id = active && route.segments[0] === 'knowledge-bases' ? route.segments[1] : undefined;
  return id ? <KnowledgeBaseDetail key={id} kb={kb} id={id} /> : <KnowledgeBaseList kb={kb} active={active} />;
}
