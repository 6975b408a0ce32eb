import { readFileSync } from 'node:fs';

/**
 * This process's own peak memory in MiB. On Linux, getrusage's maxRSS carries over the parent's
 * peak through fork and exec (a child of a 500 MiB benchmark reports 500 MiB), so /proc's VmHWM,
 * which belongs to this program's own memory, is read where it exists.
 */
export function peakRssMiB(): number {
  try {
    const kib = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kib) return Math.round(Number(kib) / 1024);
  } catch {
    // not Linux
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
