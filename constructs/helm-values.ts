/**
 * Terraform reads every string of the configuration as a template: a literal `${x}` or `%{x}` in a
 * value (a Flux postBuild variable, an annotation) would be evaluated, and fail or worse. cdktf writes
 * literals as they are, so values that carry user text go through this before they are synthesized.
 * cdktf's own tokens (`${TfToken[...]}`) are left for cdktf to resolve.
 */
export function escapeTemplateSequences(text: string): string {
  // Replacer functions: in a replacement string, "$$" would itself mean "$".
  return text.replace(/\$\{(?!TfToken\[)/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** One `values` entry of a helm_release: the values as JSON, literal strings escaped for Terraform. */
export function helmValuesJson(values: unknown): string {
  return JSON.stringify(values, (_key, value) => (typeof value === 'string' ? escapeTemplateSequences(value) : value));
}
