import type { AppArea } from './area';
import { incomingArea } from '../pages/incoming/area';
import { outgoingArea } from '../pages/outgoing/area';
import { tasksArea } from '../pages/tasks/area';
import { meetingsArea } from '../pages/meetings/area';
import { archiveArea } from '../pages/archive/area';
import { reportsArea } from '../pages/reports/area';
import { adminArea } from '../pages/admin/area';

/** Navigation order. To add an area: create pages/<area>/area.ts, add its id to AREA_IDS and its labels to i18n. */
export const AREAS: readonly AppArea[] = [
  incomingArea,
  outgoingArea,
  tasksArea,
  meetingsArea,
  archiveArea,
  reportsArea,
  adminArea,
];
