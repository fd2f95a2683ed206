export interface PullProgress {
  /** Bytes of the file on disk so far, including bytes kept from an earlier, interrupted pull. */
  receivedBytes: number;
  /** Size of the whole file, when the server said. */
  totalBytes?: number;
  /** Download rate over the last few seconds (bytes received in this pull only, so a resume does not inflate it). */
  bytesPerSecond: number;
}

export type OnProgress = (p: PullProgress) => void;

const WINDOW_MS = 5_000;
const INTERVAL_MS = 100;

/**
 * Rate over a sliding window, reported at most every 100 ms: chunks arrive every few KiB, and a callback that redraws a
 * terminal on each would cost more than the download.
 */
export class ProgressMeter {
  private samples: Array<[number, number]> = [];
  private downloaded = 0;
  private lastReport = 0;

  constructor(
    private readonly onProgress: OnProgress | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** Called for every chunk; `receivedBytes` is the file size so far. */
  add(chunkBytes: number, receivedBytes: number, totalBytes: number | undefined): void {
    this.downloaded += chunkBytes;
    const t = this.now();
    this.samples.push([t, this.downloaded]);
    while (this.samples.length > 2 && this.samples[0][0] < t - WINDOW_MS) this.samples.shift();
    if (t - this.lastReport >= INTERVAL_MS) this.report(receivedBytes, totalBytes);
  }

  /** Always reports, e.g. once at the start (to show a resume offset) and once at the end. */
  report(receivedBytes: number, totalBytes: number | undefined): void {
    if (!this.onProgress) return;
    this.lastReport = this.now();
    this.onProgress({ receivedBytes, totalBytes, bytesPerSecond: this.rate() });
  }

  private rate(): number {
    if (this.samples.length < 2) return 0;
    const [t0, b0] = this.samples[0];
    const [t1, b1] = this.samples[this.samples.length - 1];
    return t1 > t0 ? ((b1 - b0) * 1000) / (t1 - t0) : 0;
  }
}
