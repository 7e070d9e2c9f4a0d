/**
 * Walking the spec schema by its definition (zod's `_zod.def`, the same in zod and zod/mini): the
 * keys a strict object at a spec path accepts (for "did you mean"), and the salvage of a spec that
 * failed the schema — every part that parses on its own, with INVALID where a part does not — so the
 * cross-field rules run in the same round as the type errors.
 */
import { safeParse, type core } from 'zod';

/** Marks a part of a spec that did not pass the schema. */
export const INVALID: unique symbol = Symbol('invalid spec part');
/** The type of INVALID. */
export type Invalid = typeof INVALID;

/**
 * A schema's output where any part may be INVALID: objects keep their valid fields, arrays and
 * records their valid items.
 */
export type Salvaged<T> = T extends readonly (infer U)[]
  ? readonly Salvaged<U>[] | Invalid
  : T extends object
    ? { readonly [K in keyof T]: Salvaged<T[K]> } | Invalid
    : T | Invalid;

interface Def {
  readonly type: string;
  readonly shape?: Record<string, core.$ZodType>;
  readonly innerType?: core.$ZodType;
  readonly element?: core.$ZodType;
  readonly valueType?: core.$ZodType;
  readonly options?: readonly core.$ZodType[];
  readonly in?: core.$ZodType;
  readonly out?: core.$ZodType;
}
const defOf = (s: core.$ZodType): Def => s._zod.def as unknown as Def;

/** Strips optional, default, nullable and readonly wrappers. */
function unwrap(s: core.$ZodType): core.$ZodType {
  for (;;) {
    const d = defOf(s);
    if ((d.type === 'optional' || d.type === 'default' || d.type === 'nullable' || d.type === 'readonly' || d.type === 'prefault') && d.innerType) s = d.innerType;
    else return s;
  }
}

/** The schemas a value at `path` may be checked by (several below a union). */
function schemasAt(schema: core.$ZodType, path: readonly (string | number)[]): core.$ZodType[] {
  let here = [schema];
  for (const seg of path) {
    const next: core.$ZodType[] = [];
    const visit = (s: core.$ZodType) => {
      const d = defOf(unwrap(s));
      if (d.type === 'union') d.options!.forEach(visit);
      else if (d.type === 'pipe') visit(d.out!);
      else if (d.type === 'object' && typeof seg === 'string' && d.shape![seg]) next.push(d.shape![seg]!);
      else if (d.type === 'array' && typeof seg === 'number') next.push(d.element!);
      else if (d.type === 'record') next.push(d.valueType!);
    };
    here.forEach(visit);
    here = next;
  }
  return here;
}

/** The keys the strict object(s) at `path` accept, in schema order. */
export function keysAt(schema: core.$ZodType, path: readonly (string | number)[]): string[] {
  const keys = new Set<string>();
  const visit = (s: core.$ZodType) => {
    const d = defOf(unwrap(s));
    if (d.type === 'union') d.options!.forEach(visit);
    else if (d.type === 'pipe') visit(d.out!);
    else if (d.type === 'object') Object.keys(d.shape!).forEach((k) => keys.add(k));
  };
  schemasAt(schema, path).forEach(visit);
  return [...keys];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `value` through `schema`, or the parts of it that pass on their own. */
function salvageIn(schema: core.$ZodType, value: unknown): unknown {
  const r = safeParse(schema, value);
  if (r.success) return r.data;
  const d = defOf(schema);
  if (d.type === 'optional' || d.type === 'nullable' || d.type === 'default' || d.type === 'prefault' || d.type === 'readonly') return salvageIn(d.innerType!, value);
  // A problem with the value itself (its type, an array's length): nothing of it is kept. Keys an
  // object does not know are reported apart and do not spoil its known fields.
  if (r.error.issues.some((i) => i.path.length === 0 && i.code !== 'unrecognized_keys')) return INVALID;
  if (d.type === 'object' && isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(d.shape!)) {
      const part = salvageIn(s, value[k]);
      if (part !== undefined) out[k] = part;
    }
    return out;
  }
  if (d.type === 'record' && isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, salvageIn(d.valueType!, v)]));
  if (d.type === 'array' && Array.isArray(value)) return value.map((v) => salvageIn(d.element!, v));
  return INVALID;
}

/** The parts of `value` that pass `schema` on their own, INVALID in place of the others. */
export function salvage<T>(schema: core.$ZodType<T>, value: unknown): Salvaged<T> {
  return salvageIn(schema, value) as Salvaged<T>;
}

/** True unless `v` is INVALID. */
export function valid<T>(v: T | Invalid): v is T {
  return v !== INVALID;
}

/** A salvaged type with INVALID taken out of it, at every depth. */
export type Whole<V> = V extends Invalid ? never : V extends readonly (infer U)[] ? readonly Whole<U>[] : V extends object ? { readonly [K in keyof V]: Whole<V[K]> } : V;

/** `v` when no part of it is INVALID, else INVALID. */
export function whole<const V>(v: V): Whole<V> | Invalid {
  const clean = (x: unknown): boolean => (x === INVALID ? false : typeof x === 'object' && x !== null ? Object.values(x).every(clean) : true);
  return clean(v) ? (v as Whole<V>) : INVALID;
}
