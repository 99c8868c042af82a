/**
 * OData v2 `$filter` and `$orderby` for the LoanPro simulator: a recursive-descent parser over the subset LoanPro
 * documents (vendor-apis.md 1.3) plus a type-checking compiler to a row predicate.
 *
 *   expr       := or
 *   or         := and ('or' and)*
 *   and        := comparison ('and' comparison)*
 *   comparison := unary (('eq'|'ne'|'gt'|'ge'|'lt'|'le') unary)?
 *   unary      := 'not' unary | primary
 *   primary    := '(' expr ')' | literal | field
 *   literal    := number | 'string' (with '' as an escaped quote) | datetime'yyyy-mm-ddThh:mm[:ss[.fff]][Z]'
 *               | true | false | null
 *
 * Precedence, highest first: not, comparison, and, or (so `not a eq b` means `(not a) eq b`, as in OData).
 * Keywords are lower case, as in OData. `in` (OData v4.01), arithmetic operators and function calls are rejected
 * with an ODataQueryError; so are unknown fields and operands whose types cannot be compared.
 */
import type { FieldType } from './loanpro.model.js';

export class ODataQueryError extends Error {
  override readonly name = 'ODataQueryError';
  /** 0-based offset in the source where the problem was found, when known. */
  readonly position: number | undefined;
  constructor(message: string, position?: number) {
    super(message);
    this.position = position;
  }
}

export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type Literal =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  /** Epoch seconds, UTC. */
  | { readonly kind: 'datetime'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'null' };

export type FilterNode =
  | { readonly type: 'or'; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly type: 'and'; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly type: 'not'; readonly operand: FilterNode }
  | { readonly type: 'compare'; readonly op: CompareOp; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly type: 'field'; readonly name: string }
  | { readonly type: 'literal'; readonly literal: Literal };

// ---------------------------------------------------------------------------------------------------------------
// Lexer

type Token =
  | { readonly t: 'lparen' | 'rparen' | 'comma' | 'eof'; readonly pos: number }
  | { readonly t: 'ident'; readonly value: string; readonly pos: number }
  | { readonly t: 'literal'; readonly literal: Literal; readonly pos: number };

const COMPARE_OPS: ReadonlySet<string> = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const ARITHMETIC_OPS: ReadonlySet<string> = new Set(['add', 'sub', 'mul', 'div', 'mod']);
const TYPED_LITERAL_PREFIXES: ReadonlySet<string> = new Set(['datetimeoffset', 'time', 'guid', 'binary', 'X']);
const MAX_DEPTH = 200;

const NUMBER_RE = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[mMdDfFlL]?/y;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?Z?$/;

function parseDatetime(text: string, pos: number): number {
  const m = DATETIME_RE.exec(text);
  if (m === null) throw new ODataQueryError(`Invalid datetime literal '${text}'.`, pos);
  const [, y, mo, d, h, mi, s] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(ms);
  if (
    month < 1 ||
    month > 12 ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    check.getUTCDate() !== day ||
    check.getUTCMonth() !== month - 1
  ) {
    throw new ODataQueryError(`Invalid datetime literal '${text}'.`, pos);
  }
  return Math.floor(ms / 1000);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}
function isIdentStart(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_');
}
function isIdentPart(c: string | undefined): boolean {
  return isIdentStart(c) || isDigit(c);
}

