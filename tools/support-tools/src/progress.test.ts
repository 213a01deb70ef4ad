import { describe, expect, it } from '@jest/globals';
import { startProgress } from './progress.js';
import { memoryToolsIo } from './tools-io.js';

describe('startProgress', () => {
  it('draws nothing when stderr is not a terminal', () => {
    const io = memoryToolsIo();
    const p = startProgress(io, 'export', 10);
    for (let i = 1; i <= 10; i += 1) p.update(i);
    p.done();
    expect(io.stderr()).toBe('');
  });

  it('redraws at most every 100 ms and always at the end, on one line', () => {
    let t = 0;
    const io = memoryToolsIo({ stderrIsTty: true, now: () => new Date(t) });
    const p = startProgress(io, 'rekey', 4);
    p.update(1); // drawn (first)
    t = 50;
    p.update(2); // too soon
    t = 200;
    p.update(3); // drawn
    t = 210;
    p.update(4); // last: drawn
    p.done();
    const frames = io.stderr().split('\r').filter(Boolean);
    const ERASE = '\u001b[K';
    expect(frames.map((f) => f.replace(/\n$/, '').replace(ERASE, ''))).toEqual([
      expect.stringMatching(/^rekey \[#+-+\] {2}25% 1\/4$/),
      expect.stringMatching(/^rekey \[#+-+\] {2}75% 3\/4$/),
      expect.stringMatching(/^rekey \[#+\] 100% 4\/4$/),
      expect.stringMatching(/^rekey \[#+\] 100% 4\/4$/),
    ]);
    expect(io.stderr().endsWith('\n')).toBe(true);
  });
});
