import { randomUUID } from 'node:crypto';
import type { AuditEventInput } from './audit-event.js';

/** An event as the middleware would capture it, with overrides. Shared by the audit domain's tests. */
export function sampleEvent(over: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    id: randomUUID(),
    time: new Date().toISOString(),
    accountId: '000000000000',
    eventName: 'CreateKnowledgeBase',
    action: 'bedrock:CreateKnowledgeBase',
    category: 'management',
    readOnly: false,
    principal: { id: 'p-1', name: 'alice', type: 'User', authMethod: 'bearer', keyId: 'k-1', accessKeyId: null },
    sourceIp: '127.0.0.1',
    userAgent: 'test',
    resources: ['*'],
    outcome: 'success',
    errorCode: null,
    errorMessage: null,
    httpStatus: 200,
    requestId: randomUUID(),
    wireApi: 'bedrock-agent',
    ...over,
  };
}
