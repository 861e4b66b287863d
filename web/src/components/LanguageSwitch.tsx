import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage, isLanguage, DEFAULT_LANGUAGE } from '../i18n';

/** Tiếng Việt / English toggle; the choice is remembered in localStorage. */
export function LanguageSwitch({ className }: { className?: string }) {
  const { t, i18n } = useTranslation();
  const current = isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE;
  return (
    <div role="group" aria-label={t('language.label')} className={className ? `lang-switch ${className}` : 'lang-switch'}>
      {LANGUAGES.map((lng) => (
        <button
          key={lng}
          type="button"
          lang={lng}
          className="lang-switch__option"
          aria-pressed={current === lng}
          onClick={() => void setLanguage(lng)}
        >
          {t(`language.${lng}`)}
        </button>
      ))}
    </div>
  );
}
