/**
 * HTML of the hosted MFA page: pure functions from a view to a string, no I/O.
 *
 * The markup follows the AD FS 2016/2019 sign-in page (`#fullPage` › `#brandingWrapper` +
 * `#contentWrapper` › `#content` › `#header`, `#workArea` › `#authArea` › `#loginArea` with
 * `#loginMessage`, `#loginForm`, `#error.fieldMargin.error.smallText` › `#errorText`,
 * `#submissionArea.submitMargin` › `#submitButton.submit`; `#authOptions` › `#options`;
 * `#footerPlaceholder`, `#footer` › `#footerLinks`), so AD FS web theme stylesheets apply.
 *
 * It works without JavaScript — plain forms posting back to the page — and contains no script
 * at all (the CSP has no script-src). Every inserted value is escaped; operator HTML arrives
 * already sanitised (sanitise-ui-text); URLs are placed in attributes only after validation.
 *
 * @module http
 */
import { escapeHtml } from '../../i18n/escape-html.js';
import { formatTime } from '../../i18n/format-time.js';
import {
  LANGUAGE_INFO,
  SUPPORTED_LANGUAGES,
  type SupportedLanguage,
} from '../../i18n/languages.js';
import { t } from '../../i18n/t.js';
import { pageHtml, type PageKey, type PageParams } from './page-text.js';

/** Things every page shares. */
export interface PageChrome {
  /** The page language (negotiated). */
  lang: SupportedLanguage;
  /** Path of the page (`/mfa`, or with a prefix): form actions and links. */
  pagePath: string;
  /** Path of the stylesheet. */
  stylesheetPath: string;
  /** The operator's `company`, shown in the header. */
  company?: string | undefined;
  /** Zone for "valid until" / "locked until" times (default: the process's). */
  timeZone?: string | undefined;
}

/** The hidden fields a code form posts back. */
export interface HiddenFields {
  request: string;
  context: string;
  page: string;
}

/** A message box: `error` (something failed) or `notice` (information). */
export interface PageMessage {
  kind: 'error' | 'notice';
  key: PageKey;
  params?: PageParams;
}

/** What to draw for QR enrolment (validated by {@link enrollmentView}). */
export interface EnrollmentView {
  /**
   * `data:image/(png|gif|jpeg);base64,…`, or an http(s) URL of an image origin the host allows
   * (the external QR service of `totp_api_endpoint`), or undefined when the image cannot be
   * shown here.
   */
  qrImage: string | undefined;
  width: number | undefined;
  height: number | undefined;
  /** `otpauth://…`, or undefined when not a valid otpauth URI. */
  otpauthUri: string | undefined;
  /** The base32 secret in blocks of four, or undefined. */
  secretGroups: string | undefined;
}

/** The page to draw. */
export type MfaView =
  | {
      kind: 'enroll';
      enrollment: EnrollmentView | undefined;
      customHtml: string;
      fields: HiddenFields;
      message?: PageMessage | undefined;
    }
  | {
      kind: 'enter_code';
      customHtml: string;
      fields: HiddenFields;
      message?: PageMessage | undefined;
    }
  | {
      kind: 'code_sent';
      destination: string | undefined;
      validUntil: Date | undefined;
      /** Seconds before "send a new code" is accepted (0 = now). */
      cooldownSeconds: number;
      customHtml: string;
      fields: HiddenFields;
      message?: PageMessage | undefined;
    }
  | { kind: 'locked'; until: Date | undefined; fallbackMessage: string | undefined }
  | { kind: 'disabled' }
  | {
      kind: 'unavailable';
      message: string | undefined;
      /** The page again with the same request: begin runs again (a new code is sent). */
      startAgainHref?: string | undefined;
    }
  | { kind: 'expired'; startAgainHref: string | undefined };

