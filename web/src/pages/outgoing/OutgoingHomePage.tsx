import { ComingSoon } from '../../components/ComingSoon';

/** Start page of the "outgoing" area (placeholder until its issue is built). */
export default function OutgoingHomePage() {
  return <ComingSoon area="outgoing" />;
}
