// Certificates for the SMTP TLS suites, made with the real `openssl` binary in a temp folder: a
// private test CA, a server certificate it signs (SAN IP:127.0.0.1, DNS:localhost — so a client
// verifies the server at 127.0.0.1 against that CA alone), and a second, unrelated CA (a client
// trusting only that one must refuse the server). Every openssl call is bounded in time.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The made files and their contents. */
export interface SmtpTestPki {
  /** PEM of the CA that signed the server certificate. */
  caPem: string;
  caFile: string;
  /** PEM of an unrelated CA (did not sign anything the server shows). */
  otherCaFile: string;
  /** The server certificate and key (PEM). */
  certPem: string;
  keyPem: string;
}

function openssl(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      'openssl',
      args,
      { cwd, timeout: 20_000, killSignal: 'SIGKILL' },
      (err, _stdout, stderr) => {
        if (err !== null) reject(new Error(`openssl ${args[0]} failed: ${err.message}\n${stderr}`));
        else resolve();
      },
    );
  });
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function makeCa(dir: string, name: string, cn: string): Promise<void> {
  await openssl(
    [
      'req',
      '-x509',
      ...EC_KEY,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-subj',
      `/CN=${cn}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
}

/**
 * Make the test PKI in `dir` (which must exist). Fails loudly when openssl is missing or fails.
 *
 * @param dir - a temp folder
 * @returns file paths and PEM texts
 */
export async function makeSmtpTestPki(dir: string): Promise<SmtpTestPki> {
  await makeCa(dir, 'ca', 'SecureMFA SMTP Test CA');
  await makeCa(dir, 'other-ca', 'Some Other CA');
  await openssl(
    [
      'req',
      ...EC_KEY,
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
      '-subj',
      '/CN=smtp.securemfa.test',
    ],
    dir,
  );
  await writeFile(
    join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n',
  );
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.pem',
      '-days',
      '2',
      '-extfile',
      'server.ext',
    ],
    dir,
  );
  return {
    caPem: await readFile(join(dir, 'ca.pem'), 'utf8'),
    caFile: join(dir, 'ca.pem'),
    otherCaFile: join(dir, 'other-ca.pem'),
    certPem: await readFile(join(dir, 'server.pem'), 'utf8'),
    keyPem: await readFile(join(dir, 'server.key'), 'utf8'),
  };
}
