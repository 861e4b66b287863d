/** The Công Văn mark: a folded document with a red seal. Decorative (the name is always written next to it). */
export function BrandMark({ size = 40 }: { size?: number }) {
  return (
    <svg className="brand-mark" width={size} height={size} viewBox="0 0 48 48" aria-hidden="true" focusable="false">
      <rect x="1" y="1" width="46" height="46" rx="10" fill="#0b3d78" />
      <path d="M14 9h15l7 7v23H14z" fill="#fff" />
      <path d="M29 9v7h7" fill="#d6e2f1" />
      <path d="M18 20h12M18 24.5h14M18 29h8" stroke="#0b3d78" strokeWidth="2" strokeLinecap="round" />
      <circle cx="31" cy="34" r="6" fill="#c8102e" />
      <path d="m31 30.6 1 2.1 2.3.3-1.7 1.6.4 2.3-2-1.1-2 1.1.4-2.3-1.7-1.6 2.3-.3z" fill="#ffd200" />
    </svg>
  );
}
