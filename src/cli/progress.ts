/**
 * A progress line for long reads on stderr: bytes read / file size, %, MB/s.
 * On a terminal it redraws one line with a bar at most 4 times a second;
 * otherwise it writes a plain line at most every 5 seconds (logs of a scheduled job).
 */
const BAR = 24;

export function progressReporter(out: NodeJS.WriteStream, total: number, now: () => number = () => Date.now()) {
  const started = now();
  const tty = Boolean(out.isTTY);
  const every = tty ? 250 : 5000;
  let last = 0;
  let bytes = 0;
  const line = () => {
    const seconds = Math.max((now() - started) / 1000, 0.001);
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    const pct = total > 0 ? Math.min(100, (bytes / total) * 100) : 100;
    const text = `${mb(bytes)} / ${mb(total)} MB  ${pct.toFixed(1)} %  ${(bytes / 1024 / 1024 / seconds).toFixed(1)} MB/s`;
    if (!tty) return text;
    const filled = Math.round((pct / 100) * BAR);
    return `[${'█'.repeat(filled)}${'░'.repeat(BAR - filled)}] ${text}`;
  };
  return {
    update: (read: number) => {
      bytes = read;
      const t = now();
      if (t - last < every) return;
      last = t;
      out.write(tty ? `\r${line()}` : `${line()}\n`);
    },
    done: () => out.write(tty ? `\r${line()}\n` : `${line()}\n`),
  };
}
