import { ComingSoon } from '../../components/ComingSoon';

/** Start page of the "reports" area (placeholder until its issue is built). */
export default function ReportsHomePage() {
  return <ComingSoon area="reports" />;
}
