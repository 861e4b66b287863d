import { RegisterView } from './RegisterView';

/** Sổ văn bản đến (/incoming/registers). */
export default function IncomingRegistersPage() {
  return <RegisterView direction="INCOMING" />;
}
