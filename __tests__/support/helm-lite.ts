import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from './synth';

/** ../shared: reference charts and helm-lite; absent on a fresh clone (tests that need it skip). */
export const SHARED = path.resolve(__dirname, '../../../shared');
export const CHARTS = path.join(SHARED, 'reference', 'charts');

/** The helm-lite binary, built by its own script; undefined when ../shared or Go is missing. */
export function helmLite(): string | undefined {
  const build = path.join(SHARED, 'tools', 'helm-lite', 'build.sh');
  if (!fs.existsSync(build) || !fs.existsSync(path.join(CHARTS, 'flux2'))) return undefined;
  const built = spawnSync('bash', [build], { encoding: 'utf8', timeout: 120_000 });
  const bin = built.stdout.trim().split('\n').pop();
  return built.status === 0 && bin && fs.existsSync(bin) ? bin : undefined;
}

export interface Rendered {
  readonly objects: { readonly source: string; readonly object: any }[];
  readonly probe: { readonly path: string; readonly status: 'read' | 'ignored'; readonly value: unknown }[];
}

/** Renders `chart` (a folder of ../shared/reference/charts) with a helm_release body as synthesized, probing every value it sets (unless `probe` is false). */
export function renderChart(bin: string, chart: string, release: unknown, probe = true): Rendered {
  const file = path.join(tempDir(), 'helm_release.json');
  fs.writeFileSync(file, JSON.stringify(release));
  const args = ['template', '--chart', path.join(CHARTS, chart), '--release', file, '-o', 'json', ...(probe ? ['--probe'] : [])];
  const run = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 120_000 });
  if (run.status !== 0) throw new Error(`helm-lite failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}
