import type { TFunction } from 'i18next';
import type { AssignmentStatus } from '../../../graphql/generated';

/** The label of an assignment status (DELEGATED / CLOSED are the chain's own). */
export function assignmentStatusLabel(t: TFunction, status: AssignmentStatus): string {
  if (status === 'DELEGATED' || status === 'CLOSED') return t(`document.status.${status}`);
  return t(`doc.assignmentStatus.${status}`);
}
