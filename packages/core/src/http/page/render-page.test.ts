import { describe, expect, it } from '@jest/globals';
import { SUPPORTED_LANGUAGES, type SupportedLanguage } from '../../i18n/languages.js';
import { t } from '../../i18n/t.js';
import {
  enrollmentView,
  renderErrorPage,
  renderMfaPage,
  type HiddenFields,
  type MfaView,
  type PageChrome,
} from './render-page.js';

const chrome = (lang: SupportedLanguage = 'en', extra: Partial<PageChrome> = {}): PageChrome => ({
  lang,
  pagePath: '/mfa',
  stylesheetPath: '/mfa/assets/style.css',
  timeZone: 'UTC',
  ...extra,
});
const fields: HiddenFields = {
  request: 'req.jwt.sig',
  context: 'ctx.a.b.c.d',
  page: 'page.jwt.sig',
};
const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const enrollment = {
  otpauthUri:
    'otpauth://totp/ACME:alice%40example.test?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=ACME',
  qrImage: PNG,
  secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  width: 264,
  height: 264,
};
const at = new Date('2026-03-14T13:07:00Z');

const views: Record<MfaView['kind'], MfaView> = {
  enroll: { kind: 'enroll', enrollment: enrollmentView(enrollment), customHtml: '', fields },
  enter_code: { kind: 'enter_code', customHtml: '', fields },
  code_sent: {
    kind: 'code_sent',
    destination: 'j***@example.com',
    validUntil: at,
    cooldownSeconds: 0,
    customHtml: '',
    fields,
  },
  locked: { kind: 'locked', until: at, fallbackMessage: undefined },
  disabled: { kind: 'disabled' },
  unavailable: { kind: 'unavailable', message: undefined },
  expired: { kind: 'expired', startAgainHref: '/mfa?request=abc&lang=en' },
};

/** The attribute values of every element matching a tag + id. */
const hasId = (html: string, id: string) => new RegExp(`\\sid="${id}"`).test(html);
const count = (html: string, re: RegExp) => (html.match(re) ?? []).length;

