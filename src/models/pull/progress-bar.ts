import cliProgress from 'cli-progress';

// cli-progress is CommonJS: named imports fail under Node's ESM loader, so take them off the default export.
const { Format, SingleBar } = cliProgress;
import type { OnProgress, PullProgress } from './progress-meter.js';

export interface ProgressReporter {
  onProgress: OnProgress;
  /** Stops the bar and prints a last line; call it on success and on failure alike. */
  done(message?: string): void;
}

/** 1536 → "1.5 KB". Decimal units, as the Hub and most download tools show sizes. */
export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}

function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(r).padStart(2, '0')}s` : `${r}s`;
}

/**
 * A terminal progress bar for `pullModel`. On a TTY it redraws in place; elsewhere (CI logs, a pipe) it prints a line
 * every few seconds instead, because carriage-return redraws turn into thousands of lines in a log file.
 */
export function createProgressReporter(
  stream: NodeJS.WritableStream = process.stderr,
  opts: { label?: string } = {},
): ProgressReporter {
  const label = opts.label ?? 'pulling';
  let last: PullProgress | undefined;
  let started = false;
  const bar = new SingleBar({
    stream,
    noTTYOutput: true,
    notTTYSchedule: 5_000,
    barsize: 30,
    hideCursor: false,
    // Our own formatter: the built-in one knows no byte units and cannot drop the bar when the size is unknown.
    format: (options, params) => {
      const p = last;
      if (!p) return `${label} …`;
      const speed = `${formatBytes(p.bytesPerSecond)}/s`;
      if (p.totalBytes === undefined || p.totalBytes === 0) return `${label} ${formatBytes(p.receivedBytes)} | ${speed}`;
      const ratio = Math.min(1, p.receivedBytes / p.totalBytes);
      const eta = p.bytesPerSecond > 0 ? (p.totalBytes - p.receivedBytes) / p.bytesPerSecond : Number.NaN;
      const pct = `${Math.floor(ratio * 100)}`.padStart(3);
      return `${label} [${Format.BarFormat(params.progress, options)}] ${pct}% | ${formatBytes(p.receivedBytes)} / ${formatBytes(p.totalBytes)} | ${speed} | ETA ${formatEta(eta)}`;
    },
  });

  return {
    onProgress(p) {
      last = p;
      const total = p.totalBytes ?? 0;
      if (!started) {
        started = true;
        bar.start(total, p.receivedBytes);
        return;
      }
      if (total !== bar.getTotal()) bar.setTotal(total);
      bar.update(p.receivedBytes);
    },
    done(message) {
      if (started) bar.stop();
      if (message) stream.write(`${message}\n`);
    },
  };
}