const DATA_IMAGE = /^data:image\/(?:png|gif|jpeg);base64,[A-Za-z0-9+/]+={0,2}$/;
const OTPAUTH = /^otpauth:\/\/(?:totp|hotp)\/[^\s"'<>`]*$/i;
/** Largest data: image drawn (the QR PNG is a few KiB). */
const MAX_DATA_IMAGE_LENGTH = 256 * 1024;
/** Longest external image URL drawn (an endpoint plus an encoded otpauth URI is under 2 KiB). */
const MAX_IMAGE_URL_LENGTH = 8 * 1024;

/** True for a serialised http(s) origin (`https://qr.example`, `http://10.0.0.5:8080`). */
function isHttpOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

/**
 * An external QR image URL, when it may be drawn: an absolute http(s) URL without credentials,
 * control characters or white space whose origin is exactly one of `origins`. The scheme is part
 * of the origin, so an http URL is drawn only when the allowed origin itself is http.
 *
 * @returns the URL as the browser would fetch it (WHATWG-serialised), or undefined
 */
function externalImage(qrImage: string, origins: readonly string[]): string | undefined {
  if (origins.length === 0 || qrImage.length > MAX_IMAGE_URL_LENGTH) return undefined;
  // The URL parser silently drops tabs and newlines and trims controls: refuse them instead.
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (!/^https?:\/\//i.test(qrImage) || /[\s\u0000-\u001f\u007f]/.test(qrImage)) return undefined;
  let url: URL;
  try {
    url = new URL(qrImage);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  // Browsers refuse subresources with credentials; nor should a page pass them on.
  if (url.username !== '' || url.password !== '') return undefined;
  return origins.includes(url.origin) ? url.href : undefined;
}

/**
 * Validate an enrolment presentation for drawing.
 *
 * The QR image is drawn when it is a `data:image/(png|gif|jpeg);base64` URL, or an http(s) URL
 * whose origin is exactly one of `imageOrigins` — the origins the host's CSP `img-src` allows
 * besides its own (the external QR service of `totp_api_endpoint`); anything else (other
 * origins, `javascript:`, credentials, malformed URLs) is not drawn.
 *
 * @param enrollment - `presentation.enrollment` from `begin`
 * @param imageOrigins - serialised origins the page may load images from (entries that are not
 *   an exact http(s) origin, e.g. `'self'`, `data:` or wildcards, are ignored). Default: none
 * @returns the view; parts that fail validation are undefined (not drawn)
 * @example
 * ```ts
 * enrollmentView({ otpauthUri, qrImage: 'data:image/png;base64,iVBOR…', secret: 'JBSWY3DPEHPK3PXP', width: 200, height: 200 }).secretGroups;
 * // 'JBSW Y3DP EHPK 3PXP'
 * enrollmentView({ otpauthUri, qrImage: 'https://qr.example/?data=otpauth%3A…' }, ['https://qr.example']).qrImage;
 * // 'https://qr.example/?data=otpauth%3A…'
 * ```
 */
export function enrollmentView(
  enrollment:
    | {
        otpauthUri?: unknown;
        qrImage?: unknown;
        secret?: unknown;
        width?: unknown;
        height?: unknown;
      }
    | undefined,
  imageOrigins: readonly string[] = [],
): EnrollmentView | undefined {
  if (enrollment === undefined) return undefined;
  const { qrImage, otpauthUri, secret, width, height } = enrollment;
  const size = (v: unknown): number | undefined =>
    typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 2048 ? v : undefined;
  const cleanSecret =
    typeof secret === 'string' ? secret.replace(/[\s=-]/g, '').toUpperCase() : undefined;
  return {
    qrImage:
      typeof qrImage !== 'string'
        ? undefined
        : qrImage.length <= MAX_DATA_IMAGE_LENGTH && DATA_IMAGE.test(qrImage)
          ? qrImage
          : externalImage(qrImage, imageOrigins.filter(isHttpOrigin)),
    width: size(width),
    height: size(height),
    otpauthUri: typeof otpauthUri === 'string' && OTPAUTH.test(otpauthUri) ? otpauthUri : undefined,
    secretGroups:
      cleanSecret !== undefined && /^[A-Z2-7]{8,128}$/.test(cleanSecret)
        ? (cleanSecret.match(/.{1,4}/g) ?? []).join(' ')
        : undefined,
  };
}

const attr = escapeHtml;

function hiddenInputs(fields: HiddenFields, lang: string | undefined, action: string): string {
  return [
    `<input type="hidden" name="request" value="${attr(fields.request)}">`,
    `<input type="hidden" name="context" value="${attr(fields.context)}">`,
    `<input type="hidden" name="page" value="${attr(fields.page)}">`,
    ...(lang === undefined ? [] : [`<input type="hidden" name="lang" value="${attr(lang)}">`]),
    `<input type="hidden" name="action" value="${attr(action)}">`,
  ].join('\n');
}

function messageBox(lang: string, message: PageMessage | undefined): string {
  if (message === undefined) return '';
  const text = pageHtml(lang, message.key, message.params);
  return message.kind === 'error'
    ? `<div id="error" class="fieldMargin error smallText" role="alert"><span id="errorText">${text}</span></div>`
    : `<div id="message" class="fieldMargin notice smallText" role="status"><span id="messageText">${text}</span></div>`;
}

function customText(html: string): string {
  return html === '' ? '' : `<div id="customText" class="groupMargin">${html}</div>`;
}

function time(date: Date, chrome: PageChrome): string {
  return formatTime(date, chrome.lang, chrome.timeZone);
}

function codeForm(
  chrome: PageChrome,
  fields: HiddenFields,
  message: PageMessage | undefined,
  intro: string,
  autofocus = true,
): string {
  const { lang } = chrome;
  const invalid =
    message?.kind === 'error' ? ' aria-invalid="true" aria-describedby="errorText"' : '';
  return `<form method="post" id="loginForm" action="${attr(chrome.pagePath)}" autocomplete="off">
${hiddenInputs(fields, lang, 'verify')}
${messageBox(lang, message)}
${intro}
<div id="otpArea" class="fieldMargin">
<label id="otpInputLabel" for="otpInput">${pageHtml(lang, 'page.code_label')}</label>
<input id="otpInput" name="code" type="text" class="text fullWidth" inputmode="numeric" autocomplete="one-time-code" spellcheck="false" maxlength="16" required${autofocus ? ' autofocus' : ''}${invalid}>
</div>
<div id="submissionArea" class="submitMargin">
<input id="submitButton" type="submit" class="submit" value="${pageHtml(lang, 'page.submit')}">
</div>
</form>`;
}

function languagePicker(chrome: PageChrome, fields: HiddenFields | undefined): string {
  if (fields === undefined) return '';
  const options = SUPPORTED_LANGUAGES.map((code) => {
    const name = escapeHtml(t(code, 'language.endonym'));
    const selected = code === chrome.lang ? ' selected' : '';
    return `<option value="${code}" lang="${LANGUAGE_INFO[code].tag}"${selected}>${name}</option>`;
  }).join('');
  const label = pageHtml(chrome.lang, 'page.language');
  return `<form id="languageForm" method="post" action="${attr(chrome.pagePath)}">
${hiddenInputs(fields, undefined, 'language')}
<select id="languageSelect" name="lang" aria-label="${label}">${options}</select>
<button type="submit" id="languageButton" class="secondary">${label}</button>
</form>`;
}

/**
 * The whole document around a page body.
 *
 * @param chrome - language, paths, company
 * @param title - the heading (escaped HTML)
 * @param body - the `#loginArea` content (HTML)
 * @param fields - when the page has a form: the hidden fields for the language picker
 * @returns the HTML document
 */
export function renderDocument(
  chrome: PageChrome,
  title: string,
  body: string,
  fields?: HiddenFields,
): string {
  const info = LANGUAGE_INFO[chrome.lang];
  const company =
    chrome.company !== undefined && chrome.company.trim() !== ''
      ? `<span id="companyName" class="logoImage">${escapeHtml(chrome.company.trim())}</span>`
      : '';
  return `<!DOCTYPE html>
<html lang="${attr(info.tag)}" dir="${info.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${title}</title>
<link rel="stylesheet" href="${attr(chrome.stylesheetPath)}">
<link rel="icon" href="data:,">
</head>
<body dir="${info.dir}" class="body">
<div id="fullPage">
<div id="brandingWrapper" class="float"><div id="branding" class="illustrationClass"></div></div>
<div id="contentWrapper" class="float">
<div id="content">
<div id="header">${company}</div>
<main id="workArea">
<div id="authArea" class="groupMargin">
<div id="loginArea">
<h1 id="loginMessage" class="groupMargin">${title}</h1>
${body}
</div>
</div>
</main>
<div id="footerPlaceholder"></div>
</div>
<div id="footer">
<div id="footerLinks" class="floatReverse">${languagePicker(chrome, fields)}</div>
</div>
</div>
</div>
</body>
</html>
`;
}

function enrollBody(chrome: PageChrome, view: Extract<MfaView, { kind: 'enroll' }>): string {
  const { lang } = chrome;
  const e = view.enrollment;
  const parts: string[] = [
    `<p id="enrollIntro" class="groupMargin">${pageHtml(lang, 'enrol.instruction')}</p>`,
  ];
  parts.push(customText(view.customHtml));
  if (e?.qrImage !== undefined) {
    const size =
      (e.width === undefined ? '' : ` width="${e.width}"`) +
      (e.height === undefined ? '' : ` height="${e.height}"`);
    const img = `<img id="qrImage" src="${attr(e.qrImage)}"${size} alt="${pageHtml(lang, 'enrol.qr_alt')}">`;
    parts.push(
      `<div id="qrCode" class="groupMargin">${
        e.otpauthUri === undefined ? img : `<a href="${attr(e.otpauthUri)}">${img}</a>`
      }</div>`,
    );
  }
  if (e?.otpauthUri !== undefined) {
    parts.push(
      `<p class="fieldMargin"><a id="openInApp" class="actionLink" href="${attr(e.otpauthUri)}">${pageHtml(lang, 'enrol.open_app')}</a></p>`,
    );
  }
  if (e?.secretGroups !== undefined) {
    parts.push(
      `<div id="manualEntry" class="groupMargin"><p class="fieldMargin smallText">${pageHtml(lang, 'enrol.manual_key')}</p><code id="manualKey">${escapeHtml(e.secretGroups)}</code></div>`,
    );
  }
  if (
    e === undefined ||
    (e.qrImage === undefined && e.otpauthUri === undefined && e.secretGroups === undefined)
  ) {
    parts.push(
      `<p id="qrNotAllowed" class="groupMargin">${pageHtml(lang, 'enrol.qr_not_allowed')}</p>`,
    );
  }
  // No autofocus on enrolment: on a phone the keyboard would cover the QR code.
  parts.push(codeForm(chrome, view.fields, view.message, '', view.message !== undefined));
  return parts.filter((p) => p !== '').join('\n');
}

function codeSentBody(chrome: PageChrome, view: Extract<MfaView, { kind: 'code_sent' }>): string {
  const { lang } = chrome;
  const intro =
    view.destination !== undefined && view.validUntil !== undefined
      ? pageHtml(lang, 'login.code_sent_email', {
          destination: view.destination,
          time: time(view.validUntil, chrome),
        })
      : pageHtml(lang, 'login.code_sent');
  const form = codeForm(
    chrome,
    view.fields,
    view.message,
    `<p id="pageIntroductionText" class="groupMargin">${intro}</p>\n${customText(view.customHtml)}`,
  );
  const wait =
    view.cooldownSeconds > 0
      ? `\n<p id="cooldownText" class="hint smallText">${pageHtml(lang, 'page.cooldown', { seconds: view.cooldownSeconds })}</p>`
      : '';
  const resend = `<div id="authOptions">
<form id="options" method="post" action="${attr(chrome.pagePath)}">
${hiddenInputs(view.fields, lang, 'resend')}
<input id="resendButton" type="submit" class="submit secondary" value="${pageHtml(lang, 'page.resend_code')}">${wait}
</form>
</div>`;
  return `${form}\n${resend}`;
}

/**
 * Draw the MFA page for a view.
 *
 * @param view - what `begin`/`end` decided, prepared by the route
 * @param chrome - language, paths, company, time zone
 * @returns the HTML document
 * @example
 * ```ts
 * renderMfaPage({ kind: 'disabled' }, { lang: 'de', pagePath: '/mfa', stylesheetPath: '/mfa/assets/style.css' });
 * ```
 */
export function renderMfaPage(view: MfaView, chrome: PageChrome): string {
  const { lang } = chrome;
  const title = pageHtml(lang, 'page.title');
  switch (view.kind) {
    case 'enroll':
      return renderDocument(
        chrome,
        pageHtml(lang, 'enrol.title'),
        enrollBody(chrome, view),
        view.fields,
      );
    case 'enter_code': {
      const intro = `<p id="pageIntroductionText" class="groupMargin">${pageHtml(lang, 'login.enter_code')}</p>\n${customText(view.customHtml)}`;
      return renderDocument(
        chrome,
        title,
        codeForm(chrome, view.fields, view.message, intro),
        view.fields,
      );
    }
    case 'code_sent':
      return renderDocument(chrome, title, codeSentBody(chrome, view), view.fields);
    case 'locked': {
      const text =
        view.until !== undefined
          ? pageHtml(lang, 'outcome.locked', { time: time(view.until, chrome) })
          : escapeHtml(view.fallbackMessage ?? '');
      return renderDocument(chrome, title, statusBox('locked', text));
    }
    case 'disabled':
      return renderDocument(
        chrome,
        title,
        statusBox('disabled', pageHtml(lang, 'outcome.disabled')),
      );
    case 'unavailable': {
      const text =
        view.message !== undefined && view.message.trim() !== ''
          ? escapeHtml(view.message)
          : pageHtml(lang, 'outcome.unavailable');
      return renderDocument(
        chrome,
        title,
        statusBox('unavailable', text) + startAgain(view.startAgainHref, lang),
      );
    }
    case 'expired':
      return renderDocument(
        chrome,
        title,
        statusBox('expired', pageHtml(lang, 'outcome.expired')) +
          startAgain(view.startAgainHref, lang),
      );
  }
}

/** A "start again" button back to the page with the same request (or nothing). */
function startAgain(href: string | undefined, lang: SupportedLanguage): string {
  return href === undefined
    ? ''
    : `\n<p class="submitMargin"><a id="startAgain" class="submit" href="${attr(href)}">${pageHtml(lang, 'page.start_again')}</a></p>`;
}

function statusBox(status: string, text: string): string {
  return `<div id="error" class="fieldMargin error smallText" role="alert" data-status="${attr(status)}"><span id="errorText">${text}</span></div>`;
}

/**
 * Draw an error page (bad or expired request, rate limit, server error): a message, no form,
 * no stack trace.
 *
 * @param chrome - language, paths
 * @param key - the message
 * @returns the HTML document
 * @example
 * ```ts
 * renderErrorPage(chrome, 'page.request_expired');
 * ```
 */
export function renderErrorPage(chrome: PageChrome, key: PageKey): string {
  return renderDocument(
    chrome,
    pageHtml(chrome.lang, 'page.title'),
    statusBox('error', pageHtml(chrome.lang, key)),
  );
}
