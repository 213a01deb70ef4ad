// The `securemfa-email-otp` CLI as real child processes (`node dist/bin.js …`) against real SMTP
// servers on 127.0.0.1: `serve` signs a user in over its HTTP API (begin → mail → code → end,
// STARTTLS with a CA file given relative to the working directory, AUTH); `install` then
// `verify` prints one line per check, and its channel check connects and authenticates but
// sends nothing; `verify` fails (exit 1) with the reason for a wrong password, a server that is
// down and one that never greets (within smtp_timeout_ms); `config check` accepts both manuals'
// samples unchanged and masks secrets; `serve --demo` with no config at all works in a browser's
// place (/demo → /mfa → the code from /demo/mailbox → /demo/done).
import { readFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { closedPort, startSilentServer, type SilentServer } from '@securemfa/testkit';
import { killAllChildren, runCli, startServe, type ServeProcess } from '../helpers/e2e-cli.js';
import { http } from '../helpers/e2e-qr-host.js';
import { makeSmtpTestPki } from '../helpers/smtp-certs.js';
import { emailNodeJson } from '../helpers/smtp-email-node.js';
import { codeInMail, startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';

jest.setTimeout(60_000);

const BIN = fileURLToPath(new URL('../../packages/email-otp/dist/bin.js', import.meta.url));
const SEEDS = fileURLToPath(new URL('../../tools/testkit/fixtures/seeds/', import.meta.url));
const USER = 'smtpuser';
const PASSWORD = `pw-${randomBytes(9).toString('hex')}`;

let dir: string;
let smtp: TestSmtpServer;
let silent: SilentServer;
let serve: ServeProcess;
let goodConfig: string;
let logFile: string;
let keys: Record<string, string>;

async function writeConfig(name: string, extra: Record<string, string>): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, JSON.stringify({ ...keys, ...extra }, null, 2));
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e2e-email-cli-'));
  const pki = await makeSmtpTestPki(dir);
  [smtp, silent] = await Promise.all([
    startSmtpServer({
      tls: { key: pki.keyPem, cert: pki.certPem },
      auth: { user: USER, password: PASSWORD },
    }),
    startSilentServer(),
  ]);
  logFile = join(dir, 'provider.log');
  keys = emailNodeJson(dir, smtp.port, {
    sqlite_path: join(dir, 'otp.db'),
    smtp_enablessl: 'true',
    smtp_tls_ca_file: 'ca.pem', // relative: resolved against the working directory (dir)
    smtp_username: USER,
    smtp_password: PASSWORD,
    log_file: logFile,
    verboselog: 'true',
  });
  goodConfig = await writeConfig('SecureMfaEmailOtpProvider.json', {});
  serve = await startServe(BIN, ['serve', '-c', goodConfig, '--port', '0'], { cwd: dir });
});

afterAll(async () => {
  await serve?.stop();
  killAllChildren();
  await smtp?.close();
  await silent?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

beforeEach(() => smtp.reset());

const postJson = (path: string, body: unknown) =>
  http(`${serve.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${keys.adapter_api_key}`,
    },
    body: JSON.stringify(body),
  });

/** stdout lines of `verify`, each `<mark>  <check>  <detail>` (hint lines indented). */
function checkLines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => /^(ok|FAIL|skip)\s/.test(l));
}

describe('serve', () => {
  it('signs a user in over its HTTP API with the code from the mail (STARTTLS, AUTH)', async () => {
    const upn = 'cli.user@adatum.test';
    const b = await postJson('/adapter/begin', { upn, lang: 'de' });
    expect(b.status).toBe(200);
    expect(b.json.status).toBe('code_sent');
    expect(b.json.presentation.destination).toBe('c***@adatum.test');
    const [mail] = await smtp.waitForMails(1);
    expect(mail!.secure).toBe(true);
    expect(mail!.user).toBe(USER);
    expect(mail!.parsed.subject).toBe('Ihr Anmeldecode');
    const code = codeInMail(mail!);
    const e = await postJson('/adapter/end', { context: b.json.context, code });
    expect(e.json.ok).toBe(true);

    await new Promise((r) => setTimeout(r, 300)); // the file transport writes asynchronously
    const log = await readFile(logFile, 'utf8');
    const records = log
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records).toContainEqual(
      expect.objectContaining({ eventId: 5552, upn, destination: 'c***@adatum.test' }),
    );
    expect(records).toContainEqual(expect.objectContaining({ eventId: 5556, upn }));
    expect(log).not.toContain(PASSWORD);
    expect(log).not.toContain(code);
  });
});

