import { ConfigError } from '../../config/load';

/** Every problem of the ConfigError `fn` throws, one `path: message (got value)` line each. */
export function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.message.split('\n').slice(1).map((l) => l.trim());
    throw e;
  }
  throw new Error('no ConfigError was thrown');
}
