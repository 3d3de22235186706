/**
 * Each upstream pin has one place in the code (its comment lists what moves with it); the README and
 * docs/ must name the same versions, so bumping a pin without its documentation fails here.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { FLUX2_CHART_IMAGES, FLUX2_CHART_VERSION } from '../constructs/flux-install';
import { GITOPS_CONNECTOR_CHART_VERSION } from '../constructs/gitops-connector';

const ROOT = path.join(__dirname, '..');
const read = (...p: string[]): string => fs.readFileSync(path.join(ROOT, ...p), 'utf8');
const DOCS = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f))];
const allDocs = DOCS.map((f) => ({ file: f, text: read(f) }));

const FLUX_VERSION = FLUX2_CHART_IMAGES.cli.tag.replace(/^v/, '');
const providerVersions = Object.fromEntries(
  fs
    .readdirSync(path.join(ROOT, 'providers'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => Object.entries<string>(JSON.parse(read('providers', d.name, 'schema.json')).provider_versions)[0]),
);

/** TERRAFORM_VERSION and KUBELOGIN_VERSION of a CI template. */
function ciPins(file: string): Record<string, string> {
  const doc = parseYaml(read('pipelines', file));
  const vars: Record<string, string> = Array.isArray(doc.variables) ? Object.fromEntries(doc.variables.map((v: any) => [v.name, String(v.value)])) : doc.env;
  return { terraform: vars.TERRAFORM_VERSION, kubelogin: vars.KUBELOGIN_VERSION };
}

/** Every version a pattern finds in README and docs/, with where. */
const named = (pattern: RegExp): { file: string; version: string }[] => allDocs.flatMap(({ file, text }) => [...text.matchAll(pattern)].map((m) => ({ file, version: m[1] })));

describe('upstream version pins', () => {
  it('are read from their one place', () => {
    expect(FLUX2_CHART_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    expect(FLUX_VERSION).toMatch(/^2\.\d+\.\d+$/);
    expect(Object.keys(providerVersions).sort()).toEqual(['registry.terraform.io/hashicorp/azurerm', 'registry.terraform.io/hashicorp/external', 'registry.terraform.io/microsoft/azuredevops']);
    // cdktf.json's constraint for azuredevops allows the kept schema's version (providers/generate.js reads both).
    const constraint = JSON.parse(read('cdktf.json')).terraformProviders.find((p: string) => p.startsWith('microsoft/azuredevops@'));
    expect(constraint).toBe(`microsoft/azuredevops@~> ${providerVersions['registry.terraform.io/microsoft/azuredevops']}`);
  });

  it('are the same in both CI templates', () => {
    expect(ciPins('azure-pipelines.yml')).toEqual(ciPins('github-actions.yml'));
    expect(ciPins('azure-pipelines.yml').terraform).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('are what the README names in its Versions section and docs/design.md in its table', () => {
    const readme = read('README.md').split('## Versions')[1].split('\n## ')[0];
    const design = read('docs', 'design.md').split('## Upstream versions')[1];
    const ci = ciPins('azure-pipelines.yml');
    const expected = [FLUX2_CHART_VERSION, FLUX_VERSION, GITOPS_CONNECTOR_CHART_VERSION, ...Object.values(providerVersions), ci.terraform, ci.kubelogin];
    expect(expected.filter((v) => !readme.includes(v))).toEqual([]);
    expect(expected.filter((v) => !design.includes(v))).toEqual([]);
  });

  it('are the only versions of Flux, its chart and the connector chart that README and docs/ name', () => {
    const flux2Chart = named(/flux2(?:`)? (?:chart )?(?:version )?(\d+\.\d+\.\d+)/g);
    const flux = named(/\bFlux v?(\d+\.\d+\.\d+)/g);
    const connector = named(/(?:onnector|gitops-connector`?)[ (:]+(?:chart )?(\d+\.\d+\.\d+)/g);
    expect(flux2Chart.length).toBeGreaterThan(3);
    expect(flux.length).toBeGreaterThan(3);
    expect(connector.length).toBeGreaterThan(3);
    expect(flux2Chart.filter((n) => n.version !== FLUX2_CHART_VERSION)).toEqual([]);
    expect(flux.filter((n) => n.version !== FLUX_VERSION)).toEqual([]);
    expect(connector.filter((n) => n.version !== GITOPS_CONNECTOR_CHART_VERSION)).toEqual([]);
  });

  it('are the cdktf, constructs and provider package versions the README and the library page install', () => {
    const dev: Record<string, string> = JSON.parse(read('package.json')).devDependencies;
    expect(read('README.md').split('## Versions')[1].split('\n## ')[0]).toContain(`cdktf ${dev.cdktf}`);
    const install = /```sh\nnpm install cdktf-flux-gitops ([^`]*)```/.exec(read('docs', 'library.md'))![1];
    const named = Object.fromEntries([...install.matchAll(/(@?[\w/-]+)@(\d[\w.-]*)/g)].map((m) => [m[1], m[2]]));
    const peers = Object.keys(JSON.parse(read('package.json')).peerDependencies);
    expect(named).toEqual(Object.fromEntries(peers.map((p) => [p, dev[p]])));
    // The example app pins the same.
    const example = JSON.parse(read('examples', 'library', 'package.json')).dependencies;
    expect(peers.filter((p) => example[p] !== dev[p])).toEqual([]);
  });
});
