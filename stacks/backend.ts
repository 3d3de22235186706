import { AzurermBackend, CloudBackend, LocalBackend, NamedCloudWorkspace, TerraformStack } from 'cdktf';
import { BackendConfig } from '../config/schema';

/** Key prefix of the state blobs in the storage container. */
export const DEFAULT_STATE_KEY_PREFIX = 'flux-gitops/';
/** Prefix of the Terraform Cloud workspace names. */
export const DEFAULT_WORKSPACE_PREFIX = 'flux-gitops-';

/**
 * Gives the stack of `cluster` its own state in the backend the config chooses, with cdktf's built-in
 * backends: every cluster one state, named after it.
 */
export function configureBackend(stack: TerraformStack, cluster: string, backend: BackendConfig = { type: 'local' }): void {
  switch (backend.type) {
    case 'azurerm':
      // Blob leases lock the state; credentials come from the environment (ARM_* or az login),
      // and Entra auth to the data plane spares an account key.
      new AzurermBackend(stack, {
        resourceGroupName: backend.resourceGroupName,
        storageAccountName: backend.storageAccountName!,
        containerName: backend.containerName!,
        key: `${backend.keyPrefix ?? DEFAULT_STATE_KEY_PREFIX}${cluster}.tfstate`,
        subscriptionId: backend.subscriptionId,
        tenantId: backend.tenantId,
        useAzureadAuth: backend.useAzureadAuth ?? true,
        useOidc: backend.useOidc,
      });
      return;
    case 'cloud':
      new CloudBackend(stack, {
        organization: backend.organization!,
        hostname: backend.hostname,
        workspaces: new NamedCloudWorkspace(`${backend.workspacePrefix ?? DEFAULT_WORKSPACE_PREFIX}${cluster}`, backend.project),
      });
      return;
    default:
      // Relative to the stack's folder (cdktf.out/stacks/<name>), where Terraform runs: the state sits
      // at the project root, outside the regenerated output, and the JSON names no machine's path.
      new LocalBackend(stack, { path: `../../../terraform.${cluster}.tfstate` });
  }
}
