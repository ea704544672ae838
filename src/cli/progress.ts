/**
 * A progress bar (cli-progress) on stderr while a large file is read: shown only when stderr is a
 * terminal, the size is known and the file is larger than {@link LARGE_INPUT} bytes.
 */
import cliProgress from "cli-progress";
import type { DataSource } from "./data.js";
import { int } from "./format.js";
import type { CliIo } from "./io.js";

export const LARGE_INPUT = 32 * 1024 * 1024;

export interface Progress {
  /** Called after each record; updates the bar at most every 100 ms. */
  tick(records: number): void;
  stop(): void;
}

const NONE: Progress = { tick: () => {}, stop: () => {} };

export function progressFor(data: DataSource, io: CliIo, enabled: boolean): Progress {
  const size = data.size;
  if (!enabled || !io.stderr.isTTY || size === undefined || size < LARGE_INPUT) return NONE;
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderr as NodeJS.WritableStream,
      format: " {bar} {percentage}% | {mb}/{totalMb} MB | {records} records | ETA {eta_formatted}",
      barsize: 30,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  const totalMb = (size / 1048576).toFixed(0);
  bar.start(size, 0, { mb: "0", totalMb, records: "0" });
  let last = 0;
  return {
    tick(records) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const read = Math.min(size, data.bytesRead());
      bar.update(read, { mb: (read / 1048576).toFixed(0), records: int(records) });
    },
    stop() {
      bar.stop();
    },
  };
}
