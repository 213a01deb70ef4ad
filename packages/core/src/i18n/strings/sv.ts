/**
 * Swedish (sv). Informal register (du), as Swedish interfaces address users.
 *
 * @module i18n
 */
import type { Messages } from '../messages.js';

/** Swedish strings. */
export const sv: Messages = {
  'language.endonym': 'Svenska',

  'page.title': 'Multifaktorautentisering',
  'page.code_label': 'Engångskod',
  'page.submit': 'Logga in',
  'page.send_code': 'Skicka kod',
  'page.resend_code': 'Skicka en ny kod',
  'page.cooldown': {
    plural: 'seconds',
    one: 'Du kan begära en ny kod om {seconds} sekund.',
    other: 'Du kan begära en ny kod om {seconds} sekunder.',
  },
  'page.cancel': 'Avbryt',
  'page.language': 'Språk',
  'page.invalid_request':
    'Den här inloggningslänken är inte giltig. Gå tillbaka till programmet och logga in igen.',
  'page.request_expired':
    'Den här inloggningslänken har upphört att gälla. Gå tillbaka till programmet och logga in igen.',
  'page.start_again': 'Börja om',
  'page.bad_request': 'Begäran kunde inte behandlas.',
  'demo.title': 'SecureMFA-demo',
  'demo.intro': 'Välj en demoanvändare för att prova inloggningssidan.',
  'demo.sign_in_as': 'Logga in som {account}',
  'demo.signed_in': 'Inloggad som {account} med en engångskod.',
  'demo.try_again': 'Försök igen',
  'demo.no_users': 'Inga demoanvändare har konfigurerats.',

  'enrol.title': 'Konfigurera din autentiseringsapp',
  'enrol.instruction':
    'Skanna den här QR-koden med din autentiseringsapp (Microsoft Authenticator, Google Authenticator, …) och ange sedan koden som visas.',
  'enrol.qr_alt': 'QR-kod för din autentiseringsapp',
  'enrol.manual_key': 'Går det inte att skanna? Ange den här nyckeln manuellt:',
  'enrol.open_app': 'Öppna i autentiseringsappen',
  'enrol.qr_not_allowed':
    'QR-koden kan inte visas från ditt nätverk. Kontakta supporten för att konfigurera din autentiseringsapp.',

  'login.enter_code': 'Ange koden som din autentiseringsapp har genererat.',
  'login.code_sent_email':
    'Vi har skickat en kod till {destination}. Den är giltig till kl. {time}.',
  'login.code_sent_channel': 'En kod har skickats till dig via {channel}.',
  'login.code_sent': 'Koden har skickats.',

  'outcome.invalid_code': 'Koden är inte korrekt. Försök igen.',
  'outcome.reused_code': 'Den här koden har redan använts. Vänta på nästa kod och försök igen.',
  'outcome.locked': 'För många misslyckade försök. Ditt konto är låst till kl. {time}.',
  'outcome.disabled': 'Ditt konto för engångskoder har inaktiverats. Kontakta supporten.',
  'outcome.expired': 'Din inloggningssession har gått ut. Börja om.',
  'outcome.unavailable': 'Inloggning med engångskod är inte tillgänglig för ditt konto.',
  'outcome.delivery_failed': 'Vi kunde inte skicka din kod. Försök igen senare.',
  'outcome.domain_not_allowed':
    'Koder kan inte skickas till domänen för din e-postadress. Kontakta supporten.',
  'outcome.recipient_rejected': 'E-postservern godtog inte din e-postadress. Kontakta supporten.',
  'outcome.malformed': 'Ange den {digits}-siffriga koden.',
  'outcome.rate_limited': 'För många förfrågningar. Vänta en stund och försök igen.',
  'outcome.server_error': 'Något gick fel. Försök igen senare.',
  'outcome.success': 'Verifierad.',

  'email.subject': 'Din inloggningskod',
  'email.greeting': 'Hej {account}!',
  'email.greeting_plain': 'Hej!',
  'email.code_line': 'Din engångskod är: {code}',
  'email.valid_until': 'Den är giltig till kl. {time}.',
  'email.not_you': 'Om det inte var du som försökte logga in, kontakta supporten och byt lösenord.',
  'email.signature': '{company}',

  'agent.prompt': 'Ange din engångskod',
  'agent.offline': 'Offlineinloggning',
  'agent.change_password': 'Byt lösenord: {url}',

  'metadata.qr-otp.name': 'Tidsbaserad OTP-autentisering',
  'metadata.qr-otp.description':
    'Logga in med en engångskod från en autentiseringsapp i din telefon.',
  'metadata.email-otp.name': 'Tidsbaserad OTP-autentisering via e-post',
  'metadata.email-otp.description': 'Logga in med en engångskod som skickas till din e-postadress.',
  'metadata.api-otp.name': 'Tidsbaserad OTP-autentisering via API',
  'metadata.api-otp.description':
    'Logga in med en engångskod som skickas till din telefon eller e-post.',
};
