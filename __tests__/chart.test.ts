import * as fs from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { parse } from 'yaml';
import { FLUX_OBJECTS_CHART_FILE, PACKAGE_ASSETS_DIR } from '../constructs/package-assets';
import { exampleCluster, resourceAt, synthClusters } from './support/synth';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { packageChart, CHART_DIR } = require('../charts/package.js') as { packageChart: () => { name: string; version: string; bytes: Buffer }; CHART_DIR: string };

/** The regular files of a ustar archive: name -> content. */
function untar(archive: Buffer): Map<string, string> {
  const tar = gunzipSync(archive);
  const files = new Map<string, string>();
  for (let at = 0; at + 512 <= tar.length; ) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const name = header.subarray(0, 100).toString('latin1').replace(/\0.*$/s, '');
    const size = parseInt(header.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim(), 8);
    let sum = 0;
    header.forEach((b, i) => (sum += i >= 148 && i < 156 ? 32 : b));
    expect(parseInt(header.subarray(148, 156).toString('latin1'), 8)).toBe(sum);
    if (header[156] === 48 /* '0' */) files.set(name, tar.subarray(at + 512, at + 512 + size).toString('utf8'));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

const FLUX_OBJECTS_CHART_PATH = path.join(PACKAGE_ASSETS_DIR, FLUX_OBJECTS_CHART_FILE);

describe('the flux-objects chart', () => {
  const archive = fs.readFileSync(FLUX_OBJECTS_CHART_PATH);
  const files = untar(archive);

  it('is packaged from charts/flux-objects as it is now (npm run package:chart)', () => {
    expect(packageChart().bytes.equals(archive)).toBe(true);
  });

  it('holds the chart under a folder named after it, as helm package does', () => {
    expect([...files.keys()].sort()).toEqual(['flux-objects/Chart.yaml', 'flux-objects/templates/objects.yaml']);
    for (const [name, content] of files) expect(content).toBe(fs.readFileSync(path.join(CHART_DIR, name.replace(/^flux-objects\//, '')), 'utf8'));
  });

  it('is a v2 chart whose version is the one in the archive name the constructs use', () => {
    const chart = parse(files.get('flux-objects/Chart.yaml')!);
    expect(chart).toEqual({
      apiVersion: 'v2',
      name: 'flux-objects',
      description: 'Flux custom resources built and checked by cdktf-flux-gitops, rendered from the `objects` value.',
      // An application chart: Helm refuses to install a library chart.
      type: 'application',
      version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
    });
    expect(FLUX_OBJECTS_CHART_FILE).toBe(`flux-objects-${chart.version}.tgz`);
  });

  it('renders each object of the objects value as its own YAML document', () => {
    expect(files.get('flux-objects/templates/objects.yaml')).toBe('{{- range .Values.objects }}\n---\n{{ toYaml . }}\n{{- end }}\n');
  });

  it('is the only file of assets/ besides the key script', () => {
    expect(fs.readdirSync(PACKAGE_ASSETS_DIR).sort()).toEqual([FLUX_OBJECTS_CHART_FILE, 'ssh-keys.js']);
  });

  it('is shipped next to each stack, byte for byte, and the release points at it', () => {
    const synthesized = synthClusters([exampleCluster()]);
    const chart: string = resourceAt(synthesized.stack('example'), 'helm_release', 'flux-objects/release').body.chart;
    expect(fs.readFileSync(path.join(synthesized.outdir, 'stacks', 'example', chart)).equals(archive)).toBe(true);
  });
});
