/**
 * What a route declares while it runs, kept on the request for the audit middleware: the action it was authorized as
 * (the first one asked: the operation itself) and every resource it asked about. Noted before the decision, so a
 * denied call is recorded under the action it was denied.
 */
export interface AuditNote {
  action: string;
  resources: string[];
}

export function noteAuthorization(note: AuditNote | undefined, action: string, resource: string): AuditNote {
  if (!note) return { action, resources: [resource] };
  if (!note.resources.includes(resource)) note.resources.push(resource);
  return note;
}
