import { toJsonSchema } from '../flux/schema';
import { configSchema } from './schema';

/** The JSON Schema published as config/flux-gitops.schema.json, generated from the validator's schema. */
export function configJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://github.com/cdktf-flux-gitops/cdktf-flux-gitops/config/flux-gitops.schema.json',
    title: 'cdktf-flux-gitops configuration',
    ...toJsonSchema(configSchema),
  };
}

/** The file's exact content: what `npm run schema` writes and a test compares. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