describe('install and verify', () => {
  it('verify after install: one line per check, all ok; the channel check authenticates and sends nothing', async () => {
    const install = await runCli(
      BIN,
      ['install', '-c', goodConfig, '--service-dir', join(dir, 'units')],
      { cwd: dir },
    );
    expect(install.code).toBe(0);
    smtp.reset();
    const verify = await runCli(BIN, ['verify', '-c', goodConfig], { cwd: dir });
    expect(verify.code).toBe(0);
    const lines = checkLines(verify.stdout);
    expect(lines.map((l) => l.split(/\s+/)[1])).toEqual([
      'config',
      'store',
      'schema',
      'access',
      'encryption',
      'registration',
      'channel',
      'host',
    ]);
    expect(lines.every((l) => l.startsWith('ok'))).toBe(true);
    expect(verify.stdout).toMatch(
      /^ok\s+channel\s+smtp: \S+ STARTTLS, AUTH as \S+: the server accepted the login$/m,
    );
    expect(smtp.auths).toEqual([
      expect.objectContaining({ username: USER, ok: true, secure: true }),
    ]);
    expect(smtp.envelopes).toBe(0);
    expect(smtp.mails).toHaveLength(0);
    expect(verify.stdout + verify.stderr).not.toContain(PASSWORD);
  });

  it('a wrong password: FAIL channel with the server’s answer and a hint, exit 1, no password shown', async () => {
    const file = await writeConfig('wrong-pw.json', { smtp_password: 'wrong-password-123' });
    const verify = await runCli(BIN, ['verify', '-c', file], { cwd: dir });
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(
      new RegExp(
        `^FAIL\\s+channel\\s+smtp 127\\.0\\.0\\.1:${smtp.port}: authentication failed \\(535 Invalid username or password\\)$`,
        'm',
      ),
    );
    expect(verify.stdout).toMatch(/^\s+hint: check smtp_username and smtp_password$/m);
    expect(verify.stdout + verify.stderr).not.toContain('wrong-password-123');
    expect(smtp.envelopes).toBe(0);
  });

  it('the server is down: FAIL channel cannot connect, exit 1', async () => {
    const port = await closedPort();
    const file = await writeConfig('down.json', {
      smtp_port: String(port),
      smtp_enablessl: 'false',
      smtp_username: '',
      smtp_password: '',
    });
    const verify = await runCli(BIN, ['verify', '-c', file], { cwd: dir });
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(
      new RegExp(
        `^FAIL\\s+channel\\s+smtp 127\\.0\\.0\\.1:${port}: cannot connect .*ECONNREFUSED`,
        'm',
      ),
    );
  });

  it('a server that never greets: FAIL channel within smtp_timeout_ms, exit 1', async () => {
    const file = await writeConfig('silent.json', {
      smtp_port: String(silent.port),
      smtp_enablessl: 'false',
      smtp_username: '',
      smtp_password: '',
      smtp_timeout_ms: '1500',
    });
    const t0 = Date.now();
    const verify = await runCli(BIN, ['verify', '-c', file], { cwd: dir, timeoutMs: 20_000 });
    const ms = Date.now() - t0;
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(
      /^FAIL\s+channel\s+smtp 127\.0\.0\.1:\d+: (timed out|no answer)/m,
    );
    expect(ms).toBeLessThan(8000); // node start + store + 1.5 s, not verify's 10 s check timeout
  });
});

