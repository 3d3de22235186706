/**
 * One `values` entry of a helm_release: the values as JSON. Literal text in it is escaped for Terraform
 * where every string is, by the LiteralStrings aspect (./literal-strings), not here: escaping twice
 * would hand Helm `$${`.
 */
export function helmValuesJson(values: unknown): string {
  return JSON.stringify(values);
}

/**
 * `text` as a Go/Helm template that renders to `text` itself: `{{` becomes {{`{{`}} (a raw-string action;
 * backquotes, not double quotes, so a YAML double-quoted scalar around it needs no escape). For values the
 * chart passes through `tpl`, where `{{ lookup ... }}` would read the cluster with the deploy's
 * credentials and `{{ getHostByName ... }}` would reach the network from the deploy machine.
 */
export function helmTemplateLiteral(text: string): string {
  return text.includes('{{') ? text.replace(/\{\{/g, '{{`{{`}}') : text;
}

/** `value` with every string and object key written with helmTemplateLiteral. */
export function helmTemplateLiterals(value: unknown): unknown {
  if (typeof value === 'string') return helmTemplateLiteral(value);
  if (Array.isArray(value)) return value.map(helmTemplateLiterals);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [helmTemplateLiteral(k), helmTemplateLiterals(v)]));
  }
  return value;
}
