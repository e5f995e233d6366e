/** openapi-typescript's helper for `allOf` plus `required`, as it prints it. */
const PRINTED = `type WithRequired<T, K extends keyof T> = T & {
    [P in K]-?: T[P];
};`;

/**
 * The same helper for a base that may be null (OpenAPI 3.0's `nullable: true`, Plaid's): `keyof`
 * of a union with `null` is `never`, so the printed one refused every key (TS2344). Null stays
 * allowed, as the schema allows it (`required` constrains only objects), so a guard never
 * promises more than it checks; for a base that cannot be null it is the printed type.
 */
const NULLABLE_AWARE = `type WithRequired<T, K extends keyof NonNullable<T>> = (NonNullable<T> & {
    [P in K]-?: NonNullable<T>[P];
}) | Extract<T, null>;`;

/** `schema.ts` as openapi-typescript printed it, with WithRequired accepting a nullable base. */
export function nullableWithRequired(source: string): string {
  return source.replace(PRINTED, NULLABLE_AWARE);
}
