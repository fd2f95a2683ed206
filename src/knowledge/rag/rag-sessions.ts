import { randomUUID } from 'node:crypto';
import { QuarryError } from '../../core/index.js';
import type { Database } from '../../store/index.js';
import type { KnowledgeTables } from '../tables.js';

export interface Turn {
  question: string;
  answer: string;
}

/** Bounds what a session carries into the next prompt; older turns fall off. */
const MAX_TURNS = 10;

/** RetrieveAndGenerate sessions: follow-up questions see the turns before them. Scoped like every resource. */
export class RagSessions {
  private readonly db;
  constructor(db: Database) {
    this.db = db.withTables<KnowledgeTables>();
  }

  async load(scope: string, id: string | undefined): Promise<{ id: string; turns: Turn[]; isNew: boolean }> {
    if (!id) return { id: randomUUID(), turns: [], isNew: true };
    const row = await this.db.selectFrom('rag_sessions').selectAll().where('id', '=', id).where('scope', '=', scope).executeTakeFirst();
    if (!row) throw new QuarryError('ResourceNotFoundException', `Session ${id} was not found (it may have expired).`);
    return { id, turns: JSON.parse(row.turns), isNew: false };
  }

  async append(scope: string, id: string, isNew: boolean, turns: Turn[], turn: Turn): Promise<void> {
    const next = JSON.stringify([...turns, turn].slice(-MAX_TURNS));
    const now = new Date().toISOString();
    if (isNew) await this.db.insertInto('rag_sessions').values({ id, scope, turns: next, updated_at: now }).execute();
    else await this.db.updateTable('rag_sessions').set({ turns: next, updated_at: now }).where('id', '=', id).where('scope', '=', scope).execute();
  }
}
