import { PaperOutgoingButton } from '../../components/documents/issuing/PaperOutgoing';
import { RegisterView } from './RegisterView';

/** Sổ văn bản đi (/outgoing/registers); the văn thư registers paper documents signed outside the system here. */
export default function OutgoingRegistersPage() {
  return <RegisterView direction="OUTGOING" actions={<PaperOutgoingButton />} />;
}
