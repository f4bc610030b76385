/** What a progress bar shows; read on every repaint. */
export interface ProgressSnapshot {
  readonly rows: number;
  readonly retries: number;
  readonly throttles: number;
  /** Known total rows, for a bar and a percentage. */
  readonly total?: number;
}

export interface ProgressBarOptions {
  readonly stream: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };
  readonly label: string;
  readonly read: () => ProgressSnapshot;
  /** @default 200 */
  readonly intervalMs?: number;
  /** @default Date.now */
  readonly clock?: () => number;
}

export interface ProgressBar {
  /** Repaints once more with the final numbers and ends the line. */
  stop(): void;
}

const BAR_WIDTH = 24;

/**
 * A one-line progress display on a terminal (rows, rows/s, retries, throttles), repainted in place on a timer.
 * Does nothing when the stream is not a TTY, so pipes and log files never receive control characters.
 */
export function startProgressBar(options: ProgressBarOptions): ProgressBar {
  if (options.stream.isTTY !== true) return { stop: () => undefined };
  const clock = options.clock ?? Date.now;
  const startedAt = clock();
  let painted = false;
  const paint = (): void => {
    const line = formatProgressLine(options.label, options.read(), clock() - startedAt);
    const width = options.stream.columns ?? 120;
    // \r + erase-line: repaint in place; cut to the terminal width so the line never wraps
    options.stream.write(`\r\x1b[2K${line.length > width - 1 ? line.slice(0, width - 1) : line}`);
    painted = true;
  };
  const timer = setInterval(paint, options.intervalMs ?? 200);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      paint();
      if (painted) options.stream.write('\n');
    },
  };
}

/** `upper [#####.....] 45% 123,456/270,000 rows · 45,678 rows/s · retries 3 · throttles 1` */
export function formatProgressLine(label: string, snapshot: ProgressSnapshot, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? Math.round((snapshot.rows * 1000) / elapsedMs) : 0;
  const parts = [label];
  if (snapshot.total !== undefined && snapshot.total > 0) {
    const fraction = Math.min(1, snapshot.rows / snapshot.total);
    const filled = Math.round(fraction * BAR_WIDTH);
    parts.push(`[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${Math.floor(fraction * 100)}% ${grouped(snapshot.rows)}/${grouped(snapshot.total)} rows`);
  } else {
    parts.push(`${grouped(snapshot.rows)} rows`);
  }
  return `${parts.join(' ')} · ${grouped(rate)} rows/s · retries ${grouped(snapshot.retries)} · throttles ${grouped(snapshot.throttles)}`;
}

function grouped(value: number): string {
  return value.toLocaleString('en-US');
}
