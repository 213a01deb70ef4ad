/**
 * `GET /demo/mailbox` of `serve --demo` without an SMTP server: the code e-mails of the demo
 * mailbox (newest first) as plain text, so a person trying the hosted page in one tab reads the
 * code in another. No JavaScript, no external reference (the host's CSP applies); the page
 * refreshes only when reloaded.
 *
 * @module demo-mailbox-page
 */
import { escapeHtml } from '@securemfa/core';
import type { HostExtension } from '@securemfa/core/http';
import type { DemoMailbox } from './demo-mailbox.js';

/** Where the mailbox is served. */
export const DEMO_MAILBOX_PATH = '/demo/mailbox';

/**
 * The mailbox page's HTML.
 *
 * @param mailbox - the demo mailbox
 * @param stylesheet - path of the host's stylesheet
 * @returns a complete HTML document
 */
export function renderDemoMailbox(
  mailbox: DemoMailbox,
  stylesheet = '/mfa/assets/style.css',
): string {
  const items =
    mailbox.mails.length === 0
      ? '<p id="empty">No code e-mail yet. Open <a href="/demo">/demo</a>, pick a user, then reload this page.</p>'
      : mailbox.mails
          .map(
            (m, i) => `<article class="mail" id="mail${i}">
<h2>${escapeHtml(m.subject)}</h2>
<p class="hint smallText">To ${escapeHtml(m.to)} · <time datetime="${m.at.toISOString()}">${escapeHtml(m.at.toISOString())}</time></p>
<pre>${escapeHtml(m.text)}</pre>
</article>`,
          )
          .join('\n');
  return `<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>Demo mailbox</title>
<link rel="stylesheet" href="${escapeHtml(stylesheet)}">
<link rel="icon" href="data:,">
</head>
<body class="body">
<main id="workArea">
<h1>Demo mailbox</h1>
<p class="hint">Code e-mails of <code>serve --demo</code> (no SMTP server configured), newest first. Reload to see new ones.</p>
${items}
</main>
</body>
</html>
`;
}

/**
 * The mailbox page as a host extension.
 *
 * @param mailbox - the demo mailbox
 * @returns the extension (`GET /demo/mailbox`)
 */
export function demoMailboxPage(mailbox: DemoMailbox): HostExtension {
  return (app) => {
    app.get(DEMO_MAILBOX_PATH, async (_request, reply) =>
      reply.code(200).type('text/html; charset=utf-8').send(renderDemoMailbox(mailbox)),
    );
  };
}
