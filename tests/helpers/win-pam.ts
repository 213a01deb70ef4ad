// Real Linux PAM for the win-otp suites: `pamtester` (Debian package pamtester) drives a PAM
// service whose file the agent's `install --pam-install` wrote into /etc/pam.d. Missing
// pamtester or not running as root is a FAILED suite with what to do — never a skip.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

const TIMEOUT_MS = 20_000;

/**
 * Fail loudly unless pamtester is installed and this process may write /etc/pam.d.
 *
 * @returns pamtester's path
 */
export function requirePamtester(): string {
  if (process.getuid?.() !== 0) {
    throw new Error(
      'the PAM suite must run as root: it adds a test service to /etc/pam.d (and removes it)',
    );
  }
  try {
    return execFileSync('sh', ['-c', 'command -v pamtester'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('pamtester is not installed: apt-get install pamtester');
  }
}

/** A unique PAM service name for one suite. */
export function uniquePamService(label: string): string {
  return `securemfa-win-otp-e2e-${label}-${randomBytes(4).toString('hex')}`;
}

/** How a pamtester run ended. */
export interface PamtesterResult {
  code: number | null;
  output: string;
}

/**
 * `pamtester [-I item=value…] <service> <user> authenticate`, the code typed at the prompt.
 *
 * @param service - the PAM service
 * @param user - the user name PAM gets
 * @param typed - what the user types (the code)
 * @param items - PAM items, e.g. `{ rhost: '203.0.113.7' }`
 * @returns exit code and combined output
 */
export function pamtester(
  service: string,
  user: string,
  typed: string,
  items: Record<string, string> = {},
): Promise<PamtesterResult> {
  const args = [
    ...Object.entries(items).flatMap(([k, v]) => ['-I', `${k}=${v}`]),
    service,
    user,
    'authenticate',
  ];
  return new Promise((resolve, reject) => {
    const child = execFile(
      'pamtester',
      args,
      { encoding: 'utf8', timeout: TIMEOUT_MS, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } },
      (err, stdout, stderr) => {
        if (err !== null && typeof (err as { code?: unknown }).code !== 'number') {
          reject(err);
          return;
        }
        resolve({
          code: err === null ? 0 : ((err as { code: number }).code ?? null),
          output: stdout + stderr,
        });
      },
    );
    child.stdin?.end(`${typed}\n`);
  });
}
