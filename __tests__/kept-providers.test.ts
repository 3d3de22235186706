import * as path from 'path';
import { keptProviders, regenerateProviders } from './support/kept-schema';
import { filesUnder } from './support/synth';

const ROOT = path.resolve(__dirname, '..');

// One generation for every kept schema (generate.js makes them all): the committed bindings in .gen/
// are what `npm run generate:providers` makes, nothing edited by hand, whatever provider is added.
describe('the committed provider bindings', () => {
  const out = regenerateProviders();

  it('cover the kept schemas', () => {
    expect(keptProviders()).toEqual(['azuredevops', 'azurerm', 'external']);
  });

  it.each(keptProviders())('are what `npm run generate:providers` makes from providers/%s/schema.json, byte for byte', (name) => {
    const committed = filesUnder(path.join(ROOT, '.gen', 'providers', name));
    const generated = filesUnder(path.join(out, '.gen', 'providers', name));
    expect([...generated.keys()].sort()).toEqual([...committed.keys()].sort());
    for (const [f, content] of committed) expect({ f, same: content.equals(generated.get(f)!) }).toEqual({ f, same: true });
  });
});
