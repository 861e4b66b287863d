import * as domain from './index';

describe('documents domain index', () => {
  it('exports the public API of every module', () => {
    for (const name of [
      'DEFAULT_DOCUMENT_TYPES',
      'findTypeByCode',
      'findTypeByName',
      'mergeDocumentTypes',
      'formatNumber',
      'formatSymbol',
      'parseSymbol',
      'sequenceKeyFor',
      'registerYear',
      'formatVnDate',
      'duplicateKey',
      'transitionIncoming',
      'transitionOutgoing',
      'allowedIncomingActions',
      'allowedOutgoingActions',
      'validateAnnotation',
      'unwrap',
      'edxmlCodeForIncoming',
      'statusUpdateFor',
      'isOverdue',
      'addWorkingDays',
      'reminderSchedule',
      'INBOX_BOXES',
      'compareInboxItems',
      'urgencyRank',
      'canView',
    ]) {
      expect(typeof (domain as Record<string, unknown>)[name]).not.toBe('undefined');
    }
  });

  it('re-exports one and the same urgencyRank from markings and inbox', () => {
    expect(domain.urgencyRank('HOA_TOC')).toBe(3);
  });
});
