/**
 * One `values` entry of a helm_release: the values as JSON. Literal text in it is escaped for Terraform
 * where every string is, by the LiteralStrings aspect (./literal-strings), not here: escaping twice
 * would hand Helm `$${`.
 */
export function helmValuesJson(values: unknown): string {
  return JSON.stringify(values);
}
