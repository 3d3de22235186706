/**
 * The TypeScript type of the values a schema node accepts, read from the node itself, so that a config
 * field is declared once (config/schema.ts) and its type, its checks and its JSON Schema all come from
 * that one declaration. Nodes keep their literal types (`node({...})` infers them as `const`), and
 * `Infer` maps the keywords the way the validator reads them:
 *
 * - `type` -> string, number (integer, number), boolean; `enum` -> the union of its values;
 * - `items` -> a readonly array of the items' type;
 * - `properties` -> an object of readonly fields, those in `required` required, the others optional;
 *   `additionalProperties` as a schema -> an index signature; `x-kubernetes-preserve-unknown-fields` ->
 *   a record of unknown values;
 * - `oneOf` of branches that each require fields -> a union, one member per branch;
 * - `declares<T>()` -> the type `T` as written, where a subtree is a construct's own props type.
 *
 * The mapped types keep each field's link to its declaration (a property of a `properties` object), so
 * editors jump from a config field to the node that checks it, and TypeDoc (docs/typedoc-schema.js)
 * shows the node's description as the field's doc.
 */
import type { SchemaNode } from './schema';

declare const declaredType: unique symbol;

/** A node whose values are declared to have the type `T` (a phantom: nothing of it exists at run time). */
export interface Declares<T> {
  readonly [declaredType]?: T;
}

/** Identity at run time; keeps the node's literal type, which {@link Infer} reads. */
export function node<const N extends SchemaNode>(n: N): N {
  return n;
}

/**
 * Says that a node's values have the type `T`, a type of its own (a construct's props, or a config type
 * exported under a name), so the inferred types name it instead of repeating its shape. The node must
 * accept what `T` allows, no more and no less, and declare each of its fields, or it does not compile.
 *
 * The result's type keeps only what the API reference shows of the node (its description, format hint
 * and default): the rest is `T`'s to say, and a parent node's declaration output (`.d.ts`) would
 * otherwise repeat the whole subtree wherever it is used.
 */
export function declares<T>() {
  return <const N extends SchemaNode>(n: N & Conforms<InferShape<N>, T>): { readonly [K in keyof N as K extends Shown ? K : never]: N[K] } & SchemaNode & Declares<T> => n;
}

/** The keywords of a node the API reference shows (docs/typedoc-schema.js). */
type Shown = 'description' | 'format' | 'default';

/**
 * `unknown` when `Shape` and `T` accept the same values and name the same fields (assignability alone
 * lets an optional field of `T` be missing from the node); otherwise a type no schema node has, which
 * names what differs in the compiler's error.
 */
type Conforms<Shape, T> = [Shape] extends [T]
  ? [T] extends [Shape]
    ? [Exclude<keyof T, keyof Shape>] extends [never]
      ? unknown
      : { readonly 'fields of the declared type that the schema does not declare': Exclude<keyof T, keyof Shape> }
    : { readonly 'the declared type allows values the schema refuses': T; readonly schema: Shape }
  : { readonly 'the schema accepts values the declared type does not': Shape; readonly declared: T };

/** The type of the values that `N` accepts. */
export type Infer<N> = N extends Declares<infer T> ? (unknown extends T ? InferShape<N> : T) : InferShape<N>;

/** What `N`'s keywords accept, ignoring a declared type. */
export type InferShape<N> = N extends { readonly oneOf: readonly (infer B)[] } ? OneOf<N, B> : Base<N, RequiredKeys<N>>;

type OneOf<N, B> = B extends unknown ? Base<N, RequiredKeys<N> | RequiredKeys<B>> : never;

type RequiredKeys<N> = N extends { readonly required: readonly (infer R)[] } ? R : never;

type Base<N, R> = N extends { readonly enum: readonly (infer E)[] }
  ? E
  : N extends { readonly 'x-kubernetes-preserve-unknown-fields': true }
    ? { readonly [key: string]: unknown }
    : N extends { readonly 'x-kubernetes-int-or-string': true }
      ? number | string
      : N extends { readonly type: 'string' }
        ? string
        : N extends { readonly type: 'integer' | 'number' }
          ? number
          : N extends { readonly type: 'boolean' }
            ? boolean
            : N extends { readonly type: 'array'; readonly items: infer I }
              ? readonly Infer<I>[]
              : N extends { readonly type: 'object' }
                ? ObjectOf<N, R>
                : unknown;

type Properties<N> = N extends { readonly properties: infer P } ? P : {};

type AdditionalProperties<N> = N extends { readonly additionalProperties: infer A extends SchemaNode } ? { readonly [key: string]: Infer<A> } : unknown;

// Key filtering (`as K extends R ? K : never`) keeps the link from each field to its declaration.
type ObjectOf<N, R> = Flat<
  { readonly [K in keyof Properties<N> as K extends R ? K : never]-?: Infer<Properties<N>[K]> } & {
    readonly [K in keyof Properties<N> as K extends R ? never : K]?: Infer<Properties<N>[K]>;
  } & AdditionalProperties<N>
>;

/** One object type instead of an intersection, as editors and error messages show it. */
type Flat<T> = { [K in keyof T]: T[K] } & {};

/** Identity at run time; keeps the literal types of a set of fields shared by several nodes. */
export function properties<const P extends { readonly [name: string]: SchemaNode }>(p: P): P {
  return p;
}