describe('config check: the manuals’ samples', () => {
  it.each(['SecureMfaEmailOtpProvider.seed001.json', 'SecureMfaEmailOtpProvider.seed002.json'])(
    '%s loads unchanged (exit 0), secrets masked',
    async (name) => {
      const r = await runCli(BIN, ['config', 'check', '-c', join(SEEDS, name)], { cwd: dir });
      expect(r.code).toBe(0);
      const shown = JSON.parse(r.stdout) as Record<string, unknown>;
      expect(shown).toMatchObject({
        smtp_server: 'smtp.adatum.labnet',
        smtp_port: 25,
        smtp_enablessl: false,
        smtp_mailfrom_title: 'sMFA Email Time Based OTP Provider',
        smtp_remove_user_prefix: false,
        data_encryption_passphrase: '********',
      });
      expect(r.stdout).not.toContain('d9GhT=7=Ox8-+LaZ');
    },
  );

  it('with the manual’s SSL settings edited in: smtp_password is masked', async () => {
    const sample = JSON.parse(
      await readFile(join(SEEDS, 'SecureMfaEmailOtpProvider.seed002.json'), 'utf8'),
    ) as Record<string, unknown>;
    const snippet = JSON.parse(
      await readFile(join(SEEDS, 'seed001-smtp-ssl.snippet.json'), 'utf8'),
    ) as Record<string, unknown>;
    const file = join(dir, 'seed-ssl.json');
    await writeFile(file, JSON.stringify({ ...sample, ...snippet }));
    const r = await runCli(BIN, ['config', 'check', '-c', file], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      smtp_enablessl: true,
      smtp_username: 'smtpuser',
      smtp_password: '********',
    });
    expect(r.stdout + r.stderr).not.toMatch(/"userpassword"|: userpassword/);
  });
});

describe('serve --demo', () => {
  it('with no config file: /demo → /mfa → the code from /demo/mailbox → /demo/done', async () => {
    const demoDir = join(dir, 'demo');
    await mkdir(demoDir);
    const demo = await startServe(BIN, ['serve', '--demo', '--port', '0'], { cwd: demoDir });
    try {
      await demo.waitForStdout(/demo: {2}open http:\/\/127\.0\.0\.1:\d+\/demo in a browser/);
      expect(demo.stderr()).toContain('/demo/mailbox');
      const index = await http(`${demo.url}/demo`);
      expect(index.status).toBe(200);
      expect(index.text).toContain('alice@demo.securemfa.test');

      const start = await http(`${demo.url}/demo/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ upn: 'alice@demo.securemfa.test' }).toString(),
      });
      expect(start.status).toBe(303);
      const page = await http(new URL(start.headers.get('location')!, demo.url).href);
      expect(page.status).toBe(200);
      expect(page.text).toContain('<bdi>a***@demo.securemfa.test</bdi>');

      const mailbox = await http(`${demo.url}/demo/mailbox`);
      expect(mailbox.status).toBe(200);
      expect(mailbox.text).toContain('To alice@demo.securemfa.test');
      const code = /passcode is: (\d{6})/.exec(mailbox.text)?.[1];
      expect(code).toMatch(/^\d{6}$/);

      const form = new URLSearchParams();
      const verifyForm = page.text
        .split('<form')
        .find((f) => f.includes('name="action" value="verify"'))!;
      for (const m of verifyForm.matchAll(
        /<input type="hidden" name="([^"]+)" value="([^"]*)">/g,
      )) {
        form.set(m[1]!, m[2]!.replace(/&amp;/g, '&'));
      }
      form.set('code', code!);
      const done = await http(`${demo.url}/mfa`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
      expect(done.status).toBe(303);
      const back = await http(done.headers.get('location')!);
      expect(back.status).toBe(200);
      expect(back.text).toContain('id="signedIn"');
      expect(back.text).toContain('alice@demo.securemfa.test');
    } finally {
      const stopped = await demo.stop();
      expect(stopped.code).toBe(0);
    }
  });

  it('without --demo there is no mailbox: /demo/mailbox is 404 on a normal serve', async () => {
    expect((await http(`${serve.url}/demo/mailbox`)).status).toBe(404);
  });
});
