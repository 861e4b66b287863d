import { RegisterView } from './RegisterView';

/** Sổ văn bản đi (/outgoing/registers). */
export default function OutgoingRegistersPage() {
  return <RegisterView direction="OUTGOING" />;
}
