import type { AutocannonResult } from 'autocannon';

export interface Row {
  scenario: string;
  target: 'app' | 'floor';
  reqPerSec?: number;
  p50?: number;
  p99?: number;
  requests?: number;
  errors?: number;
  non2xx?: number;
  rssMb?: number;
  /** app rows: app req/s ÷ floor req/s of the same scenario (when it has a floor). */
  ratioToFloor?: number;
  note?: string;
  /** Self-measuring scenarios: named metrics (ms) and the line explaining them. */
  metrics?: Record<string, number>;
  summary?: string;
}

export function toRow(scenario: string, target: Row['target'], r: AutocannonResult, rssMb?: number): Row {
  return {
    scenario,
    target,
    // total ÷ elapsed: also right for amount-bounded runs, whose last second is partial
    reqPerSec: r.duration > 0 ? r.requests.total / r.duration : r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    rssMb,
  };
}

export function printTable(rows: Row[]): void {
  const header = [
    'scenario',
    'target',
    'req/s',
    'p50 ms',
    'p99 ms',
    '÷ floor',
    'requests',
    'errors/non-2xx',
    'app RSS MB',
  ];
  const body = rows.map((r) =>
    r.note
      ? [r.scenario, r.target, `skipped: ${r.note}`, '', '', '', '', '', '']
      : [
          r.scenario,
          r.target,
          (r.reqPerSec ?? 0).toFixed(1),
          String(r.p50 ?? ''),
          String(r.p99 ?? ''),
          r.ratioToFloor === undefined || !Number.isFinite(r.ratioToFloor)
            ? ''
            : `${(r.ratioToFloor * 100).toFixed(0)} %`,
          String(r.requests ?? ''),
          `${r.errors ?? 0}/${r.non2xx ?? 0}`,
          r.rssMb === undefined ? '' : String(r.rssMb),
        ],
  );
  const widths = header.map((h, i) =>
    Math.max(h.length, ...body.filter((b) => !b[2]!.startsWith('skipped')).map((b) => b[i]!.length)),
  );
  const line = (cells: string[]) =>
    cells[2]!.startsWith('skipped')
      ? `| ${cells[0]!.padEnd(widths[0]!)} | ${cells[1]!.padEnd(widths[1]!)} | ${cells[2]}`
      : `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const b of body) console.log(line(b));
}
