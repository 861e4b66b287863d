/**
 * The AppError a promise rejects with, for tests of refusals: any other error is rethrown, and a promise that
 * resolves fails the test with `notRefused`.
 */
import { AppError } from '../../../server/src/shared/errors';

export async function appErrorOf(p: Promise<unknown>, notRefused = 'expected an AppError'): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error(notRefused);
}
