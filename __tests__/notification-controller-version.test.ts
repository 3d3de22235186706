import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { validateConfig } from '../config/load';
import { FLUX2_CHART_IMAGES, FLUX2_CHART_VERSION, FluxInstall } from '../constructs/flux-install';
import { problems } from './support/config-problems';
import { bareStack, exampleCluster } from './support/synth';

const CHART = path.resolve(__dirname, '../../shared/reference/charts/flux2');
const withChart = fs.existsSync(path.join(CHART, 'values.yaml')) ? describe : describe.skip;

/** `v1.8.3` as [1, 8, 3]. */
const parts = (tag: string): number[] => tag.replace(/^v/, '').split(/[.-]/).slice(0, 3).map(Number);
const atLeast = (tag: string, min: number[]): boolean => {
  const [a, b, c] = parts(tag);
  return a !== min[0] ? a > min[0] : b !== min[1] ? b > min[1] : c >= min[2];
};

withChart('the pinned flux2 chart in ../shared/reference (skipped without it)', () => {
  let values: { notificationController: { tag: string } };
  let chart: { version: string; appVersion: string };
  beforeAll(() => {
    values = parse(fs.readFileSync(path.join(CHART, 'values.yaml'), 'utf8'));
    chart = parse(fs.readFileSync(path.join(CHART, 'Chart.yaml'), 'utf8'));
  });

  it('is the chart the project pins', () => {
    expect({ version: String(chart.version), appVersion: String(chart.appVersion) }).toEqual({ version: FLUX2_CHART_VERSION, appVersion: '2.8.5' });
  });

  it('ships a notification-controller with commitStatusExpr (>= 1.6) that is not 1.8.0, which dropped commit-status events', () => {
    const tag = values.notificationController.tag;
    expect(tag).toBe(FLUX2_CHART_IMAGES.notification.tag);
    expect(tag).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(atLeast(tag, [1, 6, 0])).toBe(true);
    expect(tag).not.toBe('v1.8.0');
  });
});

describe('a Flux install known to break the status contract is refused', () => {
  const config = (flux: Record<string, unknown>) => ({ clusters: [exampleCluster({ flux })] });

  it.each(['2.15.0', '2.0.0', 'v2.14.1'])('the config refuses chartVersion %s, whose notification-controller has no commitStatusExpr', (chartVersion) => {
    expect(problems(() => validateConfig(config({ chartVersion }), 'fleet.yaml'))).toEqual([
      `clusters[0].flux.chartVersion: must be 2.16.0 or later: older flux2 charts ship notification-controller < 1.6, whose Provider has no commitStatusExpr, so commit statuses would not name their cluster (got ${JSON.stringify(chartVersion)})`,
    ]);
  });

  it.each(['2.16.0', '2.17.0', '2.18.0', '2.18.3', '2.19.1'])('the config accepts chartVersion %s', (chartVersion) => {
    expect(validateConfig(config({ chartVersion }), 'fleet.yaml').clusters[0].flux!.chartVersion).toBe(chartVersion);
  });

  // The message names the field and never shows `values` whole (config/data.ts: no object is echoed).
  it.each(['v1.8.0', '1.8.0', 'v1.5.0'])('the config refuses a notification-controller tag override %s', (tag) => {
    expect(problems(() => validateConfig(config({ values: { notificationController: { tag } } }), 'fleet.yaml'))).toEqual([
      'clusters[0].flux.values: must not pin notificationController.tag to v1.8.0, which drops commit-status events (fluxcd/notification-controller#1246, fixed in v1.8.1), nor below v1.6.0, which has no commitStatusExpr',
    ]);
  });

  it.each(['v1.8.1', 'v1.9.3', 'sha256-abc', 'latest'])('the config accepts a notification-controller tag override %s (one that is not a version cannot be judged)', (tag) => {
    expect(() => validateConfig(config({ values: { notificationController: { tag } } }), 'fleet.yaml')).not.toThrow();
  });

  it('FluxInstall refuses both too, for library users', () => {
    expect(() => new FluxInstall(bareStack(), 'flux', { chartVersion: '2.15.0' })).toThrow(
      'FluxInstall test/flux: chartVersion "2.15.0" is not valid; use 2.18.3, or 2.16.0 or later (older flux2 charts ship notification-controller < 1.6, whose Provider has no commitStatusExpr, so commit statuses would not name their cluster)',
    );
    expect(() => new FluxInstall(bareStack(), 'flux', { values: { notificationController: { tag: 'v1.8.0' } } })).toThrow(
      'FluxInstall test/flux: values.notificationController.tag "v1.8.0" is not valid; use v1.8.3 (the chart\'s), or v1.6.0 or later but not v1.8.0, which drops commit-status events (fluxcd/notification-controller#1246)',
    );
  });
});
