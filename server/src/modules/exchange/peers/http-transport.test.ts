import { endpointUrl, outcomeOf } from './http-transport';

describe('HTTP transport: answers → outcomes', () => {
  it('only a 200 with an ack is an acknowledgement', () => {
    expect(outcomeOf({ status: 200, body: '{"ack":"a1","duplicate":true}' })).toEqual({ kind: 'ACK', ack: 'a1', duplicate: true });
    expect(outcomeOf({ status: 200, body: '{"ack":"a1"}' })).toEqual({ kind: 'ACK', ack: 'a1', duplicate: false });
    expect(outcomeOf({ status: 200, body: 'OK' }).kind).toBe('RETRY');
    expect(outcomeOf({ status: 200, body: '{"ack":""}' }).kind).toBe('RETRY');
  });

  it('a refusal with a reason is permanent; auth, overload and server errors are retried', () => {
    expect(outcomeOf({ status: 400, body: '{"reason":"edXMLEnvelope/MessageHeader/From: thiếu OrganId"}' })).toEqual({ kind: 'PERMANENT', reason: 'edXMLEnvelope/MessageHeader/From: thiếu OrganId' });
    expect(outcomeOf({ status: 413, body: '{"reason":"quá lớn"}' })).toEqual({ kind: 'PERMANENT', reason: 'quá lớn' });
    expect(outcomeOf({ status: 401, body: '{"reason":"stale"}' }).kind).toBe('RETRY');
    expect(outcomeOf({ status: 503, body: '{"reason":"x"}', retryAfter: '30' })).toEqual({ kind: 'RETRY', error: 'HTTP 503: x', retryAfterMs: 30_000 });
    expect(outcomeOf({ status: 502, body: '<html>bad gateway</html>' }).kind).toBe('RETRY');
    expect(outcomeOf({ status: 429, body: '' }).kind).toBe('RETRY');
  });

  it('keeps a base URL path prefix', () => {
    expect(endpointUrl('https://cv.example.vn/lien-thong/', '/exchange/v1/messages').toString()).toBe('https://cv.example.vn/lien-thong/exchange/v1/messages');
    expect(endpointUrl('http://127.0.0.1:8081', '/exchange/v1/directory').toString()).toBe('http://127.0.0.1:8081/exchange/v1/directory');
  });
});
