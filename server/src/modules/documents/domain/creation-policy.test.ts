import { canBeSigner, canDraftOutgoing, canRegisterIncoming } from './creation-policy';
import { EVERYONE } from './test-fixtures';

describe('who may start a document', () => {
  it('registers incoming: the văn thư; drafts outgoing: chuyên viên, trưởng phòng, lãnh đạo; signs: lãnh đạo', () => {
    expect(EVERYONE.filter(canRegisterIncoming).map((v) => v.userId)).toEqual(['vt', 'vt-b']);
    expect(EVERYONE.filter(canDraftOutgoing).map((v) => v.userId)).toEqual(['ld1', 'ld2', 'tp-vp', 'tp-kt', 'cv-kt1', 'cv-kt2', 'tp-tc', 'cv-tc', 'ld-b']);
    expect(EVERYONE.filter(canBeSigner).map((v) => v.userId)).toEqual(['ld1', 'ld2', 'ld-b']);
  });
});
