/** The test doubles' servers: on 127.0.0.1 only (this workplace's rule), on a port the system picks. */
import type * as http from 'http';
import type { AddressInfo } from 'net';

/** Starts `server` on a free loopback port; resolves to its base URL. */
export async function listenOnLoopback(server: http.Server, scheme: 'http' | 'https' = 'http'): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Stops `server` (if it was started); resolves once it has closed. */
export function closeServer(server: http.Server | undefined): Promise<void> {
  return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
}
