/**
 * Danish (da). Informal register (du), as Danish interfaces address users; times read
 * "kl. 15.07".
 *
 * @module i18n
 */
import type { Messages } from '../messages.js';

/** Danish strings. */
export const da: Messages = {
  'language.endonym': 'Dansk',

  'page.title': 'Multifaktorgodkendelse',
  'page.code_label': 'Engangskode',
  'page.submit': 'Log på',
  'page.send_code': 'Send kode',
  'page.resend_code': 'Send en ny kode',
  'page.cooldown': {
    plural: 'seconds',
    one: 'Du kan anmode om en ny kode om {seconds} sekund.',
    other: 'Du kan anmode om en ny kode om {seconds} sekunder.',
  },
  'page.cancel': 'Annuller',
  'page.language': 'Sprog',
  'page.invalid_request':
    'Dette loginlink er ikke gyldigt. Gå tilbage til programmet, og log på igen.',
  'page.request_expired': 'Dette loginlink er udløbet. Gå tilbage til programmet, og log på igen.',
  'page.start_again': 'Start forfra',
  'page.bad_request': 'Anmodningen kunne ikke behandles.',
  'demo.title': 'SecureMFA-demo',
  'demo.intro': 'Vælg en demobruger for at prøve loginsiden.',
  'demo.sign_in_as': 'Log på som {account}',
  'demo.signed_in': 'Logget på som {account} med en engangskode.',
  'demo.try_again': 'Prøv igen',
  'demo.no_users': 'Der er ikke konfigureret nogen demobrugere.',

  'enrol.title': 'Konfigurer din godkendelsesapp',
  'enrol.instruction':
    'Scan denne QR-kode med din godkendelsesapp (Microsoft Authenticator, Google Authenticator, …), og indtast derefter den kode, som appen viser.',
  'enrol.qr_alt': 'QR-kode til din godkendelsesapp',
  'enrol.manual_key': 'Kan du ikke scanne? Indtast denne nøgle manuelt:',
  'enrol.open_app': 'Åbn i godkendelsesappen',
  'enrol.qr_not_allowed':
    'QR-koden kan ikke vises fra dit netværk. Kontakt din support for at konfigurere din godkendelsesapp.',

  'login.enter_code': 'Indtast den kode, som din godkendelsesapp har genereret.',
  'login.code_sent_email':
    'Vi har sendt en kode til {destination}. Den er gyldig indtil kl. {time}.',
  'login.code_sent_channel': 'Der er sendt en kode til dig via {channel}.',
  'login.code_sent': 'Koden er sendt.',

  'outcome.invalid_code': 'Koden er ikke korrekt. Prøv igen.',
  'outcome.reused_code': 'Denne kode er allerede brugt. Vent på den næste kode, og prøv igen.',
  'outcome.locked': 'For mange mislykkede forsøg. Din konto er låst indtil kl. {time}.',
  'outcome.disabled': 'Din konto til engangskoder er deaktiveret. Kontakt din support.',
  'outcome.expired': 'Din logonsession er udløbet. Start forfra.',
  'outcome.unavailable': 'Logon med engangskode er ikke tilgængeligt for din konto.',
  'outcome.delivery_failed': 'Vi kunne ikke sende din kode. Prøv igen senere.',
  'outcome.domain_not_allowed':
    'Der kan ikke sendes koder til domænet for din mailadresse. Kontakt din support.',
  'outcome.recipient_rejected':
    'Mailserveren accepterede ikke din mailadresse. Kontakt din support.',
  'outcome.malformed': 'Indtast den {digits}-cifrede kode.',
  'outcome.rate_limited': 'For mange anmodninger. Vent lidt, og prøv igen.',
  'outcome.server_error': 'Der opstod en fejl. Prøv igen senere.',
  'outcome.success': 'Bekræftet.',

  'email.subject': 'Din logonkode',
  'email.greeting': 'Hej {account}',
  'email.greeting_plain': 'Hej',
  'email.code_line': 'Din engangskode er: {code}',
  'email.valid_until': 'Den er gyldig indtil kl. {time}.',
  'email.not_you':
    'Hvis du ikke har forsøgt at logge på, skal du kontakte din support og ændre din adgangskode.',
  'email.signature': '{company}',

  'agent.prompt': 'Indtast din engangskode',
  'agent.offline': 'Offlinelogon',
  'agent.change_password': 'Skift adgangskode: {url}',

  'metadata.qr-otp.name': 'Tidsbaseret OTP-godkendelse',
  'metadata.qr-otp.description': 'Log på med en engangskode fra en godkendelsesapp på din telefon.',
  'metadata.email-otp.name': 'Tidsbaseret OTP-godkendelse via mail',
  'metadata.email-otp.description': 'Log på med en engangskode, der sendes til din mailadresse.',
  'metadata.api-otp.name': 'Tidsbaseret OTP-godkendelse via API',
  'metadata.api-otp.description':
    'Log på med en engangskode, der sendes til din telefon eller mail.',
};
