/**
 * The hosted page's default stylesheet, served at `/mfa/assets/style.css` (same origin: the CSP
 * allows `style-src 'self'` only). It styles the AD FS page structure (`#fullPage`,
 * `#brandingWrapper`, `#contentWrapper`, `#content`, `#header`, `#workArea`, `#authArea`,
 * `#error`, `#submissionArea`, `.submit`, `.text`, `.fieldMargin`, `.groupMargin` …), so an
 * AD FS web theme's `style.css` given as `theme_css_file` can replace it wholesale.
 *
 * A centred card (the AD FS 2019 look), readable on a phone, logical properties so that the
 * right-to-left Arabic page mirrors without a second file. Kept as a string rather than a
 * `.css` file because `tsc` copies no assets into `dist`.
 *
 * @module http
 */

/** The default CSS. */
export const DEFAULT_STYLESHEET = `/* SecureMFA hosted page - default theme (AD FS page structure) */
*, *::before, *::after { box-sizing: border-box; }
html, body { margin: 0; padding: 0; min-height: 100%; }
html { background: #1f6fb2; }
body {
  font-family: "Segoe UI", "Segoe", system-ui, -apple-system, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
  font-size: 15px; line-height: 1.5; color: #1b1b1b; background: #eef1f5;
}
:lang(zh) { font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", sans-serif; }
:lang(ar) { font-family: "Segoe UI", Tahoma, "Noto Naskh Arabic", "Noto Sans Arabic", sans-serif; }

#fullPage { position: relative; min-height: 100vh; display: flex; align-items: center; justify-content: center; padding: 24px 12px; }
#brandingWrapper { position: fixed; inset: 0; z-index: 0; background: linear-gradient(135deg, #0f4c81 0%, #1f6fb2 55%, #3a8dde 100%); }
#branding { width: 100%; height: 100%; background-size: cover; background-position: center; background-repeat: no-repeat; }
#contentWrapper { position: relative; z-index: 1; width: 100%; max-width: 440px; background: #fff; border-radius: 6px; box-shadow: 0 6px 28px rgba(0, 0, 0, 0.22); }
#content { padding: 32px 40px 16px; }
#header { min-height: 32px; margin-bottom: 20px; font-size: 1.25em; font-weight: 600; color: #1b1b1b; overflow-wrap: anywhere; }
#header img.logoImage { display: block; max-width: 100%; max-height: 48px; width: auto; height: auto; }
#workArea { overflow-wrap: anywhere; }
#loginMessage, h1 { font-size: 1.45em; font-weight: 600; line-height: 1.3; margin: 0 0 16px; }
p { margin: 0 0 12px; }
a { color: #0067b8; text-decoration: none; }
a:hover, a:focus { text-decoration: underline; }
:focus-visible { outline: 2px solid #0067b8; outline-offset: 2px; }

.groupMargin { margin-bottom: 20px; }
.fieldMargin { margin-bottom: 10px; }
.submitMargin { margin-top: 20px; margin-bottom: 12px; }
.smallText { font-size: 0.9em; }
.hint { color: #5f6b7a; }
.hidden { display: none; }
.block { display: block; }
.fullWidth { width: 100%; }
.float, .floatReverse { float: none; }
.clear { clear: both; }
.actionLink { display: inline-block; margin-bottom: 8px; }

label { display: block; font-weight: 600; margin-bottom: 6px; }
input.text {
  display: block; width: 100%; height: 44px; padding: 6px 10px; font: inherit; font-size: 1.25em;
  letter-spacing: 0.12em; border: 1px solid #8a8886; border-radius: 4px; background: #fff; color: inherit;
}
input.text:focus { border-color: #0067b8; box-shadow: 0 0 0 1px #0067b8; outline: none; }
input.text[aria-invalid="true"] { border-color: #c50f1f; }
select { font: inherit; height: 34px; padding: 2px 6px; border: 1px solid #8a8886; border-radius: 4px; background: #fff; max-width: 100%; }

.submit, input[type="submit"], button {
  display: inline-block; min-width: 108px; min-height: 40px; padding: 8px 20px; font: inherit; font-weight: 600;
  border: 1px solid #0067b8; border-radius: 4px; background: #0067b8; color: #fff; cursor: pointer;
}
.submit:hover, input[type="submit"]:hover, button:hover { background: #005da6; }
#submitButton { width: 100%; }
.secondary, input[type="submit"].secondary, button.secondary { background: #fff; color: #0067b8; }
.secondary:hover, input[type="submit"].secondary:hover, button.secondary:hover { background: #f0f6fc; }

#error { padding: 10px 12px; border-inline-start: 4px solid #c50f1f; background: #fdf3f4; border-radius: 2px; }
.error { color: #a4262c; }
#message.notice { padding: 10px 12px; border-inline-start: 4px solid #0067b8; background: #f0f6fc; border-radius: 2px; }

#customText { padding: 10px 12px; background: #f6f8fa; border-radius: 4px; }
#customText ul, #customText ol { margin: 6px 0; padding-inline-start: 20px; }

#qrCode { text-align: center; margin: 8px auto 12px; }
#qrCode img { display: block; margin: 0 auto; max-width: 100%; height: auto; image-rendering: pixelated; border: 8px solid #fff; box-shadow: 0 0 0 1px #d5dbe3; }
#openInApp { display: block; text-align: center; }
#manualKey {
  display: block; text-align: center; direction: ltr; unicode-bidi: isolate; font-family: "Cascadia Mono", Consolas, "SFMono-Regular", Menlo, monospace;
  font-size: 0.95em; letter-spacing: 0.02em; word-spacing: 0.1em; padding: 8px 4px; background: #f6f8fa; border-radius: 4px;
  user-select: all; overflow-wrap: anywhere;
}

#authOptions { border-top: 1px solid #e1e5ea; padding-top: 16px; margin-top: 8px; }
#authOptions .hint { margin-top: 8px; }

#footerPlaceholder { height: 8px; }
#footer { padding: 12px 40px 20px; color: #5f6b7a; font-size: 0.85em; }
#footerLinks { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; justify-content: flex-end; }
#languageForm { display: flex; gap: 6px; align-items: center; margin: 0; }
#languageForm label { display: inline; font-weight: normal; margin: 0; }
#languageForm button { min-width: 0; min-height: 34px; padding: 4px 12px; }
#languageLinks { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 10px; justify-content: center; }

#demoUsers { list-style: none; margin: 0; padding: 0; }
#demoUsers li { margin-bottom: 10px; }
#demoUsers form { margin: 0; }
#demoUsers .submit { width: 100%; text-align: start; }

@media (max-width: 480px) {
  html, body { font-size: 14px; background: #fff; }
  #fullPage { padding: 0; align-items: flex-start; }
  #brandingWrapper { display: none; }
  #contentWrapper { max-width: none; border-radius: 0; box-shadow: none; }
  #content { padding: 24px 20px 8px; }
  #footer { padding: 12px 20px 20px; }
}
@media (prefers-reduced-motion: reduce) { * { transition: none !important; } }
`;
