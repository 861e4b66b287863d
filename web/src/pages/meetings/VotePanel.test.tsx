import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ApiError } from '../../graphql/client';
import type { MeetingVoteFieldsFragment } from '../../graphql/generated';
import { OpenVoteForm, VotePanel } from './VotePanel';

function vote(over: Partial<MeetingVoteFieldsFragment> = {}): MeetingVoteFieldsFragment {
  return {
    id: 'v1',
    itemId: 'i1',
    question: 'Thông qua Kế hoạch chuyển đổi số năm 2027',
    secret: false,
    status: 'OPEN',
    tally: { agree: 1, disagree: 0, abstain: 0, notVoted: 2, cast: 1, eligible: 3 },
    ballots: [{ user: { id: 'u1', fullName: 'Phạm Quốc Hùng' }, choice: 'AGREE' }],
    hasVoted: false,
    myChoice: null,
    passed: null,
    openedAt: '2026-12-07T01:00:00Z',
    closedAt: null,
    allowedActions: ['CAST'],
    ...over,
  };
}

describe('VotePanel (biểu quyết)', () => {
  it('shows the live tally of a named vote and casts the chosen ballot once', async () => {
    const onCast = jest.fn(async () => undefined);
    const onClose = jest.fn(async () => undefined);
    render(<VotePanel vote={vote()} onCast={onCast} onClose={onClose} />);
    expect(screen.getByRole('heading', { name: 'Biểu quyết: Thông qua Kế hoạch chuyển đổi số năm 2027' })).toBeTruthy();
    const tally = screen.getByTestId('vote-tally');
    expect(tally.textContent).toBe('Đồng ý1Không đồng ý0Không biểu quyết0Chưa biểu quyết2');
    expect(screen.getByText('Biểu quyết công khai')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Kết thúc biểu quyết' })).toBeNull();
    const group = screen.getByRole('group', { name: 'Biểu quyết của đồng chí' });
    fireEvent.click(within(group).getByRole('button', { name: 'Không đồng ý' }));
    await waitFor(() => expect(onCast).toHaveBeenCalledWith('DISAGREE'));
    expect(onCast).toHaveBeenCalledTimes(1);
    expect(onClose).not.toHaveBeenCalled();
  });

  it('hides the split of an open secret vote, says the ballot is not linked to the voter, and offers no second ballot', () => {
    render(
      <VotePanel
        vote={vote({ secret: true, hasVoted: true, tally: { agree: null, disagree: null, abstain: null, notVoted: 1, cast: 2, eligible: 3 }, ballots: [], allowedActions: [] })}
        onCast={jest.fn()}
        onClose={jest.fn()}
      />,
    );
    expect(screen.getByTestId('vote-tally').textContent).toBe('Đã bỏ phiếu 2/3. Kết quả công bố khi kết thúc biểu quyết.');
    expect(screen.getByText('Đồng chí đã bỏ phiếu (phiếu kín, không ghi tên).')).toBeTruthy();
    expect(screen.queryByRole('group', { name: 'Biểu quyết của đồng chí' })).toBeNull();
    expect(screen.queryByText(/Chi tiết biểu quyết/)).toBeNull();
  });

  it('lets the chair close the vote, shows the result once closed, and shows a server error', async () => {
    const onClose = jest.fn(async () => {
      throw new ApiError('CONFLICT', 'Biểu quyết đã kết thúc.');
    });
    const { rerender } = render(<VotePanel vote={vote({ allowedActions: ['CLOSE'], hasVoted: true, myChoice: 'AGREE' })} onCast={jest.fn()} onClose={onClose} />);
    expect(screen.getByText('Đồng chí đã biểu quyết: Đồng ý')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Kết thúc biểu quyết' }));
    expect(await screen.findByText('Biểu quyết đã kết thúc.')).toBeTruthy();
    rerender(
      <VotePanel
        vote={vote({ status: 'CLOSED', passed: true, allowedActions: [], tally: { agree: 3, disagree: 0, abstain: 0, notVoted: 0, cast: 3, eligible: 3 } })}
        onCast={jest.fn()}
        onClose={onClose}
      />,
    );
    expect(screen.getByText('Đã kết thúc biểu quyết')).toBeTruthy();
    expect(screen.getByText('Kết quả: Thông qua')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Kết thúc biểu quyết' })).toBeNull();
  });
});

describe('OpenVoteForm (lấy biểu quyết)', () => {
  it('requires a question and sends it with the secret flag', async () => {
    const onOpen = jest.fn(async () => undefined);
    render(<OpenVoteForm defaultQuestion="" onOpen={onOpen} />);
    fireEvent.click(screen.getByRole('button', { name: 'Bắt đầu biểu quyết' }));
    expect(await screen.findByText('Chưa nhập nội dung biểu quyết.')).toBeTruthy();
    expect(onOpen).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText(/Nội dung biểu quyết/), { target: { value: '  Thông qua dự thảo Quy chế  ' } });
    fireEvent.click(screen.getByRole('checkbox', { name: /Bỏ phiếu kín/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Bắt đầu biểu quyết' }));
    await waitFor(() => expect(onOpen).toHaveBeenCalledWith({ question: 'Thông qua dự thảo Quy chế', secret: true }));
  });
});
