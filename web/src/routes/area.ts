import type { RouteObject } from 'react-router';
import type { Role } from '../graphql/generated';
import type { IconName } from '../components/Icon';

/** The application's top-level areas, in navigation order. The id is also the i18n key (nav.<id>, pages.<id>). */
export const AREA_IDS = ['incoming', 'outgoing', 'tasks', 'meetings', 'archive', 'reports', 'admin'] as const;
export type AreaId = (typeof AREA_IDS)[number];

/**
 * One entry of the side navigation and the routes below it.
 * Each area lives in pages/<area>/ and exports its `AppArea` from pages/<area>/area.ts.
 */
export interface AppArea {
  id: AreaId;
  /** URL segment under "/", e.g. "incoming" → /incoming. */
  path: string;
  icon: IconName;
  /** Roles that see the area (in the navigation) and may open its routes; omitted = every signed-in user. */
  roles?: readonly Role[];
  /** Child routes, relative to `path` (an `index` route is the area's start page). Prefer `lazy` for pages. */
  routes: RouteObject[];
}
