import { CHANNEL, scopedChannel } from './pg-event-target';

describe('per-key NOTIFY channels (issue 11)', () => {
  it('meeting and lobby topics get one channel per key; other topics share CHANNEL', () => {
    expect(scopedChannel('meetingChanged:0190a0b1-0000-7000-8000-000000000001')).toBe('cv.meetingChanged:0190a0b1-0000-7000-8000-000000000001');
    expect(scopedChannel('lobbyChanged:0190a0b1-0000-7000-8000-000000000001')).toBe('cv.lobbyChanged:0190a0b1-0000-7000-8000-000000000001');
    expect(scopedChannel('documentChanged:0190a0b1-0000-7000-8000-000000000001')).toBeNull();
    expect(scopedChannel('meetingChanged')).toBeNull();
    // Keys that would not make a safe identifier stay on the shared channel.
    expect(scopedChannel('meetingChanged:a"b')).toBeNull();
    expect(scopedChannel(`meetingChanged:${'x'.repeat(80)}`)).toBeNull();
    expect(CHANNEL).toBe('congvan_events');
  });
});
