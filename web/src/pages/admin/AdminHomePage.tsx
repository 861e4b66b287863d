import { ComingSoon } from '../../components/ComingSoon';

/** Start page of the "admin" area (placeholder until its issue is built). */
export default function AdminHomePage() {
  return <ComingSoon area="admin" />;
}