describe('renderMfaPage: structure per status', () => {
  it('enroll: QR image with the presentation size, tappable otpauth link, grouped secret, code form', () => {
    const html = renderMfaPage(views.enroll, chrome());
    expect(html).toContain(`<img id="qrImage" src="${PNG}" width="264" height="264"`);
    expect(count(html, /href="otpauth:\/\/totp\/ACME:alice%40example.test\?secret=/g)).toBe(2);
    expect(html).toContain('<code id="manualKey">JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP</code>');
    expect(html).toMatch(/<form method="post" id="loginForm" action="\/mfa"/);
    expect(html).toContain('<input id="otpInput" name="code"');
    expect(html).toContain(t('en', 'enrol.title'));
    expect(hasId(html, 'options')).toBe(false);
  });

  it('enter_code: the code form with all hidden fields and action=verify', () => {
    const html = renderMfaPage(views.enter_code, chrome());
    expect(html).toContain(t('en', 'login.enter_code'));
    for (const [name, value] of Object.entries(fields)) {
      expect(html).toContain(`<input type="hidden" name="${name}" value="${value}">`);
    }
    expect(html).toContain('<input type="hidden" name="action" value="verify">');
    expect(html).toContain('<input type="hidden" name="lang" value="en">');
    expect(html).toMatch(/<input id="submitButton" type="submit" class="submit" value="Sign in">/);
    expect(hasId(html, 'qrImage')).toBe(false);
  });

  it('code_sent: masked destination, valid-until time, code form and a resend form', () => {
    const html = renderMfaPage(views.code_sent, chrome());
    expect(html).toContain(
      'We sent a code to <bdi>j***@example.com</bdi>. It is valid until <bdi>1:07 PM</bdi>.',
    );
    expect(html).toContain('id="loginForm"');
    expect(html).toMatch(
      /<form id="options" method="post" action="\/mfa">[\s\S]*name="action" value="resend"[\s\S]*id="resendButton"/,
    );
    expect(hasId(html, 'cooldownText')).toBe(false);
  });

  it('code_sent: shows the cooldown while it runs', () => {
    const html = renderMfaPage({ ...views.code_sent, cooldownSeconds: 12 } as MfaView, chrome());
    expect(html).toContain(
      '<p id="cooldownText" class="hint smallText">You can request a new code in 12 seconds.</p>',
    );
  });

  it('locked: the time, no form', () => {
    const html = renderMfaPage(views.locked, chrome('de'));
    const [before] = t('de', 'outcome.locked', { time: '\u0001' }).split('\u0001');
    expect(html).toContain(`${before}<bdi>13:07</bdi>`);
    expect(html).not.toContain('<form');
    expect(html).toContain('data-status="locked"');
  });

  it('disabled and unavailable: a message, no form', () => {
    const disabled = renderMfaPage(views.disabled, chrome());
    expect(disabled).toContain(t('en', 'outcome.disabled'));
    expect(disabled).not.toContain('<form');
    const unavailable = renderMfaPage(views.unavailable, chrome());
    expect(unavailable).toContain(t('en', 'outcome.unavailable'));
    expect(unavailable).not.toContain('<form');
    const custom = renderMfaPage({ kind: 'unavailable', message: 'Gateway said <no>' }, chrome());
    expect(custom).toContain('Gateway said &lt;no&gt;');
    expect(custom).not.toContain('id="startAgain"');
  });

  it('unavailable with the request at hand: a start-again link that runs begin again', () => {
    const html = renderMfaPage(
      { kind: 'unavailable', message: undefined, startAgainHref: '/mfa?request=r1&lang=de' },
      chrome('de'),
    );
    expect(html).toContain(t('de', 'outcome.unavailable'));
    expect(html).toContain(
      `<a id="startAgain" class="submit" href="/mfa?request=r1&amp;lang=de">${t('de', 'page.start_again')}</a>`,
    );
  });

  it('expired: the message and a start-again link', () => {
    const html = renderMfaPage(views.expired, chrome());
    expect(html).toContain(t('en', 'outcome.expired'));
    expect(html).toContain(
      '<a id="startAgain" class="submit" href="/mfa?request=abc&amp;lang=en">Start again</a>',
    );
    expect(html).not.toContain('<form');
  });

  it('an error message goes into #error/#errorText and marks the input invalid', () => {
    const html = renderMfaPage(
      {
        kind: 'enter_code',
        customHtml: '',
        fields,
        message: { kind: 'error', key: 'outcome.invalid_code' },
      },
      chrome(),
    );
    expect(html).toContain(
      `<div id="error" class="fieldMargin error smallText" role="alert"><span id="errorText">${t('en', 'outcome.invalid_code')}</span></div>`,
    );
    expect(html).toContain('aria-invalid="true"');
  });

  it('the malformed message names the number of digits', () => {
    const html = renderMfaPage(
      {
        kind: 'enter_code',
        customHtml: '',
        fields,
        message: { kind: 'error', key: 'outcome.malformed', params: { digits: 8 } },
      },
      chrome(),
    );
    expect(html).toContain('Enter the 8-digit code.');
  });

  it('has the AD FS page structure on every status', () => {
    for (const view of Object.values(views)) {
      const html = renderMfaPage(view, chrome());
      for (const id of [
        'fullPage',
        'brandingWrapper',
        'branding',
        'contentWrapper',
        'content',
        'header',
        'workArea',
        'authArea',
        'loginArea',
        'loginMessage',
        'footerPlaceholder',
        'footer',
      ]) {
        expect({ id, ok: hasId(html, id) }).toEqual({ id, ok: true });
      }
      expect(html).toContain('class="illustrationClass"');
      expect(html).toContain('<link rel="stylesheet" href="/mfa/assets/style.css">');
    }
    const form = renderMfaPage(views.enter_code, chrome());
    expect(form).toContain('<div id="submissionArea" class="submitMargin">');
    expect(form).toContain('class="text fullWidth"');
  });

  it('contains no script, no inline handler and no inline style on any status and language', () => {
    for (const lang of SUPPORTED_LANGUAGES) {
      for (const view of Object.values(views)) {
        const html = renderMfaPage(view, chrome(lang, { company: 'ACME' }));
        expect(html).not.toMatch(/<script/i);
        expect(html).not.toMatch(/\son[a-z]+=/i);
        expect(html).not.toMatch(/\sstyle=/i);
        expect(html).not.toMatch(/javascript:/i);
      }
    }
  });
});

describe('renderMfaPage: languages', () => {
  it('Arabic pages are right to left, with lang and dir on html and body', () => {
    const html = renderMfaPage(views.code_sent, chrome('ar'));
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain('<body dir="rtl" class="body">');
    expect(html).toContain('<bdi>j***@example.com</bdi>');
  });

  it('other languages are left to right with their BCP 47 tag', () => {
    expect(renderMfaPage(views.disabled, chrome('zh'))).toContain(
      '<html lang="zh-Hans" dir="ltr">',
    );
    expect(renderMfaPage(views.disabled, chrome('pt'))).toContain('<html lang="pt-BR" dir="ltr">');
    expect(renderMfaPage(views.disabled, chrome('de'))).toContain(t('de', 'outcome.disabled'));
  });

  it('the language picker lists all 17 languages, the current one selected, on form pages only', () => {
    const html = renderMfaPage(views.enter_code, chrome('fi'));
    expect(count(html, /<option value="/g)).toBe(17);
    expect(html).toContain(
      `<option value="fi" lang="fi" selected>${t('fi', 'language.endonym')}</option>`,
    );
    expect(html).toMatch(
      /<form id="languageForm" method="post" action="\/mfa">[\s\S]*name="action" value="language"/,
    );
    // The picker's own select carries lang; the form must not post a second lang field.
    const picker = html.slice(html.indexOf('id="languageForm"'));
    expect(count(picker.slice(0, picker.indexOf('</form>')), /name="lang"/g)).toBe(1);
    expect(renderMfaPage(views.disabled, chrome('fi'))).not.toContain('languageForm');
  });
});

describe('renderMfaPage: escaping', () => {
  const evil = '"><script>alert(1)</script>&\'';

  it('escapes hidden field values, destination, company and messages', () => {
    const html = renderMfaPage(
      {
        kind: 'code_sent',
        destination: evil,
        validUntil: at,
        cooldownSeconds: 0,
        customHtml: '',
        fields: { request: evil, context: evil, page: evil },
      },
      chrome('en', { company: evil }),
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&#39;"');
    expect(html).toContain('<bdi>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&#39;</bdi>');
    expect(html).toContain('<span id="companyName" class="logoImage">&quot;&gt;&lt;script&gt;');
  });

  it('places the sanitised custom HTML as given (already sanitised upstream)', () => {
    const html = renderMfaPage(
      {
        kind: 'enter_code',
        customHtml:
          '<b>Need help?</b> <a href="https://help.example/" rel="noopener noreferrer">Help</a>',
        fields,
      },
      chrome(),
    );
    expect(html).toContain(
      '<div id="customText" class="groupMargin"><b>Need help?</b> <a href="https://help.example/" rel="noopener noreferrer">Help</a></div>',
    );
  });

  it('does not draw an external image of an origin the host does not allow, a malformed image, nor a non-otpauth link', () => {
    const view = enrollmentView({
      ...enrollment,
      qrImage: 'https://qr.example/?data=x',
      otpauthUri: 'javascript:alert(1)',
    });
    expect(view?.qrImage).toBeUndefined();
    expect(
      enrollmentView({ ...enrollment, qrImage: 'https://qr.example/?data=x' }, [
        'https://other.example',
      ])?.qrImage,
    ).toBeUndefined();
    expect(view?.otpauthUri).toBeUndefined();
    const html = renderMfaPage(
      { kind: 'enroll', enrollment: view, customHtml: '', fields },
      chrome(),
    );
    expect(html).not.toContain('<img');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('JBSW Y3DP');
    expect(
      enrollmentView({ ...enrollment, qrImage: 'data:image/svg+xml;base64,PHN2Zz4=' })?.qrImage,
    ).toBeUndefined();
    expect(
      enrollmentView({ ...enrollment, qrImage: `${PNG}"onerror="x` })?.qrImage,
    ).toBeUndefined();
  });

  it('omits an unusable size and says so when nothing of the enrolment can be shown', () => {
    const view = enrollmentView({ qrImage: PNG, width: -1, height: 1e9 });
    expect(view).toMatchObject({
      qrImage: PNG,
      width: undefined,
      height: undefined,
      otpauthUri: undefined,
      secretGroups: undefined,
    });
    const html = renderMfaPage(
      { kind: 'enroll', enrollment: enrollmentView({}), customHtml: '', fields },
      chrome(),
    );
    expect(html).toContain(t('en', 'enrol.qr_not_allowed'));
  });
});

describe('enrollmentView: an external QR service image (totp_api_endpoint)', () => {
  const ORIGIN = 'https://qr.example.test';
  const uri = enrollment.otpauthUri;
  const external = `${ORIGIN}/v1/create-qr-code/?size=150x150&data=${encodeURIComponent(uri)}`;
  const view = (qrImage: unknown, origins: readonly string[] = [ORIGIN]) =>
    enrollmentView({ ...enrollment, qrImage }, origins)?.qrImage;

  it('draws an image of an allowed origin, attribute-escaped, with the otpauth link and the manual key', () => {
    expect(view(external)).toBe(external);
    const html = renderMfaPage(
      {
        kind: 'enroll',
        enrollment: enrollmentView({ ...enrollment, qrImage: external }, [ORIGIN]),
        customHtml: '',
        fields,
      },
      chrome(),
    );
    const escaped = external.replace(/&/g, '&amp;');
    expect(html).toContain(`<img id="qrImage" src="${escaped}" width="264" height="264"`);
    expect(html).not.toContain(`src="${external}"`); // the raw "&" never reaches the attribute
    expect(count(html, /href="otpauth:\/\/totp\/ACME:alice%40example.test\?secret=/g)).toBe(2);
    expect(html).toContain('<code id="manualKey">JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP</code>');
  });

  it('matches the origin exactly: scheme, host and port', () => {
    expect(view(external, [`${ORIGIN}:443`])).toBeUndefined(); // not a serialised origin
    expect(view(external.replace('https:', 'http:'))).toBeUndefined(); // http needs an http origin
    expect(view(`${ORIGIN}:8443/?data=x`)).toBeUndefined();
    expect(view('https://evil.qr.example.test/?data=x')).toBeUndefined();
    expect(view('https://qr.example.test.evil.example/?data=x')).toBeUndefined();
    expect(view('https://QR.Example.Test:443/?data=x')).toBe('https://qr.example.test/?data=x');
    const local = 'http://127.0.0.1:8080';
    expect(view(`${local}/qr?data=x`, [local])).toBe(`${local}/qr?data=x`);
    expect(view(`https://127.0.0.1:8080/qr?data=x`, [local])).toBeUndefined();
  });

  it('draws nothing without allowed origins, and ignores CSP keywords, schemes and wildcards', () => {
    expect(view(external, [])).toBeUndefined();
    expect(enrollmentView({ ...enrollment, qrImage: external })?.qrImage).toBeUndefined();
    for (const source of [
      "'self'",
      'data:',
      'https:',
      '*',
      'https://*.example.test',
      `${ORIGIN}/`,
    ]) {
      expect(view(external, [source])).toBeUndefined();
    }
  });

  it.each([
    ['javascript:', 'javascript:alert(1)//https://qr.example.test/'],
    ['data: of another type', 'data:text/html;base64,PHNjcmlwdD4='],
    ['credentials', 'https://user:pass@qr.example.test/?data=x'],
    ['a user name', 'https://user@qr.example.test/?data=x'],
    ['a tab (the parser would drop it)', 'https://qr.example.test/?da\tta=x'],
    ['a newline', 'https://qr.example.test/?data=x\n'],
    ['a space', 'https://qr.example.test/?data=a b'],
    ['leading space', ' https://qr.example.test/?data=x'],
    ['a relative URL', '//qr.example.test/?data=x'],
    ['malformed', 'https://qr.example.test:99999/?data=x'],
    ['too long', `https://qr.example.test/?data=${'a'.repeat(9000)}`],
    ['not a string', 42],
  ])('does not draw an image URL with %s', (_what, qrImage) => {
    expect(view(qrImage)).toBeUndefined();
  });

  it('draws a quote or angle bracket only percent-encoded (nothing leaves the attribute)', () => {
    const drawn = view('https://qr.example.test/?data="><script>x</script>');
    expect(drawn).toBe('https://qr.example.test/?data=%22%3E%3Cscript%3Ex%3C/script%3E');
    const html = renderMfaPage(
      {
        kind: 'enroll',
        enrollment: enrollmentView({ ...enrollment, qrImage: drawn }, [ORIGIN]),
        customHtml: '',
        fields,
      },
      chrome(),
    );
    expect(html).not.toContain('<script');
    expect(html).toContain(`src="${drawn}"`);
  });

  it('keeps data: images as they are, whatever the allowed origins', () => {
    expect(view(PNG)).toBe(PNG);
    expect(view(PNG, [])).toBe(PNG);
  });
});

describe('renderErrorPage', () => {
  it('shows the message in the language, with no form and no stack', () => {
    const html = renderErrorPage(chrome('en'), 'page.request_expired');
    expect(html).toContain('This sign-in link has expired.');
    expect(html).not.toContain('<form');
    expect(html).not.toMatch(/at .*\.js:\d+/);
  });

  it('uses the catalogue for catalogue keys', () => {
    expect(renderErrorPage(chrome('ru'), 'outcome.rate_limited')).toContain(
      t('ru', 'outcome.rate_limited'),
    );
  });
});
