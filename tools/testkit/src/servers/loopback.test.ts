// closedPort: a loopback port that refuses connections, picked below the system's ephemeral
// range (so neither another test's listen(0) nor the source port of the connection to it can
// take it), and still refused when connected to.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { closedPort } from './loopback.js';

const ephemeralLow = (): number =>
  Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);

function connectError(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

describe('closedPort', () => {
  it('is below the ephemeral range, at or above 20000, and refuses connections', async () => {
    const low = ephemeralLow();
    const ports = await Promise.all(Array.from({ length: 10 }, () => closedPort()));
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(low);
      expect(await connectError(port)).toBe('ECONNREFUSED');
    }
  });
});
