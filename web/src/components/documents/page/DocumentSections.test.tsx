import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { ApiError } from '../../../graphql/client';
import { AnnulDialog } from './ChainDialogs';
import { ChainSection } from './ChainSection';
import { DocumentActions } from './DocumentHeader';
import { issueRecipientNames } from './DocumentDialogs';
import type { PageAssignment, PageDoc } from './types';

const person = (id: string, fullName: string) => ({ id, fullName, title: null, unit: { id: 'u-kt', abbr: 'KT', name: 'Phòng Kinh tế' } });

function assignment(p: Partial<PageAssignment> & { id: string }): PageAssignment {
  return {
    role: 'LEAD',
    deadline: null,
    status: 'PENDING',
    active: true,
    overdue: false,
    instruction: null,
    returnReason: null,
    createdAt: '2026-12-07T03:00:00Z',
    completedAt: null,
    allowedActions: [],
    unit: { id: 'u-kt', abbr: 'KT', name: 'Phòng Kinh tế' },
    user: null,
    assignedBy: null,
    draftFile: null,
    progress: [],
    parent: null,
    children: [],
    ...p,
  };
}

function doc(p: Partial<PageDoc>): PageDoc {
  return {
    id: 'd1',
    direction: 'INCOMING',
    status: 'REGISTERED',
    incomingNumber: 12,
    receivedDate: '2026-12-07T03:00:00Z',
    agency: { id: 'a1', name: 'UBND tỉnh Bắc Ninh', abbr: 'UBND' },
    annotation: null,
    submittedTo: null,
    allowedActions: [],
    assignments: [],
    ...p,
  } as unknown as PageDoc;
}

const renderActions = (d: PageDoc, onOpen = jest.fn()) =>
  render(
    <MemoryRouter>
      <DocumentActions doc={d} onOpen={onOpen} />
    </MemoryRouter>,
  );

describe('DocumentActions (buttons follow allowedActions)', () => {
  it('shows "Hủy vào sổ" only when the server allows ANNUL, and opens its dialog', () => {
    const { unmount } = renderActions(doc({ allowedActions: ['SUBMIT'] }));
    expect(screen.queryByRole('button', { name: 'Hủy vào sổ' })).toBeNull();
    expect(screen.getByRole('button', { name: /Trình/ })).toBeTruthy();
    unmount();
    const onOpen = jest.fn();
    renderActions(doc({ allowedActions: ['SUBMIT', 'ANNUL'] }), onOpen);
    fireEvent.click(screen.getByRole('button', { name: 'Hủy vào sổ' }));
    expect(onOpen).toHaveBeenCalledWith({ kind: 'ANNUL' });
  });

  it('renders nothing without any allowed action', () => {
    const { container } = renderActions(doc({ allowedActions: [] }));
    expect(container.querySelector('.doc-actions')).toBeNull();
  });
});

describe('ChainSection (bút phê chain)', () => {
  it('shows leader → unit → person with both deadlines', () => {
    const lead = assignment({ id: 'l', status: 'DELEGATED', deadline: '2026-12-13', children: [{ id: 'c' }] });
    const child = assignment({
      id: 'c',
      deadline: '2026-12-10',
      parent: { id: 'l' },
      user: person('cv', 'Trần Văn Minh'),
      assignedBy: { id: 'tp', fullName: 'Lê Thị Thu Hương', title: null },
      instruction: 'Dự thảo tờ trình.',
    });
    const co = assignment({ id: 'co', role: 'COORDINATOR', unit: { id: 'u-th', abbr: 'TH', name: 'Phòng Tổng hợp' }, deadline: '2026-12-15' });
    render(
      <ChainSection
        doc={doc({
          status: 'ASSIGNED',
          annotation: { instruction: 'Giao Phòng Kinh tế chủ trì.', forInfo: false, annotatedAt: '2026-12-07T03:00:00Z', annotatedBy: { id: 'ld', fullName: 'Nguyễn Văn Lãnh', title: 'Phó Chủ tịch' } },
          assignments: [lead, child, co],
        })}
      />,
    );
    const links = document.querySelectorAll('[data-chain-link]');
    expect(links).toHaveLength(2);
    expect(links[0].textContent).toContain('Phòng Kinh tế (KT) — hạn 13/12/2026');
    expect(links[0].querySelector('[data-chain-child]')!.textContent).toContain('Lê Thị Thu Hương giao: Trần Văn Minh — hạn 10/12/2026');
    expect(links[0].textContent).toContain('Ý kiến: Dự thảo tờ trình.');
    expect(links[1].textContent).toContain('Phòng Tổng hợp (TH) — hạn 15/12/2026');
  });
});

describe('AnnulDialog', () => {
  beforeAll(() => {
    // jsdom has no <dialog> methods
    HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
      this.setAttribute('open', '');
    };
    HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
      this.removeAttribute('open');
    };
  });

  it('requires a reason, then sends it trimmed; a server error goes to the field', async () => {
    const onSubmit = jest.fn(async () => {
      throw new ApiError('BAD_USER_INPUT', 'Lý do quá dài.', { field: 'reason' });
    });
    render(<AnnulDialog number={12} onClose={() => undefined} onSubmit={onSubmit} />);
    fireEvent.click(screen.getByRole('button', { name: 'Hủy vào sổ' }));
    expect(await screen.findByText('Phải nêu lý do hủy vào sổ.')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText(/Lý do hủy/), { target: { value: '  Vào sổ trùng  ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Hủy vào sổ' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith({ reason: 'Vào sổ trùng' }));
    expect(await screen.findByText('Lý do quá dài.')).toBeTruthy();
  });
});

describe('issueRecipientNames', () => {
  it('lists each recipient once', () => {
    expect(
      issueRecipientNames({
        recipients: [{ id: 'r1', name: 'Sở Nội vụ', status: null, statusCode: null, statusAt: null, note: null, agency: null, agencyCode: null, transportState: null, transportError: null }],
        externalRecipients: ['Sở Nội vụ ', 'sở nội vụ', 'Báo Bắc Ninh'],
      }),
    ).toEqual(['Sở Nội vụ', 'Báo Bắc Ninh']);
  });
});
