/** What the system benchmark reads off the machine and the services while it runs. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** Latencies by label (endpoint), with p50/p99 over each. */
export class Latencies {
  private readonly byLabel = new Map<string, number[]>();

  add(label: string, ms: number): void {
    const list = this.byLabel.get(label) ?? [];
    list.push(ms);
    this.byLabel.set(label, list);
  }

  summary(): Array<{ label: string; n: number; p50: number; p99: number; max: number }> {
    return [...this.byLabel].map(([label, list]) => {
      const sorted = [...list].sort((a, b) => a - b);
      return { label, n: sorted.length, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted.at(-1)! };
    });
  }
}

/** Prometheus text format → samples; enough for counters and gauges. */
export function parseMetrics(text: string): Array<{ name: string; labels: Record<string, string>; value: number }> {
  const samples = [];
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z_:][\w:]*)(?:\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const pair of (m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)) labels[pair[1]] = pair[2];
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

export interface ProcessSample {
  /** CPU seconds (user + system) since the process started. */
  cpuSeconds: number;
  rssBytes: number;
}

const CLOCK_TICKS = 100; // Linux USER_HZ

function readProcess(pid: number): ProcessSample | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the command name (which may contain spaces) start at ") "
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    const rss = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return { cpuSeconds, rssBytes: rss ? Number(rss[1]) * 1024 : 0 };
  } catch {
    return undefined; // gone
  }
}

/** Pids whose command line contains `needle` (e.g. every postgres backend). */
export function pidsMatching(needle: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
      } catch {
        return false;
      }
    });
}

/** A named group of processes (one service, or all of PostgreSQL), summed. */
export interface ProcessGroup {
  name: string;
  pids: () => number[];
}

export function sampleGroups(groups: readonly ProcessGroup[]): Map<string, ProcessSample> {
  const out = new Map<string, ProcessSample>();
  for (const g of groups) {
    const total = { cpuSeconds: 0, rssBytes: 0 };
    for (const pid of g.pids()) {
      const s = readProcess(pid);
      if (s) {
        total.cpuSeconds += s.cpuSeconds;
        total.rssBytes += s.rssBytes;
      }
    }
    out.set(g.name, total);
  }
  return out;
}

/** The FerretDB process infra/ferretdb.sh started, if that is the store. */
export function ferretdbPid(): number | undefined {
  const file = path.join(
    process.env.AFTERSALES_STATE_DIR ?? path.join(os.homedir(), '.cache/aftersales'),
    'ferretdb/pid',
  );
  try {
    return Number(fs.readFileSync(file, 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

/** Machine-wide CPU busy fraction between two /proc/stat readings. */
export function cpuTimes(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  const idle = line[3] + (line[4] ?? 0);
  const total = line.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

export const cpuModel = (): string =>
  `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`;

export const gitRevision = (root: string): string => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
};
