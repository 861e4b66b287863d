import { renderHook } from '@testing-library/react';
import type { OperationContext } from 'urql';
import { useStableContext } from './hooks';

describe('useStableContext', () => {
  it('keeps the same object while the entries are the same, and takes a new one when they change', () => {
    const initial: Partial<OperationContext> = { requestPolicy: 'network-only', silent: true };
    const { result, rerender } = renderHook(({ ctx }: { ctx: Partial<OperationContext> }) => useStableContext(ctx), { initialProps: { ctx: initial } });
    const first = result.current;
    rerender({ ctx: { requestPolicy: 'network-only', silent: true } });
    expect(result.current).toBe(first);
    rerender({ ctx: { requestPolicy: 'cache-first', silent: true } });
    expect(result.current).not.toBe(first);
    expect(result.current).toEqual({ requestPolicy: 'cache-first', silent: true });
  });
});
