import { until } from './until';

describe('until: waiting for what happens on its own time', () => {
  it('returns the first truthy value read', async () => {
    let n = 0;
    await expect(until('the third read', () => (++n >= 3 ? `read ${n}` : null), 5_000)).resolves.toBe('read 3');
  });

  it('with ok(): returns the first value ok() accepts, falsy ones included', async () => {
    let n = 3;
    await expect(until('zero', async () => --n, (v) => v === 0, 5_000)).resolves.toBe(0);
  });

  it('throws after the timeout, naming what it waited for and the last value read', async () => {
    await expect(until('the 01 from Sở Nội vụ', async () => ({ statusCode: '02' }), (r) => r.statusCode === '01', 250)).rejects.toThrow(
      'still waiting for the 01 from Sở Nội vụ after 0.25 s; last read: {"statusCode":"02"}',
    );
  });

  it('a read that throws ends the wait with that error', async () => {
    await expect(until('a broken read', async () => Promise.reject(new Error('connection refused')), 5_000)).rejects.toThrow('connection refused');
  });
});
