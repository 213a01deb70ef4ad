/**
 * The code e-mail: subject, plain-text body and HTML body in the user's language (the 17 of
 * seed 002), with the code and the end of its validity ("valid until 14:07").
 *
 * What it deliberately has not: the code in the subject (subjects show on lock screens and in
 * notification previews); images, links, remote style sheets or any other reference the mail
 * client would fetch (no tracking); the account name when `smtp_remove_user_prefix` is on.
 *
 * @see seed 001 "SMTP Configuration" (smtp_remove_user_prefix)
 * @module message
 */
import {
  escapeHtml,
  formatTime,
  resolveLanguage,
  t,
  tHtml,
  textDirection,
  type SupportedLanguage,
} from '@securemfa/core';

/** What a code e-mail is made from. */
export interface OtpMailInput {
  /** The user's UPN (greeted by it unless `removeUserPrefix`). */
  upn: string;
  code: string;
  /** End of the code's validity. */
  validUntil: Date;
  /** The user's language; unknown ones fall back to English. */
  lang: string;
  /** `company`: the signature. */
  company: string;
  /** `smtp_remove_user_prefix`: never name the account. */
  removeUserPrefix: boolean;
  /** IANA zone of the validity time (default: the host's zone, as on the sign-in page). */
  timeZone?: string | undefined;
}

/** The e-mail's parts. */
export interface OtpMail {
  /** The language the mail is written in. */
  lang: SupportedLanguage;
  subject: string;
  text: string;
  html: string;
}

/** The company name shown when `company` is empty. */
export const DEFAULT_SIGNATURE = 'SecureMFA';

// A stand-in for the code inside an escaped template: a character neither tHtml nor any
// translation produces, replaced by the emphasised code afterwards.
const CODE_MARK = '\u0001';

const STYLE_BODY =
  'margin:0;padding:24px;background:#ffffff;color:#1b1b1b;font-family:Segoe UI,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5';
const STYLE_CODE =
  'display:inline-block;padding:4px 12px;border:1px solid #c8c8c8;border-radius:4px;font-family:Consolas,Menlo,monospace;font-size:24px;font-weight:bold;letter-spacing:4px';

/**
 * Write the code e-mail.
 *
 * @param input - UPN, code, validity, language, company, prefix setting, zone
 * @returns subject, text and HTML in the resolved language
 * @throws {TypeError} when the code is not 4–10 digits (a programming error: codes come from
 *   the TOTP engine)
 * @throws {RangeError} when `timeZone` is not a zone `Intl` knows
 * @example
 * ```ts
 * const mail = buildOtpMail({ upn: 'alice@adatum.labnet', code: '123456', validUntil, lang: 'de',
 *   company: 'Adatum', removeUserPrefix: false });
 * mail.subject; // 'Ihr Anmeldecode'
 * ```
 */
export function buildOtpMail(input: OtpMailInput): OtpMail {
  if (typeof input.code !== 'string' || !/^\d{4,10}$/.test(input.code)) {
    throw new TypeError('"code" must be 4–10 digits');
  }
  const lang = resolveLanguage(input.lang) ?? 'en';
  const company = input.company.trim() === '' ? DEFAULT_SIGNATURE : input.company.trim();
  const time = formatTime(input.validUntil, lang, input.timeZone);
  const account = input.upn.trim();

  const greeting = input.removeUserPrefix
    ? t(lang, 'email.greeting_plain')
    : t(lang, 'email.greeting', { account });
  const subject = t(lang, 'email.subject');
  const lines = [
    greeting,
    '',
    t(lang, 'email.code_line', { code: input.code }),
    t(lang, 'email.valid_until', { time }),
    '',
    t(lang, 'email.not_you'),
    '',
    '-- ',
    t(lang, 'email.signature', { company }),
  ];
  const text = `${lines.join('\n')}\n`;

  const greetingHtml = input.removeUserPrefix
    ? tHtml(lang, 'email.greeting_plain')
    : tHtml(lang, 'email.greeting', { account });
  const codeHtml = tHtml(lang, 'email.code_line', { code: CODE_MARK }).replace(
    CODE_MARK,
    `<strong style="${STYLE_CODE}">${escapeHtml(input.code)}</strong>`,
  );
  const validHtml = tHtml(lang, 'email.valid_until', { time: CODE_MARK }).replace(
    CODE_MARK,
    `<time datetime="${input.validUntil.toISOString()}">${escapeHtml(time)}</time>`,
  );
  const html = [
    '<!DOCTYPE html>',
    `<html lang="${lang}" dir="${textDirection(lang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title>`,
    '</head>',
    `<body style="${STYLE_BODY}">`,
    `<p>${greetingHtml}</p>`,
    `<p>${codeHtml}</p>`,
    `<p>${validHtml}</p>`,
    `<p style="color:#5c5c5c;font-size:13px">${tHtml(lang, 'email.not_you')}</p>`,
    `<p>${tHtml(lang, 'email.signature', { company })}</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
  return { lang, subject, text, html };
}
