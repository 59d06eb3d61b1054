/**
 * Debian packages the embedded stack needs from the machine: installed with apt-get when missing
 * and running as root (as on the development and CI machines), else a clear message saying what
 * to install.
 */
import { execFileSync, spawnSync } from 'node:child_process';

/** Root installs packages and runs PostgreSQL as the postgres user. */
export const isRoot = (): boolean => process.getuid?.() === 0;

/** True when `command` is on the PATH. */
export function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$0"', command], { stdio: 'ignore' }).status === 0;
}

/**
 * Installs `packages` unless `present` says they are there.
 *
 * @param what what they are for, in the messages
 * @param recommends also install the packages' recommendations (false: docker-compose would
 *   otherwise bring the Docker engine)
 */
export function ensureDebianPackages(
  packages: readonly string[],
  present: () => boolean,
  what: string,
  log: (line: string) => void,
  recommends = true,
): void {
  if (present()) return;
  const list = packages.join(' ');
  if (!isRoot()) throw new Error(`${what} is missing: install it with \`sudo apt-get install ${list}\` and run this again`);
  log(`installing ${list} from Debian packages (${what})…`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...(recommends ? [] : ['--no-install-recommends']), ...packages], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}
