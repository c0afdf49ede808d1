/** Where progress goes: a stream with an optional TTY flag (`process.stderr`). */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Reports item progress on stderr. */
export interface Progress {
  /** One item done; `status` is a short word (`accepted`, `rejected`, `skipped`). */
  tick(path: string, status: string): void;
  /** A message that must stay visible (a skipped file); keeps the bar intact on a TTY. */
  note(message: string): void;
  done(): void;
}

const WIDTH = 28;

/**
 * A progress bar redrawn in place on a TTY, one plain line per item otherwise (CI logs, pipes).
 *
 * @example
 * ```ts
 * const progress = createProgress(process.stderr, items.length);
 * progress.tick("attack/print/a.jpg", "rejected");
 * ```
 */
export function createProgress(stream: ProgressStream, total: number): Progress {
  let done = 0;
  const tty = stream.isTTY === true;
  const bar = (path: string): string => {
    const filled = total === 0 ? WIDTH : Math.round((done / total) * WIDTH);
    return `\r\x1b[K[${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${done}/${total} ${path}`;
  };
  return {
    tick(path, status) {
      done++;
      stream.write(tty ? bar(path) : `[${done}/${total}] ${path}: ${status}\n`);
    },
    note(message) {
      stream.write(tty ? `\r\x1b[K${message}\n${bar("")}` : `${message}\n`);
    },
    done() {
      if (tty) stream.write("\n");
    },
  };
}
