import type { FilterAttribute, MetadataFilter } from '../metadata.js';
import { type LeafOperator, leafOf } from './match-filter.js';

export interface SqlFragment {
  sql: string;
  params: unknown[];
}

/**
 * A MetadataFilter as a SQLite boolean expression over a JSON text column, with `matchesFilter`'s semantics (the
 * conformance suite compares the two). Every user value and every key is a bound parameter: a key reaches JSON1 as a
 * quoted path label (`$."a.b"`, JSON-escaped, which SQLite's path parser decodes), never as SQL. Booleans are not bindable
 * in better-sqlite3, so they become a test on json_type, whose literals come from this file.
 */
export function sqliteFilter(filter: MetadataFilter, column: string): SqlFragment {
  const params: unknown[] = [];
  const sql = compile(filter, column, params);
  return { sql, params };
}

function compile(filter: MetadataFilter, column: string, params: unknown[]): string {
  if ('andAll' in filter && filter.andAll) return `(${filter.andAll.map((f) => compile(f, column, params)).join(' AND ')})`;
  if ('orAll' in filter && filter.orAll) return `(${filter.orAll.map((f) => compile(f, column, params)).join(' OR ')})`;
  const [op, attr] = leafOf(filter);
  return leaf(op, attr, column, params);
}

function leaf(op: LeafOperator, attr: FilterAttribute, column: string, params: unknown[]): string {
  const path = `$.${JSON.stringify(attr.key)}`;
  // Each use of the attribute binds the path again: positional parameters cannot be reused.
  const T = () => {
    params.push(path);
    return `json_type(${column}, ?)`;
  };
  const V = () => {
    params.push(path);
    return `json_extract(${column}, ?)`;
  };
  const members = () => {
    params.push(path);
    return `json_each(${column}, ?)`;
  };
  const bind = (v: unknown) => {
    params.push(v);
    return '?';
  };
  const v = attr.value;
  const yes = (sql: string) => `COALESCE(${sql}, 0)`;
  switch (op) {
    case 'equals':
    case 'notEquals': {
      const eq = Array.isArray(v)
        ? `(${T()} = 'array' AND (SELECT json_group_array(value) FROM ${members()}) = (SELECT json_group_array(value) FROM json_each(${bind(JSON.stringify(v))})))`
        : scalarEquals(V, T, v, bind);
      return op === 'equals' ? yes(eq) : `NOT ${yes(eq)}`;
    }
    case 'in':
    case 'notIn': {
      const list = () => `json_each(${bind(JSON.stringify(v))})`;
      const inList =
        `(CASE WHEN ${T()} = 'array' THEN EXISTS (SELECT 1 FROM ${members()} a JOIN ${list()} l ON ${cls('a.type')} = ${cls('l.type')} AND a.atom = l.atom)` +
        ` ELSE EXISTS (SELECT 1 FROM ${list()} l WHERE ${cls('l.type')} = ${cls(T())} AND l.atom = ${V()}) END)`;
      return op === 'in' ? yes(inList) : `NOT ${yes(inList)}`;
    }
    case 'greaterThan':
    case 'greaterThanOrEquals':
    case 'lessThan':
    case 'lessThanOrEquals': {
      const cmp = { greaterThan: '>', greaterThanOrEquals: '>=', lessThan: '<', lessThanOrEquals: '<=' }[op];
      return yes(`(${T()} IN ('integer', 'real') AND ${V()} ${cmp} ${bind(v)})`);
    }
    case 'startsWith':
    case 'stringContains': {
      const test = (s: string) => (op === 'startsWith' ? `substr(${s}, 1, length(${bind(v)})) = ${bind(v)}` : `instr(${s}, ${bind(v)}) > 0`);
      return yes(
        `(CASE ${T()} WHEN 'text' THEN ${test(V())} WHEN 'array' THEN EXISTS (SELECT 1 FROM ${members()} a WHERE a.type = 'text' AND ${test('a.atom')}) ELSE 0 END)`,
      );
    }
    case 'listContains':
      return yes(`(${T()} = 'array' AND EXISTS (SELECT 1 FROM ${members()} a WHERE ${scalarEquals(() => 'a.atom', () => 'a.type', v, bind)}))`);
    default: {
      const unreachable: never = op;
      throw new Error(`unknown filter operator ${String(unreachable)}`);
    }
  }
}

/** JSON1 reports 1 and 1.5 as 'integer' and 'real'; both are one class for comparison. (The expression appears once.) */
function cls(typeExpr: string): string {
  return `replace(${typeExpr}, 'real', 'integer')`;
}

function scalarEquals(V: () => string, T: () => string, v: unknown, bind: (v: unknown) => string): string {
  switch (typeof v) {
    case 'string':
      return `(${T()} = 'text' AND ${V()} = ${bind(v)})`;
    case 'number':
      return `(${T()} IN ('integer', 'real') AND ${V()} = ${bind(v)})`;
    case 'boolean':
      return `(${T()} = '${v ? 'true' : 'false'}')`;
    default:
      return '0';
  }
}