function readQuoted(src: string, start: number): { value: string; end: number } {
  // src[start] === "'"
  let i = start + 1;
  let out = '';
  for (;;) {
    const c = src[i];
    if (c === undefined) throw new ODataQueryError('Unterminated string literal.', start);
    if (c === "'") {
      if (src[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      return { value: out, end: i + 1 };
    }
    out += c;
    i++;
  }
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const pos = i;
    if (c === '(') {
      tokens.push({ t: 'lparen', pos });
      i++;
    } else if (c === ')') {
      tokens.push({ t: 'rparen', pos });
      i++;
    } else if (c === ',') {
      tokens.push({ t: 'comma', pos });
      i++;
    } else if (c === "'") {
      const { value, end } = readQuoted(src, i);
      tokens.push({ t: 'literal', literal: { kind: 'string', value }, pos });
      i = end;
    } else if (isDigit(c) || (c === '-' && isDigit(src[i + 1])) || (c === '.' && isDigit(src[i + 1]))) {
      NUMBER_RE.lastIndex = i;
      const m = NUMBER_RE.exec(src);
      const text = (m as RegExpExecArray)[0];
      const value = Number(text.replace(/[mMdDfFlL]$/, ''));
      if (!Number.isFinite(value)) throw new ODataQueryError(`Invalid number '${text}'.`, pos);
      i += text.length;
      if (isIdentStart(src[i])) throw new ODataQueryError(`Invalid number '${text}${src[i] ?? ''}'.`, pos);
      tokens.push({ t: 'literal', literal: { kind: 'number', value }, pos });
    } else if (isIdentStart(c)) {
      let j = i + 1;
      while (j < src.length && (isIdentPart(src[j]) || ((src[j] === '/' || src[j] === '.') && isIdentStart(src[j + 1])))) {
        j++;
      }
      const word = src.slice(i, j);
      if (src[j] === "'") {
        if (word === 'datetime') {
          const { value, end } = readQuoted(src, j);
          tokens.push({ t: 'literal', literal: { kind: 'datetime', value: parseDatetime(value, pos) }, pos });
          i = end;
          continue;
        }
        if (TYPED_LITERAL_PREFIXES.has(word)) {
          throw new ODataQueryError(`Literal type '${word}' is not supported.`, pos);
        }
        throw new ODataQueryError(`Syntax error at position ${j}: unexpected quote after '${word}'.`, j);
      }
      if (word === 'true' || word === 'false') {
        tokens.push({ t: 'literal', literal: { kind: 'bool', value: word === 'true' }, pos });
      } else if (word === 'null') {
        tokens.push({ t: 'literal', literal: { kind: 'null' }, pos });
      } else {
        tokens.push({ t: 'ident', value: word, pos });
      }
      i = j;
    } else {
      throw new ODataQueryError(`Syntax error at position ${pos}: unexpected character '${c}'.`, pos);
    }
  }
  tokens.push({ t: 'eof', pos: src.length });
  return tokens;
}

// ---------------------------------------------------------------------------------------------------------------
// Parser

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  private peek(): Token {
    return this.tokens[this.i] as Token;
  }
  private next(): Token {
    const tok = this.tokens[this.i] as Token;
    if (tok.t !== 'eof') this.i++;
    return tok;
  }
  private isWord(tok: Token, word: string): boolean {
    return tok.t === 'ident' && tok.value === word;
  }

  parseAll(): FilterNode {
    if (this.peek().t === 'eof') throw new ODataQueryError('The $filter expression is empty.', 0);
    const node = this.parseOr();
    const tok = this.peek();
    if (tok.t !== 'eof') throw this.unexpected(tok);
    return node;
  }

  private unexpected(tok: Token): ODataQueryError {
    if (tok.t === 'eof') return new ODataQueryError('Syntax error: unexpected end of $filter expression.', tok.pos);
    if (tok.t === 'ident') {
      if (tok.value === 'in') {
        return new ODataQueryError("The 'in' operator is not supported (OData v2); use 'or' of 'eq' comparisons.", tok.pos);
      }
      if (ARITHMETIC_OPS.has(tok.value)) {
        return new ODataQueryError(`Arithmetic operator '${tok.value}' is not supported.`, tok.pos);
      }
      return new ODataQueryError(`Syntax error at position ${tok.pos}: unexpected '${tok.value}'.`, tok.pos);
    }
    const what = tok.t === 'lparen' ? '(' : tok.t === 'rparen' ? ')' : tok.t === 'comma' ? ',' : 'literal';
    return new ODataQueryError(`Syntax error at position ${tok.pos}: unexpected '${what}'.`, tok.pos);
  }

  private parseOr(): FilterNode {
    let left = this.parseAnd();
    while (this.isWord(this.peek(), 'or')) {
      this.next();
      const right = this.parseAnd();
      left = { type: 'or', left, right };
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseComparison();
    while (this.isWord(this.peek(), 'and')) {
      this.next();
      const right = this.parseComparison();
      left = { type: 'and', left, right };
    }
    return left;
  }

  private parseComparison(): FilterNode {
    const left = this.parseUnary();
    const tok = this.peek();
    if (tok.t === 'ident' && COMPARE_OPS.has(tok.value)) {
      this.next();
      const right = this.parseUnary();
      const after = this.peek();
      if (after.t === 'ident' && COMPARE_OPS.has(after.value)) {
        throw new ODataQueryError(
          `Syntax error at position ${after.pos}: comparisons cannot be chained; use parentheses.`,
          after.pos,
        );
      }
      return { type: 'compare', op: tok.value as CompareOp, left, right };
    }
    return left;
  }

  private parseUnary(): FilterNode {
    if (this.isWord(this.peek(), 'not')) {
      this.next();
      this.enter();
      const operand = this.parseUnary();
      this.depth--;
      return { type: 'not', operand };
    }
    return this.parsePrimary();
  }

  private enter(): void {
    this.depth++;
    if (this.depth > MAX_DEPTH) throw new ODataQueryError('The $filter expression is nested too deeply.');
  }

  private parsePrimary(): FilterNode {
    const tok = this.next();
    let node: FilterNode;
    if (tok.t === 'lparen') {
      this.enter();
      node = this.parseOr();
      this.depth--;
      const close = this.next();
      if (close.t !== 'rparen') {
        throw close.t === 'eof'
          ? new ODataQueryError("Syntax error: missing ')'.", close.pos)
          : this.unexpected(close);
      }
    } else if (tok.t === 'literal') {
      node = { type: 'literal', literal: tok.literal };
    } else if (tok.t === 'ident') {
      if (COMPARE_OPS.has(tok.value) || tok.value === 'and' || tok.value === 'or' || tok.value === 'in' || ARITHMETIC_OPS.has(tok.value)) {
        throw this.unexpected(tok);
      }
      if (this.peek().t === 'lparen') {
        throw new ODataQueryError(`Function '${tok.value}' is not supported.`, tok.pos);
      }
      node = { type: 'field', name: tok.value };
    } else {
      throw this.unexpected(tok);
    }
    const after = this.peek();
    if (after.t === 'ident' && (after.value === 'in' || ARITHMETIC_OPS.has(after.value))) throw this.unexpected(after);
    return node;
  }
}

export function parseFilter(source: string): FilterNode {
  return new Parser(tokenize(source)).parseAll();
}

/** True when the expression uses the logical `or` operator anywhere. */
export function containsOr(node: FilterNode): boolean {
  switch (node.type) {
    case 'or':
      return true;
    case 'and':
      return containsOr(node.left) || containsOr(node.right);
    case 'not':
      return containsOr(node.operand);
    case 'compare':
      return containsOr(node.left) || containsOr(node.right);
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Compiler

export type Row = Readonly<Record<string, unknown>>;
export type RowPredicate = (row: Row) => boolean;

type ValueType = FieldType | 'number' | 'bool' | 'null' | 'datetime';

interface CompiledValue {
  readonly type: ValueType;
  readonly get: (row: Row) => unknown;
}

const EDM_NAMES: Readonly<Record<ValueType, string>> = {
  int: 'Edm.Int32',
  number: 'Edm.Decimal',
  bit: 'Edm.Int32',
  money: 'Edm.Decimal',
  string: 'Edm.String',
  date: 'Edm.DateTime',
  datetime: 'Edm.DateTime',
  bool: 'Edm.Boolean',
  null: 'null',
};

type Family = 'numeric' | 'string' | 'date' | 'bool' | 'null';

function family(t: ValueType): Family {
  switch (t) {
    case 'int':
    case 'number':
    case 'bit':
    case 'money':
      return 'numeric';
    case 'string':
      return 'string';
    case 'date':
    case 'datetime':
      return 'date';
    case 'bool':
      return 'bool';
    case 'null':
      return 'null';
  }
}

function toNumber(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const n = Number(v);
    return v.trim() !== '' && Number.isFinite(n) ? n : null;
  }
  return null;
}

function toStr(v: unknown): string | null {
  return typeof v === 'string' ? v : v === null || v === undefined ? null : String(v);
}

function cmpResult(op: CompareOp, c: number): boolean {
  switch (op) {
    case 'eq':
      return c === 0;
    case 'ne':
      return c !== 0;
    case 'gt':
      return c > 0;
    case 'ge':
      return c >= 0;
    case 'lt':
      return c < 0;
    case 'le':
      return c <= 0;
  }
}

function makeComparator<T>(op: CompareOp, convert: (v: unknown) => T | null, compare: (a: T, b: T) => number) {
  return (a: unknown, b: unknown): boolean => {
    const x = convert(a);
    const y = convert(b);
    if (x === null || y === null) {
      if (op === 'eq') return x === null && y === null;
      if (op === 'ne') return !(x === null && y === null);
      return false;
    }
    return cmpResult(op, compare(x, y));
  };
}

export function compileFilter(node: FilterNode, fields: Readonly<Record<string, FieldType>>): RowPredicate {
  const value = (n: FilterNode): CompiledValue => {
    if (n.type === 'field') {
      const t = fields[n.name];
      if (t === undefined) throw new ODataQueryError(`Could not find a property named '${n.name}'.`);
      const name = n.name;
      return { type: t, get: (row) => row[name] };
    }
    if (n.type === 'literal') {
      const lit = n.literal;
      switch (lit.kind) {
        case 'number':
          return { type: 'number', get: () => lit.value };
        case 'string':
          return { type: 'string', get: () => lit.value };
        case 'datetime':
          return { type: 'datetime', get: () => lit.value };
        case 'bool':
          return { type: 'bool', get: () => lit.value };
        case 'null':
          return { type: 'null', get: () => null };
      }
    }
    const p = predicate(n);
    return { type: 'bool', get: (row) => p(row) };
  };

  const compare = (op: CompareOp, l: CompiledValue, r: CompiledValue): RowPredicate => {
    const fl = family(l.type);
    const fr = family(r.type);
    const incompatible = (): ODataQueryError =>
      new ODataQueryError(
        `Operator '${op}' incompatible with operand types '${EDM_NAMES[l.type]}' and '${EDM_NAMES[r.type]}'.`,
      );
    if (fl === 'null' || fr === 'null') {
      if (op !== 'eq' && op !== 'ne') throw incompatible();
      const other = fl === 'null' ? r : l;
      return op === 'eq' ? (row) => other.get(row) === null : (row) => other.get(row) !== null;
    }
    let cmp: (a: unknown, b: unknown) => boolean;
    const numeric = (): ((a: unknown, b: unknown) => boolean) => makeComparator(op, toNumber, (a, b) => a - b);
    if (fl === 'numeric' && fr === 'numeric') {
      cmp = numeric();
    } else if ((fl === 'bool' && (fr === 'bool' || r.type === 'bit')) || (fr === 'bool' && l.type === 'bit')) {
      if (op !== 'eq' && op !== 'ne') throw incompatible();
      cmp = numeric();
    } else if (fl === 'string' && fr === 'string') {
      cmp = makeComparator(op, toStr, (a, b) => (a < b ? -1 : a > b ? 1 : 0));
    } else if (fl === 'date' && fr === 'date') {
      cmp = numeric();
    } else if ((l.type === 'money' && r.type === 'string') || (r.type === 'money' && l.type === 'string')) {
      const lit = l.type === 'string' ? l : r;
      if (toNumber(lit.get({})) === null) throw incompatible();
      cmp = numeric();
    } else {
      throw incompatible();
    }
    const lg = l.get;
    const rg = r.get;
    return (row) => cmp(lg(row), rg(row));
  };

  const predicate = (n: FilterNode): RowPredicate => {
    switch (n.type) {
      case 'or': {
        const a = predicate(n.left);
        const b = predicate(n.right);
        return (row) => a(row) || b(row);
      }
      case 'and': {
        const a = predicate(n.left);
        const b = predicate(n.right);
        return (row) => a(row) && b(row);
      }
      case 'not': {
        const a = predicate(n.operand);
        return (row) => !a(row);
      }
      case 'compare':
        return compare(n.op, value(n.left), value(n.right));
      case 'field': {
        const t = fields[n.name];
        if (t === undefined) throw new ODataQueryError(`Could not find a property named '${n.name}'.`);
        if (t !== 'bit') throw new ODataQueryError(`Property '${n.name}' of type '${EDM_NAMES[t]}' is not a boolean expression.`);
        const name = n.name;
        return (row) => row[name] === 1;
      }
      case 'literal': {
        if (n.literal.kind !== 'bool') throw new ODataQueryError('A literal that is not true or false is not a boolean expression.');
        const v = n.literal.value;
        return () => v;
      }
    }
  };

  return predicate(node);
}

/**
 * Fast path used for the common batch shape `id eq 1 or id eq 2 or ...`: the set of ids when the whole
 * expression is a disjunction of `<field> eq <integer>`, else null. Only an optimisation; semantics are equal.
 */
export function equalityDisjunction(node: FilterNode, field: string): Set<number> | null {
  const out = new Set<number>();
  const stack: FilterNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop() as FilterNode;
    if (n.type === 'or') {
      stack.push(n.left, n.right);
      continue;
    }
    if (n.type !== 'compare' || n.op !== 'eq') return null;
    const { left, right } = n;
    if (left.type === 'field' && left.name === field && right.type === 'literal' && right.literal.kind === 'number') {
      out.add(right.literal.value);
    } else if (right.type === 'field' && right.name === field && left.type === 'literal' && left.literal.kind === 'number') {
      out.add(left.literal.value);
    } else {
      return null;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// $orderby

export interface OrderKey {
  readonly field: string;
  readonly direction: 'asc' | 'desc';
}

/** `field [asc|desc](, field [asc|desc])*`; fields must exist. */
export function parseOrderBy(source: string, fields: Readonly<Record<string, FieldType>>): OrderKey[] {
  const keys: OrderKey[] = [];
  for (const part of source.split(',')) {
    const words = part.trim().split(/\s+/).filter((w) => w !== '');
    if (words.length === 0 || words.length > 2) throw new ODataQueryError(`Invalid $orderby clause '${part.trim()}'.`);
    const [field, dir] = words as [string, string | undefined];
    if (fields[field] === undefined) throw new ODataQueryError(`Could not find a property named '${field}'.`);
    if (dir !== undefined && dir !== 'asc' && dir !== 'desc') {
      throw new ODataQueryError(`Invalid $orderby direction '${dir}'; use asc or desc.`);
    }
    keys.push({ field, direction: dir === 'desc' ? 'desc' : 'asc' });
  }
  return keys;
}

/** Compare two rows by order keys; nulls sort first ascending. */
export function compareRows(a: Row, b: Row, keys: readonly OrderKey[], fields: Readonly<Record<string, FieldType>>): number {
  for (const key of keys) {
    const t = fields[key.field];
    const va = a[key.field];
    const vb = b[key.field];
    let c: number;
    if (va === vb) c = 0;
    else if (va === null || va === undefined) c = -1;
    else if (vb === null || vb === undefined) c = 1;
    else if (t === 'string') c = String(va) < String(vb) ? -1 : 1;
    else c = (toNumber(va) ?? 0) - (toNumber(vb) ?? 0);
    if (c !== 0) return key.direction === 'desc' ? -c : c;
  }
  return 0;
}
