import { ComingSoon } from '../../components/ComingSoon';

/** Start page of the "meetings" area (placeholder until its issue is built). */
export default function MeetingsHomePage() {
  return <ComingSoon area="meetings" />;
}
