/**
 * A progress bar on stderr for long work (rekey, import, export), drawn only when stderr is a
 * terminal; otherwise nothing at all, so logs and pipes stay clean.
 *
 * @module progress
 */
import type { ToolsIo } from './tools-io.js';

/** A running progress display. */
export interface Progress {
  /** Set the number of items done. */
  update(done: number): void;
  /** Draw the final state and end the line. */
  done(): void;
}

/** Redraw at most this often (ms), plus on the last item. */
const REDRAW_MS = 100;

/**
 * Start a progress bar.
 *
 * @param io - CLI I/O (stderr, whether it is a terminal, its width, the clock)
 * @param label - what is being done, e.g. `rekey`
 * @param total - how many items there are (0 or unknown: a counter without a bar)
 * @returns the progress display (a no-op when stderr is not a terminal)
 */
export function startProgress(io: ToolsIo, label: string, total: number): Progress {
  if (!io.stderrIsTty) return { update: () => undefined, done: () => undefined };
  let last = -Infinity;
  let current = 0;
  let drawn = false;
  const draw = (): void => {
    const count = total > 0 ? `${current}/${total}` : String(current);
    let bar = '';
    if (total > 0) {
      const width = Math.max(
        10,
        Math.min(40, (io.columns || 80) - label.length - count.length - 12),
      );
      const filled = Math.min(width, Math.round((current / total) * width));
      const pct = Math.min(100, Math.floor((current / total) * 100));
      bar = ` [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(pct).padStart(3)}%`;
    }
    io.err(`\r${label}${bar} ${count}\u001b[K`);
    drawn = true;
  };
  return {
    update(done) {
      current = done;
      const t = io.now().getTime();
      if (t - last >= REDRAW_MS || (total > 0 && done >= total)) {
        last = t;
        draw();
      }
    },
    done() {
      draw();
      if (drawn) io.err('\n');
    },
  };
}
