import { decideRestart, DEFAULT_RESTART_POLICY as P } from './restart-policy';

describe('restart policy of npm start', () => {
  it('restarts a child that crashed after running a long time at once, with a fresh count', () => {
    expect(decideRestart(3, P.stableAfterMs)).toEqual({ action: 'restart', delayMs: P.baseDelayMs, quickCrashes: 0 });
  });

  it('backs off exponentially while the child keeps crashing soon after it started', () => {
    const delays: number[] = [];
    let n = 0;
    for (let i = 0; i < P.maxQuickCrashes - 1; i++) {
      const d = decideRestart(n, 10);
      if (d.action !== 'restart') throw new Error(`gave up after ${i} crashes`);
      delays.push(d.delayMs);
      n = d.quickCrashes;
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000]);
  });

  it('gives up after maxQuickCrashes quick crashes in a row', () => {
    expect(decideRestart(P.maxQuickCrashes - 1, 10)).toEqual({ action: 'give-up', quickCrashes: P.maxQuickCrashes });
  });

  it('never waits longer than maxDelayMs', () => {
    const policy = { ...P, maxQuickCrashes: 100 };
    expect(decideRestart(20, 10, policy)).toEqual({ action: 'restart', delayMs: P.maxDelayMs, quickCrashes: 21 });
  });
});
