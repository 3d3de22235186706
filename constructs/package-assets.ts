import { createHash } from 'crypto';
import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { AssetType, TerraformAsset, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { LiteralStrings } from './literal-strings';

/** The folder of files this package ships next to every stack: the packaged chart and the key script. */
export const PACKAGE_ASSETS_DIR = path.join(__dirname, '..', 'assets');
/** The packaged flux-objects chart (charts/flux-objects, `npm run package:chart`). */
export const FLUX_OBJECTS_CHART_FILE = 'flux-objects-1.0.0.tgz';
/** The SSH key registration script. */
export const SSH_KEYS_SCRIPT_FILE = 'ssh-keys.js';

// The folder never changes while a process runs: hash it once, not once per stack of a fleet.
let folderHash: string | undefined;
function hashFolder(): string {
  if (folderHash === undefined) {
    const hash = createHash('sha256');
    for (const file of readdirSync(PACKAGE_ASSETS_DIR).sort()) hash.update(file).update(readFileSync(path.join(PACKAGE_ASSETS_DIR, file)));
    folderHash = hash.digest('hex').slice(0, 32).toUpperCase();
  }
  return folderHash;
}

/**
 * The package's assets folder, copied once into each stack's output folder (next to cdk.tf.json, so
 * the stack stands on its own): one copy per stack however many constructs use it, since every
 * folder a synth creates costs (bench/README.md).
 */
export class PackageAssets extends Construct {
  /** The id of the one instance in a stack; a contract, as it names the output folder. */
  public static readonly ID = 'flux-gitops-assets';

  /** The instance of the stack of `scope`, made on first use. */
  public static of(scope: IConstruct): PackageAssets {
    const stack = TerraformStack.of(scope);
    return (stack.node.tryFindChild(PackageAssets.ID) as PackageAssets | undefined) ?? new PackageAssets(stack, PackageAssets.ID);
  }

  private readonly asset: TerraformAsset;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    // Every string synthesized below is text, never a Terraform expression.
    LiteralStrings.of(this);
    this.asset = new TerraformAsset(this, 'folder', { path: PACKAGE_ASSETS_DIR, type: AssetType.DIRECTORY, assetHash: hashFolder() });
  }

  /** Where Terraform (running in the stack's folder) finds `file` of the assets folder. */
  public pathOf(file: string): string {
    return `./${this.asset.path}/${file}`;
  }
}
