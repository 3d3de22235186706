/**
 * Flux reads `ref.semver` as a Masterminds/semver constraint: comparisons joined by spaces or commas
 * (and), `||` (or), `x`/`*` wildcards, `~` and `^`. The npm `semver` package parses the same grammar
 * except the comma, which is read here as the space it means. Loaded only when a config has a semver
 * ref (about 10 ms).
 */
export function isSemverRange(range: string): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const validRange = require('semver/ranges/valid') as (range: string) => string | null;
  // npm reads an empty alternative ("1.0.0 ||") as "*"; Masterminds refuses it.
  return range.split('||').every((part) => part.trim() !== '') && validRange(range.replace(/,/g, ' ')) !== null;
}
