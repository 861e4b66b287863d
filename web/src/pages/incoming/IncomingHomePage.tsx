import { ComingSoon } from '../../components/ComingSoon';

/** Start page of the "incoming" area (placeholder until its issue is built). */
export default function IncomingHomePage() {
  return <ComingSoon area="incoming" />;
}
