import { describe, expect, it } from 'vitest';
import { progressReporter } from '../../src/cli/progress.js';

/** The operators' progress line: a redrawn bar on a terminal, plain spaced-out lines in a log. */
function fakeStream(isTTY: boolean) {
  const written: string[] = [];
  return { stream: { isTTY, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream, written };
}

describe('progressReporter', () => {
  it('redraws one line with a bar on a terminal, at most four times a second', () => {
    let t = 0;
    const { stream, written } = fakeStream(true);
    const p = progressReporter(stream, 100 * 1024 * 1024, () => t);
    t = 1000;
    p.update(50 * 1024 * 1024);
    p.update(60 * 1024 * 1024); // same instant: not drawn
    t = 2000;
    p.done();
    expect(written).toHaveLength(2);
    expect(written[0]).toMatch(/^\r\[█{12}░{12}\] 50\.0 \/ 100\.0 MB {2}50\.0 % {2}50\.0 MB\/s$/);
    expect(written[1]).toMatch(/^\r\[█{14}░{10}\] 60\.0 \/ 100\.0 MB {2}60\.0 %.*\n$/);
  });

  it('writes plain lines every five seconds when stderr is not a terminal', () => {
    let t = 0;
    const { stream, written } = fakeStream(false);
    const p = progressReporter(stream, 10 * 1024 * 1024, () => t);
    for (t = 1000; t <= 12_000; t += 1000) p.update(t * 512);
    expect(written).toEqual(['2.4 / 10.0 MB  24.4 %  0.5 MB/s\n', '4.9 / 10.0 MB  48.8 %  0.5 MB/s\n']);
  });
});
