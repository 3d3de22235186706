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

/**
 * Words YAML 1.1 reads as booleans or null (yaml.org/type/bool.html, null.html): Helm parses rendered
 * manifests with sigs.k8s.io/yaml, on go-yaml's YAML 1.1 resolver, so `on` or `no` is not text there.
 */
const YAML_WORDS = /^(y|yes|n|no|true|false|on|off|null|~)$/i;
/**
 * Text a YAML plain scalar carries as itself: starting with a letter, "_" or "/" (never a digit, sign,
 * "." or an indicator such as "@", "&", "*", "!", "|", ">", "%", "#", "-", "?", ":"), then only
 * characters that end no scalar and start no comment, never ending with ":".
 */
const YAML_PLAIN = /^[A-Za-z_/](?:[A-Za-z0-9._/@%+~=:-]*[A-Za-z0-9._/@%+~=-])?$/;

/**
 * THE quoting path for a value a chart template writes without `| quote` (the gitops-connector 1.2.1
 * ConfigMap writes `AZDO_GITOPS_REPO_NAME: {{ .Values.azdoGitOpsRepoName }}`; the flux2 2.18.3 Ingress
 * `ingressClassName`, TLS `secretName` and annotation keys): `text` itself when YAML reads it back as
 * that text, otherwise a YAML double-quoted scalar that does (JSON string syntax, with every character
 * outside printable ASCII escaped, so no line break or BOM of YAML 1.1 can act). A repository `2024`
 * stays the text "2024", `true` a string, and `@infra` or `a: b` cannot break the document. Never
 * concatenate YAML around values: pass them here, then through helmValuesJson.
 */
export function chartScalar(text: string): string {
  if (YAML_PLAIN.test(text) && !YAML_WORDS.test(text)) return text;
  let out = '"';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/**
 * True when YAML reads `text`, written plain, back as that same text under both YAML 1.1 (go-yaml v2,
 * which Helm's sigs.k8s.io/yaml uses: `y`, `on`, `1_000`, `190:20:30`, dates) and 1.2. For what a chart
 * writes unquoted and cannot be quoted here, such as the release namespace (`namespace: {{
 * .Release.Namespace }}` across the flux2 chart's templates): a namespace `123` or `on` is refused.
 */
export function readsAsYamlText(text: string): boolean {
  if (chartScalar(text) === text) return true;
  // Loaded only for text that is not plainly safe.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yaml = require('yaml') as typeof import('yaml');
  return (['1.1', '1.2'] as const).every((version) => {
    try {
      return yaml.parse(`k: ${text}`, { version }).k === text;
    } catch {
      return false;
    }
  });
}
