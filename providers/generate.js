#!/usr/bin/env node
// @ts-check
/**
 * Regenerates the TypeScript bindings of the providers that have no prebuilt package on npm
 * (microsoft/azuredevops), offline, from the schema kept beside this script, the way `cdktf get`
 * generates them from `terraform providers schema -json`. Output: .gen/providers/<name>/ (the
 * folder `cdktf get` writes, named by cdktf.json `codeMakerOutput`).
 *
 * With internet and terraform, `npx cdktf get` generates the same folder from the full provider
 * schema instead (cdktf.json lists the provider).
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

async function main() {
  for (const constraint of cdktfJson.terraformProviders) {
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
