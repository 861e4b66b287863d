import { ComingSoon } from '../../components/ComingSoon';

/** Start page of the "tasks" area (placeholder until its issue is built). */
export default function TasksHomePage() {
  return <ComingSoon area="tasks" />;
}
