/**
 * The progress bar of `trajan score`: shown only on a terminal (never in pipes or logs), with
 * rows/s and, when the input size is known, the share read and an ETA. Built on cli-progress.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  update(bytesRead: number, rows: number): void;
  stop(): void;
}

export function progressBar(stream: NodeJS.WriteStream, totalBytes: number | undefined): Progress | undefined {
  if (!stream.isTTY) return undefined;
  const known = totalBytes !== undefined && totalBytes > 0;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: known ? '{bar} {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}' : '{rows} rows | {rate} rows/s',
      hideCursor: true,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  bar.start(known ? totalBytes : 1, 0, { rows: 0, rate: 0 });
  return {
    update(bytesRead, rows) {
      const rate = Math.round(rows / Math.max((performance.now() - started) / 1000, 1e-3));
      bar.update(known ? bytesRead : 0, { rows, rate });
    },
    stop() {
      bar.stop();
    },
  };
}
