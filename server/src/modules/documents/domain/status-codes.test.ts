import { INCOMING_STATES } from './incoming-workflow';
import {
  EDXML_STATUS,
  EDXML_STATUS_CODES,
  RECIPIENT_STATUSES,
  RECIPIENT_STATUS_LABELS,
  edxmlCodeForIncoming,
  edxmlCodeOf,
  isFinalRecipientStatus,
  parseEdxmlStatusCode,
  recipientStatusForIncoming,
  recipientStatusOf,
  statusUpdateFor,
} from './status-codes';

describe('edXML status codes', () => {
  it('maps each code to its recipient status and back', () => {
    expect(EDXML_STATUS_CODES.map((c) => [c, recipientStatusOf(c)])).toEqual([
      ['01', 'DELIVERED'],
      ['02', 'REJECTED'],
      ['03', 'RECEIVED'],
      ['04', 'ASSIGNED'],
      ['05', 'IN_PROGRESS'],
      ['06', 'DONE'],
      ['13', 'RECALL_REQUESTED'],
      ['15', 'RECALL_ACCEPTED'],
      ['16', 'RECALL_REFUSED'],
    ]);
    for (const s of RECIPIENT_STATUSES) expect(recipientStatusOf(edxmlCodeOf(s))).toBe(s);
  });

  it('has Vietnamese labels and descriptions; 02 requires a reason; 13 is sent by the sender', () => {
    expect(RECIPIENT_STATUS_LABELS.DELIVERED).toBe('Đã đến');
    expect(RECIPIENT_STATUS_LABELS.REJECTED).toBe('Từ chối tiếp nhận');
    expect(RECIPIENT_STATUS_LABELS.RECEIVED).toBe('Đã tiếp nhận');
    expect(RECIPIENT_STATUS_LABELS.ASSIGNED).toBe('Phân công');
    expect(RECIPIENT_STATUS_LABELS.IN_PROGRESS).toBe('Đang xử lý');
    expect(RECIPIENT_STATUS_LABELS.DONE).toBe('Hoàn thành');
    expect(EDXML_STATUS['05'].description).toBe('Đang xử lý văn bản đến');
    expect(EDXML_STATUS_CODES.filter((c) => EDXML_STATUS[c].requiresReason)).toEqual(['02']);
    expect(EDXML_STATUS_CODES.filter((c) => EDXML_STATUS[c].sentBy === 'SENDER')).toEqual(['13']);
    for (const c of EDXML_STATUS_CODES) expect(EDXML_STATUS[c].label).toBe(EDXML_STATUS[c].label.normalize('NFC'));
  });

  it('parses StatusCode text leniently but only known codes', () => {
    expect(parseEdxmlStatusCode('05')).toBe('05');
    expect(parseEdxmlStatusCode(' 5 ')).toBe('05');
    expect(parseEdxmlStatusCode(6)).toBe('06');
    expect(parseEdxmlStatusCode('13')).toBe('13');
    for (const bad of ['07', '14', '00', '', 'ab', '123', '5.0', -1]) expect(parseEdxmlStatusCode(bad)).toBeNull();
  });

  it('rejects unknown values', () => {
    expect(() => edxmlCodeOf('LOST' as never)).toThrow(RangeError);
    expect(() => recipientStatusOf('99' as never)).toThrow(RangeError);
    expect(() => recipientStatusForIncoming('LIMBO' as never)).toThrow(RangeError);
  });
});

describe('recipient status from the incoming document state', () => {
  it('follows 01 → 03 → 04 → 05 → 06, with 02 for rejection', () => {
    expect(Object.fromEntries(INCOMING_STATES.map((s) => [s, edxmlCodeForIncoming(s)]))).toEqual({
      RECEIVED: '01',
      REGISTERED: '03',
      SUBMITTED: '03',
      ASSIGNED: '04',
      IN_PROGRESS: '05',
      DONE: '06',
      FOR_INFO: '06',
      RETURNED: '03', // an internal return is not an edXML rejection
      ANNULLED: '03', // hủy vào sổ corrects the recipient's register; it is not an edXML rejection
      REJECTED: '02',
    });
  });

  it('only emits a STATUS message when the reported code changes', () => {
    expect(statusUpdateFor(null, 'RECEIVED')).toBe('01');
    expect(statusUpdateFor('RECEIVED', 'REGISTERED')).toBe('03');
    expect(statusUpdateFor('REGISTERED', 'SUBMITTED')).toBeNull();
    expect(statusUpdateFor('SUBMITTED', 'ASSIGNED')).toBe('04');
    expect(statusUpdateFor('ASSIGNED', 'IN_PROGRESS')).toBe('05');
    expect(statusUpdateFor('IN_PROGRESS', 'DONE')).toBe('06');
    expect(statusUpdateFor('RECEIVED', 'REJECTED')).toBe('02');
    expect(statusUpdateFor('IN_PROGRESS', 'RETURNED')).toBe('03');
  });

  it('knows the final statuses', () => {
    expect(RECIPIENT_STATUSES.filter(isFinalRecipientStatus)).toEqual(['REJECTED', 'DONE', 'RECALL_ACCEPTED']);
  });
});
