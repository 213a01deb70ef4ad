/**
 * The standard {@link Presenter}: the i18n catalogue's texts in the user's language, times in
 * the configured zone, and the operator's sanitised ui_login_text on the code prompts.
 *
 * @module adapter
 */
import { formatTime } from '../i18n/format-time.js';
import { t } from '../i18n/t.js';
import type { DeliveryReceipt, Presentation } from './delivery-channel.js';
import type { Presenter } from './presenter.js';

/** Options of {@link createPresenter}. */
export interface PresenterOptions {
  /** IANA zone for "valid until"/"locked until" times (default: the host's zone). */
  timeZone?: string | undefined;
  /**
   * Operator HTML shown with the code prompts (ui_login_text when ui_customization is on),
   * ALREADY sanitised by the caller (http/page sanitise-ui-text).
   */
  loginHtml?: string | undefined;
}

/**
 * Create the i18n presenter.
 *
 * @param options - timeZone, loginHtml
 * @returns the presenter
 * @throws {RangeError} when `timeZone` is not a zone `Intl` knows
 * @example
 * ```ts
 * const presenter = createPresenter({ timeZone: 'Europe/Berlin' });
 * presenter.locked('de', until).message; // 'Zu viele Fehlversuche. …'
 * ```
 */
export function createPresenter(options: PresenterOptions = {}): Presenter {
  const { timeZone, loginHtml } = options;
  if (timeZone !== undefined) formatTime(new Date(0), 'en', timeZone); // fail at start-up, not per request
  const time = (date: Date, lang: string): string => formatTime(date, lang, timeZone);
  const title = (lang: string): string => t(lang, 'page.title');
  const plain = (lang: string, message: string): Presentation => ({ title: title(lang), message });
  const prompt = (lang: string, message: string): Presentation =>
    loginHtml !== undefined && loginHtml !== ''
      ? { title: title(lang), message, html: loginHtml }
      : plain(lang, message);

  return {
    enterCode: (lang) => prompt(lang, t(lang, 'login.enter_code')),
    codeSent(lang: string, receipt: DeliveryReceipt, validUntil: Date): Presentation {
      const message = t(lang, 'login.code_sent_email', {
        destination: receipt.destination,
        time: time(validUntil, lang),
      });
      return {
        ...prompt(lang, message),
        destination: receipt.destination,
        validUntil: validUntil.toISOString(),
      };
    },
    deliveryFailed: (lang, userMessage) =>
      plain(
        lang,
        userMessage !== undefined && userMessage !== ''
          ? userMessage
          : t(lang, 'outcome.delivery_failed'),
      ),
    unavailable: (lang) => plain(lang, t(lang, 'outcome.unavailable')),
    disabled: (lang) => plain(lang, t(lang, 'outcome.disabled')),
    locked: (lang, until) => ({
      ...plain(lang, t(lang, 'outcome.locked', { time: time(until, lang) })),
      lockedUntil: until.toISOString(),
    }),
    expired: (lang) => plain(lang, t(lang, 'outcome.expired')),
    reusedCode: (lang) => plain(lang, t(lang, 'outcome.reused_code')),
    invalidCode: (lang, malformed, digits) =>
      plain(
        lang,
        malformed ? t(lang, 'outcome.malformed', { digits }) : t(lang, 'outcome.invalid_code'),
      ),
  };
}
