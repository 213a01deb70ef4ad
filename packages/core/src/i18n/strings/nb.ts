/**
 * Norwegian Bokmål (nb). `no` (Norwegian) and `nn` (Nynorsk) resolve here: it is the only
 * Norwegian catalogue, and Nynorsk readers read Bokmål.
 *
 * @module i18n
 */
import type { Messages } from '../messages.js';

/** Norwegian Bokmål strings. */
export const nb: Messages = {
  'language.endonym': 'Norsk bokmål',

  'page.title': 'Flerfaktorautentisering',
  'page.code_label': 'Engangskode',
  'page.submit': 'Logg på',
  'page.send_code': 'Send kode',
  'page.resend_code': 'Send en ny kode',
  'page.cooldown': {
    plural: 'seconds',
    one: 'Du kan be om en ny kode om {seconds} sekund.',
    other: 'Du kan be om en ny kode om {seconds} sekunder.',
  },
  'page.cancel': 'Avbryt',
  'page.language': 'Språk',
  'page.invalid_request':
    'Denne påloggingskoblingen er ikke gyldig. Gå tilbake til programmet og logg på igjen.',
  'page.request_expired':
    'Denne påloggingskoblingen er utløpt. Gå tilbake til programmet og logg på igjen.',
  'page.start_again': 'Start på nytt',
  'page.bad_request': 'Forespørselen kunne ikke behandles.',
  'demo.title': 'SecureMFA-demo',
  'demo.intro': 'Velg en demobruker for å prøve påloggingssiden.',
  'demo.sign_in_as': 'Logg på som {account}',
  'demo.signed_in': 'Logget på som {account} med en engangskode.',
  'demo.try_again': 'Prøv igjen',
  'demo.no_users': 'Ingen demobrukere er konfigurert.',

  'enrol.title': 'Konfigurer autentiseringsappen',
  'enrol.instruction':
    'Skann denne QR-koden med autentiseringsappen din (Microsoft Authenticator, Google Authenticator, …), og skriv deretter inn koden som vises.',
  'enrol.qr_alt': 'QR-kode for autentiseringsappen din',
  'enrol.manual_key': 'Får du ikke skannet? Skriv inn denne nøkkelen manuelt:',
  'enrol.open_app': 'Åpne i autentiseringsappen',
  'enrol.qr_not_allowed':
    'QR-koden kan ikke vises fra nettverket ditt. Kontakt brukerstøtte for å konfigurere autentiseringsappen.',

  'login.enter_code': 'Skriv inn koden som autentiseringsappen din har generert.',
  'login.code_sent_email': 'Vi har sendt en kode til {destination}. Den er gyldig til kl. {time}.',
  'login.code_sent_channel': 'En kode er sendt til deg via {channel}.',
  'login.code_sent': 'Koden er sendt.',

  'outcome.invalid_code': 'Koden er ikke riktig. Prøv igjen.',
  'outcome.reused_code': 'Denne koden er allerede brukt. Vent på neste kode, og prøv igjen.',
  'outcome.locked': 'For mange mislykkede forsøk. Kontoen din er låst til kl. {time}.',
  'outcome.disabled': 'Kontoen din for engangskoder er deaktivert. Kontakt brukerstøtte.',
  'outcome.expired': 'Påloggingsøkten din er utløpt. Start på nytt.',
  'outcome.unavailable': 'Pålogging med engangskode er ikke tilgjengelig for kontoen din.',
  'outcome.delivery_failed': 'Vi kunne ikke sende koden din. Prøv igjen senere.',
  'outcome.domain_not_allowed':
    'Koder kan ikke sendes til domenet for e-postadressen din. Kontakt brukerstøtte.',
  'outcome.recipient_rejected':
    'E-postserveren godtok ikke e-postadressen din. Kontakt brukerstøtte.',
  'outcome.malformed': 'Skriv inn den {digits}-sifrede koden.',
  'outcome.rate_limited': 'For mange forespørsler. Vent litt, og prøv igjen.',
  'outcome.server_error': 'Noe gikk galt. Prøv igjen senere.',
  'outcome.success': 'Bekreftet.',

  'email.subject': 'Påloggingskoden din',
  'email.greeting': 'Hei {account},',
  'email.greeting_plain': 'Hei,',
  'email.code_line': 'Engangskoden din er: {code}',
  'email.valid_until': 'Den er gyldig til kl. {time}.',
  'email.not_you':
    'Hvis du ikke prøvde å logge på, må du kontakte brukerstøtte og endre passordet ditt.',
  'email.signature': '{company}',

  'agent.prompt': 'Skriv inn engangskoden din',
  'agent.offline': 'Frakoblet pålogging',
  'agent.change_password': 'Endre passord: {url}',

  'metadata.qr-otp.name': 'Tidsbasert OTP-autentisering',
  'metadata.qr-otp.description':
    'Logg på med en engangskode fra en autentiseringsapp på telefonen din.',
  'metadata.email-otp.name': 'Tidsbasert OTP-autentisering via e-post',
  'metadata.email-otp.description': 'Logg på med en engangskode som sendes til e-postadressen din.',
  'metadata.api-otp.name': 'Tidsbasert OTP-autentisering via API',
  'metadata.api-otp.description':
    'Logg på med en engangskode som sendes til telefonen eller e-posten din.',
};
