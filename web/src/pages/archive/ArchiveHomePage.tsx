import { ComingSoon } from '../../components/ComingSoon';

/** Start page of the "archive" area (placeholder until its issue is built). */
export default function ArchiveHomePage() {
  return <ComingSoon area="archive" />;
}
