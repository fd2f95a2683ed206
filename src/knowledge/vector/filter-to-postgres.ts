import type { FilterAttribute, MetadataFilter } from '../metadata.js';
import { type LeafOperator, leafOf } from './match-filter.js';

/**
 * A MetadataFilter as a PostgreSQL boolean expression over a jsonb column, with `matchesFilter`'s semantics (the
 * conformance suite compares them). Keys and values are always parameters (`$n`), appended to `params`; jsonb's own
 * comparison is typed (a string never equals a number) and numeric for numbers, which is exactly what is wanted. Every
 * leaf is wrapped in COALESCE so a missing key (SQL NULL) is false, and its negation true.
 */
export function postgresFilter(filter: MetadataFilter, column: string, params: unknown[]): string {
  if ('andAll' in filter && filter.andAll) return `(${filter.andAll.map((f) => postgresFilter(f, column, params)).join(' AND ')})`;
  if ('orAll' in filter && filter.orAll) return `(${filter.orAll.map((f) => postgresFilter(f, column, params)).join(' OR ')})`;
  const [op, attr] = leafOf(filter);
  return leaf(op, attr, column, params);
}

function leaf(op: LeafOperator, attr: FilterAttribute, column: string, params: unknown[]): string {
  const bind = (v: unknown, type: 'text' | 'jsonb') => {
    params.push(type === 'jsonb' ? JSON.stringify(v) : v);
    return `$${params.length}::${type}`;
  };
  const x = `(${column} -> ${bind(attr.key, 'text')})`;
  const v = attr.value;
  const yes = (sql: string) => `COALESCE(${sql}, false)`;
  // Only reached for arrays: CASE keeps jsonb_array_elements away from scalars, which it rejects.
  const someMember = (test: string) => `EXISTS (SELECT 1 FROM jsonb_array_elements(${x}) AS m(e) WHERE ${test})`;
  switch (op) {
    case 'equals':
      return yes(`${x} = ${bind(v, 'jsonb')}`);
    case 'notEquals':
      return `NOT ${yes(`${x} = ${bind(v, 'jsonb')}`)}`;
    case 'in':
    case 'notIn': {
      const list = bind(v, 'jsonb');
      const inList = `CASE WHEN jsonb_typeof(${x}) = 'array' THEN ${someMember(`m.e IN (SELECT jsonb_array_elements(${list}))`)} ELSE ${x} IN (SELECT jsonb_array_elements(${list})) END`;
      return op === 'in' ? yes(inList) : `NOT ${yes(inList)}`;
    }
    case 'greaterThan':
    case 'greaterThanOrEquals':
    case 'lessThan':
    case 'lessThanOrEquals': {
      const cmp = { greaterThan: '>', greaterThanOrEquals: '>=', lessThan: '<', lessThanOrEquals: '<=' }[op];
      return yes(`(jsonb_typeof(${x}) = 'number' AND ${x} ${cmp} ${bind(v, 'jsonb')})`);
    }
    case 'startsWith':
    case 'stringContains': {
      const s = bind(v, 'text');
      const test = (e: string) => (op === 'startsWith' ? `starts_with(${e} #>> '{}', ${s})` : `strpos(${e} #>> '{}', ${s}) > 0`);
      return yes(
        `CASE jsonb_typeof(${x}) WHEN 'string' THEN ${test(x)} WHEN 'array' THEN ${someMember(`jsonb_typeof(m.e) = 'string' AND ${test('m.e')}`)} ELSE false END`,
      );
    }
    case 'listContains':
      return yes(`(jsonb_typeof(${x}) = 'array' AND ${x} @> jsonb_build_array(${bind(v, 'jsonb')}))`);
    default: {
      const unreachable: never = op;
      throw new Error(`unknown filter operator ${String(unreachable)}`);
    }
  }
}
