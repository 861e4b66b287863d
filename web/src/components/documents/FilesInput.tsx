import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ControlProps } from './fields';

/**
 * A file input that lists the chosen files (name, size) and lets the user remove one. Every file input of the client
 * goes through it (ESLint refuses a bare one): the browser's own control speaks the browser's language — "Choose
 * File / No file chosen" in an en-US browser, on a Vietnamese page — and this one speaks the page's.
 */
export function FilesInput({
  control,
  files,
  onChange,
  accept,
  multiple = true,
}: {
  control: ControlProps;
  files: File[];
  onChange: (files: File[]) => void;
  accept: string;
  multiple?: boolean;
}) {
  const { t } = useTranslation();
  const [inputKey, setInputKey] = useState(0);
  return (
    <div className="doc-files-input">
      {/* The native input stays focusable and labelled by the field's <label>; the visible button is its own label. */}
      <input
        key={inputKey}
        {...control}
        className="doc-files-input__native"
        type="file"
        accept={accept}
        multiple={multiple}
        onChange={(e) => {
          const chosen = Array.from(e.target.files ?? []);
          onChange(multiple ? [...files, ...chosen] : chosen);
          setInputKey((k) => k + 1);
        }}
      />
      <label htmlFor={control.id} className="btn btn--secondary doc-files-input__button" aria-hidden="true">
        {multiple ? t('doc.form.chooseFiles') : t('doc.form.chooseFile')}
      </label>
      {files.length === 0 ? <span className="doc-muted doc-small"> {t('doc.form.noFile')}</span> : null}
      {files.length > 0 ? (
        <ul className="doc-file-list">
          {files.map((f, i) => (
            <li key={`${f.name}-${i}`}>
              <span>
                {f.name} <span className="doc-muted">({Math.max(1, Math.round(f.size / 1024))} KB)</span>
              </span>
              <button
                type="button"
                className="btn btn--secondary doc-btn--small"
                onClick={() => onChange(files.filter((_, j) => j !== i))}
                aria-label={t('doc.form.removeFile', { name: f.name })}
              >
                {t('doc.form.remove')}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** One file (or none): FilesInput for a field that takes a single file. */
export function FileInput({ control, file, onChange, accept }: { control: ControlProps; file: File | null; onChange: (file: File | null) => void; accept: string }) {
  return <FilesInput control={control} multiple={false} accept={accept} files={file ? [file] : []} onChange={(fs) => onChange(fs[0] ?? null)} />;
}
