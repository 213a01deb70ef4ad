// Where the code e-mail goes when user attributes come from a real Active Directory (the Samba
// AD DC of tools/testenv/samba-dc.sh on 127.0.0.1, shared by lease): with ldap_url set (store:
// SQLite) the AD `mail` attribute wins over the store's e-mail field; an AD user without mail
// gets it at the UPN; in auth_mode AD (store and directory both AD) a whole sign-in over the HTTP
// API sends to the AD mail and counts the logon in AD. An unreachable directory fails begin
// before anything is sent.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { generateSecret } from '@securemfa/core';
import {
  closedPort,
  createAdUser,
  deleteAdUsers,
  readRaw,
  releaseSambaDc,
  startSambaDc,
  uniqueSuffix,
  type AdTestUser,
  type SambaDc,
} from '@securemfa/testkit';
import {
  emailConfig,
  emailNodeJson,
  startEmailNode,
  type EmailNode,
} from '../helpers/smtp-email-node.js';
import { codeInMail, startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';

jest.setTimeout(60_000);

let dc: SambaDc;
let dir: string;
let smtp: TestSmtpServer;
let withMail: AdTestUser;
let withoutMail: AdTestUser;
let adMail: string;
const created: AdTestUser[] = [];
const nodes: EmailNode[] = [];

beforeAll(async () => {
  dc = await startSambaDc();
  process.stderr.write(`[email-otp ad] Samba DC ${dc.started} in ${dc.startMs} ms\n`);
  dir = await mkdtemp(join(tmpdir(), 'e2e-email-ad-'));
  smtp = await startSmtpServer();
  const sfx = uniqueSuffix();
  adMail = `fox.mulder.${sfx}@mail.example`;
  withMail = await createAdUser(dc, `Fox.Mulder.${sfx}@adatum.labnet`, {
    attributes: { mail: adMail },
  });
  withoutMail = await createAdUser(dc, `no.mail.${sfx}@adatum.labnet`);
  created.push(withMail, withoutMail);
}, 700_000);

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.close()));
  await smtp?.close();
  if (dc !== undefined) await deleteAdUsers(dc, created);
  await releaseSambaDc();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
}, 120_000);

beforeEach(() => smtp.reset());

const ldapKeys = () => ({
  ldap_url: dc.url,
  ldap_base_dn: dc.baseDn,
  ldap_bind_dn: dc.adminUpn,
  ldap_bind_password: dc.adminPassword,
  ldap_timeout_ms: '10000',
});

async function start(extra: Record<string, string>): Promise<EmailNode> {
  const n = await startEmailNode(emailConfig(emailNodeJson(dir, smtp.port, extra)), {
    configDir: dir,
  });
  nodes.push(n);
  return n;
}

async function signIn(n: EmailNode, upn: string): Promise<string[]> {
  const b = await n.begin(upn);
  expect(b.json.status).toBe('code_sent');
  const [mail] = await smtp.waitForMails(1);
  const e = await n.end(b.json.context, codeInMail(mail!));
  expect(e.json.ok).toBe(true);
  return mail!.to;
}

describe('ldap_url set (store: SQLite): the recipient is the AD mail attribute', () => {
  it('AD mail wins over the store’s e-mail field; the page shows the AD address masked', async () => {
    const n = await start(ldapKeys());
    expect(n.runtime.directory.kind).toBe('ldap');
    expect(n.runtime.store.kind).toBe('sqlite');
    await n.runtime.store.enrol(
      withMail.upn,
      n.runtime.cipher.encrypt(generateSecret()),
      new Date(),
      { email: 'stale.address@mail.example' },
    );
    const b = await n.begin(withMail.upn);
    expect(b.json.presentation.destination).toBe('f***@mail.example');
    const [mail] = await smtp.waitForMails(1);
    expect(mail!.to).toEqual([adMail]);
    expect((await n.end(b.json.context, codeInMail(mail!))).json.ok).toBe(true);
  });

  it('an AD user without mail: the code goes to the UPN', async () => {
    const n = await start(ldapKeys());
    expect(await signIn(n, withoutMail.upn)).toEqual([withoutMail.upn]);
  });

  it('control: without ldap_url the same user’s code goes to the UPN (the AD mail came from AD)', async () => {
    const n = await start({});
    expect(n.runtime.directory.kind).toBe('store');
    expect(await signIn(n, withMail.upn)).toEqual([withMail.upn]);
  });

  it('the directory cannot be reached: begin answers 503 without internals, nothing is sent', async () => {
    const port = await closedPort();
    const n = await start({
      ...ldapKeys(),
      ldap_url: `ldap://127.0.0.1:${port}`,
      ldap_timeout_ms: '1000',
    });
    const b = await n.begin(withMail.upn);
    // The adapter API answers 503 (the store or directory is down: the caller may retry later).
    expect(b.status).toBe(503);
    expect(b.json).toEqual({ error: 'temporarily_unavailable' });
    expect(b.text).not.toMatch(/\n\s+at |\.js:\d+/);
    await new Promise((r) => setTimeout(r, 100));
    expect(smtp.envelopes).toBe(0);
  });
});

describe('auth_mode AD: store and directory are AD', () => {
  it('a whole sign-in over the HTTP API: the code goes to the AD mail, the AD store counts the logon', async () => {
    const n = await start({
      auth_mode: 'AD',
      ...ldapKeys(),
      data_encryption_passphrase: randomBytes(18).toString('base64url'),
    });
    expect(n.runtime.store.kind).toBe('ad');
    expect(await signIn(n, withMail.upn)).toEqual([adMail]);
    const raw = await readRaw(dc, withMail.dn, ['sMFA-OTP-logoncount', 'sMFA-OTP-secret']);
    expect(raw['sMFA-OTP-logoncount']).toEqual(['1']);
    expect(raw['sMFA-OTP-secret']?.[0]).toMatch(/^v2/);
  });
});
