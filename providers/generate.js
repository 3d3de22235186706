#!/usr/bin/env node
// @ts-check
/**
 * Regenerates the TypeScript bindings of the providers that have no prebuilt package on npm
 * (microsoft/azuredevops, hashicorp/azurerm), offline, from the schemas kept beside this script
 * (providers/<name>/schema.json), the way `cdktf get` generates them from
 * `terraform providers schema -json`. Output: .gen/providers/<name>/ (the folder `cdktf get` writes,
 * named by cdktf.json `codeMakerOutput`).
 *
 * The version constraint comes from cdktf.json `terraformProviders`; a kept schema cdktf.json does
 * not list is pinned to the exact version of its `provider_versions`. With internet and terraform,
 * `npx cdktf get` generates the listed providers from their full schemas instead.
 */
process.env.CHECKPOINT_DISABLE = '1';
const fs = require('fs');
const path = require('path');
const { CodeMaker } = require('codemaker');
const { ConstructsMakerProviderTarget, LANGUAGES, TerraformProviderConstraint } = require('@cdktf/commons');
// The package root needs jsii-pacmak; the generator itself does not.
const { TerraformProviderGenerator } = require('@cdktf/provider-generator/lib/get/generator/provider-generator');

const root = path.resolve(__dirname, '..');
const cdktfJson = JSON.parse(fs.readFileSync(path.join(root, 'cdktf.json'), 'utf8'));
const outdir = path.join(root, cdktfJson.codeMakerOutput);

/** cdktf.json's providers, then every kept schema it does not list, at the version the schema pins. */
function constraints() {
  const listed = cdktfJson.terraformProviders.map((/** @type {string} */ c) => new TerraformProviderConstraint(c));
  const kept = fs
    .readdirSync(__dirname, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(__dirname, d.name, 'schema.json')) && !listed.some((/** @type {{ name: string }} */ c) => c.name === d.name))
    .map((d) => {
      const { provider_versions: versions } = JSON.parse(fs.readFileSync(path.join(__dirname, d.name, 'schema.json'), 'utf8'));
      const [[fqpn, version]] = Object.entries(versions);
      return `${fqpn.split('/').slice(1).join('/')}@${version}`;
    });
  return [...cdktfJson.terraformProviders, ...kept];
}

async function main() {
  for (const constraint of constraints()) {
    const target = new ConstructsMakerProviderTarget(new TerraformProviderConstraint(constraint), LANGUAGES[0]);
    const schemaFile = path.join(__dirname, target.name, 'schema.json');
    const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
    const generator = new TerraformProviderGenerator(new CodeMaker(), schema);
    generator.generate(target);
    fs.rmSync(path.join(outdir, 'providers', target.name), { recursive: true, force: true });
    await generator.save(outdir);
    process.stdout.write(`${path.relative(root, schemaFile)} -> ${path.relative(root, path.join(outdir, 'providers', target.name))}\n`);
  }
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
