/**
 * The one shape of a construct's prop error: which construct, which prop, the value it got and what
 * it accepts, e.g. `FluxGitSync dev/repo-infra: interval "soon" is not valid; use a Go duration ...`.
 */
export function propErrors(where: string): (field: string, value: unknown, allowed: string) => never {
  return (field, value, allowed) => {
    throw new Error(`${where}: ${field} ${JSON.stringify(value)} is not valid; ${allowed}`);
  };
}
