/** The snapshot as a file: its JSON Schema's place in the package, and reading a saved one back (`--snapshot`). */
import * as path from 'path';
import { FleetSnapshot, SNAPSHOT_SCHEMA } from './snapshot';

/** Where the snapshot's JSON Schema is: beside this file in the repository and in the package (build copies it). */
export const SNAPSHOT_JSON_SCHEMA_FILE = path.join(__dirname, 'snapshot.schema.json');

/** Parses a saved snapshot; throws, saying what is wrong, for anything that is not a snapshot of this version. */
export function parseSnapshot(text: string, source: string): FleetSnapshot {
  let data: any;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source} is not JSON: ${(e as Error).message}`);
  }
  if (data?.schema !== SNAPSHOT_SCHEMA) {
    throw new Error(`${source} is not a fleet snapshot of ${SNAPSHOT_SCHEMA} (its schema is ${JSON.stringify(data?.schema ?? null)})`);
  }
  for (const list of ['rings', 'repositories', 'clusters', 'commits'] as const) {
    if (!Array.isArray(data[list])) throw new Error(`${source}: "${list}" is not a list`);
  }
  return data as FleetSnapshot;
}
