import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import viBase from './vi.json';
import enBase from './en.json';
import viAdmin from './areas/admin.vi.json';
import enAdmin from './areas/admin.en.json';
import viAccount from './areas/account.vi.json';
import enAccount from './areas/account.en.json';
import viRegisters from './areas/registers.vi.json';
import enRegisters from './areas/registers.en.json';
import viRegistration from './areas/registration.vi.json';
import enRegistration from './areas/registration.en.json';
import viDates from './areas/dates.vi.json';
import enDates from './areas/dates.en.json';
import viDocument from './areas/document.vi.json';
import enDocument from './areas/document.en.json';
import viMeetings from './areas/meetings.vi.json';
import enMeetings from './areas/meetings.en.json';
import viArchive from './areas/archive.vi.json';
import enArchive from './areas/archive.en.json';
import viRecords from './areas/records.vi.json';
import viSignatures from './areas/signatures.vi.json';
import enSignatures from './areas/signatures.en.json';
import enRecords from './areas/records.en.json';
import viIssuing from './areas/issuing.vi.json';
import enIssuing from './areas/issuing.en.json';
import viExchangeBusiness from './areas/exchange-business.vi.json';
import enExchangeBusiness from './areas/exchange-business.en.json';
import viPeers from './areas/peers.vi.json';
import enPeers from './areas/peers.en.json';
import viExchange from './areas/exchange.vi.json';
import enExchange from './areas/exchange.en.json';

/**
 * vi.json holds the strings of the shell and the document pages; areas/<area>.<lng>.json hold one top-level
 * key each (admin, account, registers, registration, dates), so that areas can grow their wording apart.
 */
export const vi = { ...viBase, ...viAdmin, ...viAccount, ...viRegisters, ...viRegistration, ...viDates, ...viDocument, ...viArchive, ...viMeetings, ...viRecords, ...viSignatures, ...viIssuing, ...viExchangeBusiness, ...viPeers, ...viExchange };
const en = { ...enBase, ...enAdmin, ...enAccount, ...enRegisters, ...enRegistration, ...enDates, ...enDocument, ...enArchive, ...enMeetings, ...enRecords, ...enSignatures, ...enIssuing, ...enExchangeBusiness, ...enPeers, ...enExchange };

/**
 * UI strings live in vi.json + areas/*.vi.json (the reference, default language) and their English twins.
 * Keys are type-checked (see i18next.d.ts): `t('nav.incoming')` compiles, a typo does not,
 * and en.json must carry every key vi.json has.
 */
export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'vi';

/** localStorage key remembering the user's choice. */
export const LANGUAGE_STORAGE_KEY = 'congvan.lang';

export type Resources = typeof vi;
// Compile-time check: English has every Vietnamese key.
const english: Resources = en;

export const isLanguage = (v: unknown): v is Language => (LANGUAGES as readonly unknown[]).includes(v);

function storedLanguage(): Language {
  try {
    const v = window.localStorage.getItem(LANGUAGE_STORAGE_KEY);
    return isLanguage(v) ? v : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE; // storage disabled
  }
}

function applyToDocument(lng: string): void {
  const lang: Language = isLanguage(lng) ? lng : DEFAULT_LANGUAGE;
  document.documentElement.lang = lang;
  document.documentElement.dir = 'ltr';
}

void i18n.use(initReactI18next).init({
  resources: { vi: { translation: vi }, en: { translation: english } },
  lng: storedLanguage(),
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false }, // React escapes
  initAsync: false,
});

applyToDocument(i18n.language);
i18n.on('languageChanged', applyToDocument);

/** Switch language and remember the choice. */
export async function setLanguage(lng: Language): Promise<void> {
  try {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, lng);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
  await i18n.changeLanguage(lng);
}

/** The current UI language. */
export const currentLanguage = (): Language => (isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE);

export default i18n;
