/**
 * A description of the machine a benchmark ran on, for the report (numbers from different
 * machines are not comparable; the report says which machine it is).
 *
 * @module bench
 */
import { arch, cpus, loadavg, release, totalmem, type } from 'node:os';
import type { MachineDescription } from './types.js';

/**
 * Describe this machine: OS, CPU, memory, Node/V8/OpenSSL versions, current load.
 *
 * @returns the description (no host name, user name or address)
 * @example
 * ```ts
 * describeMachine().cpuCount; // 8
 * ```
 */
export function describeMachine(): MachineDescription {
  const cpuList = cpus();
  return {
    os: `${type()} ${release()}`,
    arch: arch(),
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cpuCount: cpuList.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    v8: process.versions.v8,
    openssl: process.versions.openssl ?? 'unknown',
    loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}
