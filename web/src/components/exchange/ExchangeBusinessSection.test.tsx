import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import type { DocumentBusinessDataFragment } from '../../graphql/generated';
import { AgencyAssignmentList, BusinessActionList } from './ExchangeBusinessSection';

const base: DocumentBusinessDataFragment = {
  id: 'd1',
  direction: 'INCOMING',
  status: 'REGISTERED',
  symbol: '12/UBND-KT',
  subject: 'Về việc A',
  signerName: null,
  signerTitle: null,
  pageCount: 2,
  urgency: 'THUONG',
  allowedActions: [],
  withdrawal: null,
  agencyAssignments: [],
  businessActions: [],
};

const action = (p: Partial<DocumentBusinessDataFragment['businessActions'][number]>): DocumentBusinessDataFragment['businessActions'][number] => ({
  id: 'a1',
  side: 'RECEIVER',
  kind: 'UPDATE',
  state: 'APPLIED',
  reason: null,
  counterpartName: 'UBND tỉnh Bắc Ninh',
  counterpartCode: '000.00.00.H27',
  answerReason: null,
  replacingEdxmlId: null,
  replacingDocument: null,
  changes: [],
  createdBy: null,
  createdAt: '2026-12-07T03:00:00Z',
  answeredBy: null,
  answeredAt: null,
  ...p,
});

describe('business actions of a document', () => {
  it('shows what an update changed, a refused recall with its reason, and the replacing document', () => {
    const doc = {
      ...base,
      businessActions: [
        action({ id: 'u', reason: 'Sửa trích yếu', changes: [{ field: 'subject', from: 'Về việc A', to: 'Về việc B' }, { field: 'pageCount', from: '2', to: null }] }),
        action({ id: 'r', side: 'SENDER', kind: 'RECALL', state: 'REFUSED', counterpartName: 'Sở Tài chính', reason: 'Gửi nhầm', answerReason: 'Đã xử lý xong' }),
        action({ id: 'p', kind: 'REPLACE', reason: 'Sai số liệu', replacingDocument: { id: 'n1', symbol: '15/UBND-KT', direction: 'INCOMING', subject: 'Về việc B' } }),
        action({ id: 'q', kind: 'REPLACE', replacingEdxmlId: '000.00.00.H27,2026/12/07,16/UBND-KT' }),
      ],
    };
    render(
      <MemoryRouter>
        <BusinessActionList doc={doc} />
      </MemoryRouter>,
    );
    const items = within(screen.getByTestId('business-actions')).getAllByRole('listitem', { name: undefined });
    expect(items[0].textContent).toContain('Trích yếu: “Về việc A” → “Về việc B”');
    expect(items[0].textContent).toContain('Số trang: “2” → “(trống)”');
    const refused = screen.getByText('Từ chối').closest('li')!;
    expect(refused.textContent).toContain('Gửi Sở Tài chính');
    expect(refused.textContent).toContain('Trả lời: Đã xử lý xong');
    expect(screen.getByRole('link', { name: '15/UBND-KT' }).getAttribute('href')).toBe('/incoming/documents/n1');
    expect(screen.getByText(/Văn bản thay thế 000\.00\.00\.H27,2026\/12\/07,16\/UBND-KT \(chưa đến\)/)).toBeTruthy();
  });

  it('lists the agencies of a bút phê with role, deadline dd/mm/yyyy and reported status', () => {
    const doc = {
      ...base,
      agencyAssignments: [
        { id: 'g1', role: 'LEAD' as const, agencyCode: '000.00.03.H27', agencyName: 'Sở Tài chính', deadline: '2026-12-20', instruction: null, state: 'IN_PROGRESS' as const, statusCode: '05', statusNote: null, transportState: 'DELIVERED', completedAt: null },
      ],
    };
    render(
      <MemoryRouter>
        <AgencyAssignmentList doc={doc} />
      </MemoryRouter>,
    );
    const li = within(screen.getByTestId('agency-assignments')).getByText('Sở Tài chính').closest('li')!;
    expect(li.textContent).toContain('Chủ trì');
    expect(li.textContent).toContain('20/12/2026');
    expect(li.textContent).toContain('Đang xử lý');
    expect(li.textContent).toContain('05');
  });
});

describe('bút phê input with other agencies', () => {
  it('sends the agencies; an agency chủ trì means no unit / person lead', async () => {
    const { annotateInputOf } = await import('../documents/ActionDialogs');
    const v = {
      instruction: 'Giao Sở Tài chính chủ trì',
      forInfo: false,
      lead: { target: '', deadline: null },
      coordinators: [{ target: 'unit:kt', deadline: null }],
      watcherIds: [],
      agencies: [
        { agencyCode: '000.00.03.H27', role: 'LEAD' as const, deadline: '2026-12-20' },
        { agencyCode: '', role: 'COORDINATOR' as const, deadline: null },
      ],
    };
    expect(annotateInputOf(v, [])).toEqual({
      instruction: 'Giao Sở Tài chính chủ trì',
      forInfo: false,
      coordinators: [{ unitId: 'kt', deadline: null }],
      watcherIds: [],
      agencies: [{ agencyCode: '000.00.03.H27', role: 'LEAD', deadline: '2026-12-20' }],
    });
  });
});
