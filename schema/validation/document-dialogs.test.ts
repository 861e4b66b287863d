import { annotateFieldOf, annotateForm, completeForm, progressForm, type AnnotateFormInput } from './document-dialogs';

describe('document dialogs (shared rules)', () => {
  const today = '2026-12-07';
  const base: AnnotateFormInput = { instruction: '', forInfo: false, lead: { target: 'unit:kt', deadline: '10/12/2026' }, coordinators: [], watcherIds: [] };

  it('bút phê: one chủ trì, deadlines not before today, no chủ trì as phối hợp, no phối hợp twice', () => {
    const issues = (v: AnnotateFormInput) => {
      const r = annotateForm(today).safeParse(v);
      return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
    };
    expect(annotateForm(today).parse(base)).toEqual({ ...base, instruction: null, lead: { target: 'unit:kt', deadline: '2026-12-10' } });
    expect(issues({ ...base, lead: { target: '', deadline: '06/12/2026' } })).toEqual(['lead.target', 'lead.deadline']);
    expect(
      issues({
        ...base,
        coordinators: [
          { target: 'unit:kt', deadline: '' },
          { target: 'user:a', deadline: '' },
          { target: 'user:a', deadline: '01/12/2026' },
        ],
      }),
    ).toEqual(['coordinators.0.target', 'coordinators.2.deadline', 'coordinators.2.target']);
    expect(issues({ ...base, coordinators: [{ target: 'user:a', deadline: '31/02/2027' }] })).toEqual(['coordinators.0.deadline']);
    expect(issues({ ...base, forInfo: true, lead: { target: '', deadline: '' } })).toEqual([]);
  });

  it('maps the server fields of annotate to the form', () => {
    expect(annotateFieldOf('lead.unitId')).toBe('lead.target');
    expect(annotateFieldOf('coordinators[1].deadline')).toBe('coordinators.1.deadline');
    expect(annotateFieldOf('coordinators[0]')).toBe('coordinators.0.target');
    expect(annotateFieldOf('input.instruction')).toBe('instruction');
    expect(annotateFieldOf('documentId')).toBeNull();
  });

  it('progress needs a note; complete gives null for an empty note', () => {
    expect(progressForm.safeParse({ text: '   ', files: [] }).success).toBe(false);
    expect(progressForm.parse({ text: ' Đã xong ', files: [] })).toEqual({ text: 'Đã xong', files: [] });
    expect(completeForm.parse({ note: '  ' })).toEqual({ note: null });
    expect(completeForm.safeParse({ note: 'x'.repeat(2001) }).success).toBe(false);
  });
});
