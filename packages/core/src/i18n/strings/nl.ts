/**
 * Dutch (nl). Informal register (je), as Dutch software interfaces usually address users;
 * Microsoft's terminology ("meervoudige verificatie").
 *
 * @module i18n
 */
import type { Messages } from '../messages.js';

/** Dutch strings. */
export const nl: Messages = {
  'language.endonym': 'Nederlands',

  'page.title': 'Meervoudige verificatie',
  'page.code_label': 'Eenmalige code',
  'page.submit': 'Aanmelden',
  'page.send_code': 'Code verzenden',
  'page.resend_code': 'Nieuwe code verzenden',
  'page.cooldown': {
    plural: 'seconds',
    one: 'Je kunt over {seconds} seconde een nieuwe code aanvragen.',
    other: 'Je kunt over {seconds} seconden een nieuwe code aanvragen.',
  },
  'page.cancel': 'Annuleren',
  'page.language': 'Taal',
  'page.invalid_request':
    'Deze aanmeldkoppeling is niet geldig. Ga terug naar de toepassing en meld u opnieuw aan.',
  'page.request_expired':
    'Deze aanmeldkoppeling is verlopen. Ga terug naar de toepassing en meld u opnieuw aan.',
  'page.start_again': 'Opnieuw beginnen',
  'page.bad_request': 'De aanvraag kon niet worden verwerkt.',
  'demo.title': 'SecureMFA-demo',
  'demo.intro': 'Kies een demogebruiker om de aanmeldpagina te proberen.',
  'demo.sign_in_as': 'Aanmelden als {account}',
  'demo.signed_in': 'Aangemeld als {account} met een eenmalige code.',
  'demo.try_again': 'Opnieuw proberen',
  'demo.no_users': 'Er zijn geen demogebruikers ingesteld.',

  'enrol.title': 'Je authenticator-app instellen',
  'enrol.instruction':
    'Scan deze QR-code met je authenticator-app (Microsoft Authenticator, Google Authenticator, …) en voer daarna de code in die de app toont.',
  'enrol.qr_alt': 'QR-code voor je authenticator-app',
  'enrol.manual_key': 'Lukt scannen niet? Voer deze sleutel handmatig in:',
  'enrol.open_app': 'Openen in authenticator-app',
  'enrol.qr_not_allowed':
    'De QR-code kan niet worden weergegeven vanaf je netwerk. Neem contact op met je helpdesk om je authenticator-app in te stellen.',

  'login.enter_code': 'Voer de code in die je authenticator-app heeft gegenereerd.',
  'login.code_sent_email':
    'We hebben een code naar {destination} gestuurd. Deze is geldig tot {time}.',
  'login.code_sent_channel': 'Er is een code naar je verzonden via {channel}.',
  'login.code_sent': 'Code verzonden.',

  'outcome.invalid_code': 'De code is onjuist. Probeer het opnieuw.',
  'outcome.reused_code':
    'Deze code is al gebruikt. Wacht op de volgende code en probeer het opnieuw.',
  'outcome.locked': 'Te veel mislukte pogingen. Je account is vergrendeld tot {time}.',
  'outcome.disabled':
    'Je account voor eenmalige codes is uitgeschakeld. Neem contact op met je helpdesk.',
  'outcome.expired': 'Je aanmeldsessie is verlopen. Begin opnieuw.',
  'outcome.unavailable': 'Aanmelden met een eenmalige code is niet beschikbaar voor je account.',
  'outcome.delivery_failed': 'We konden je code niet verzenden. Probeer het later opnieuw.',
  'outcome.domain_not_allowed':
    'Er kunnen geen codes worden verzonden naar het domein van je e-mailadres. Neem contact op met je helpdesk.',
  'outcome.recipient_rejected':
    'De mailserver heeft je e-mailadres niet geaccepteerd. Neem contact op met je helpdesk.',
  'outcome.malformed': 'Voer de code van {digits} cijfers in.',
  'outcome.rate_limited': 'Te veel verzoeken. Wacht even en probeer het opnieuw.',
  'outcome.server_error': 'Er is iets misgegaan. Probeer het later opnieuw.',
  'outcome.success': 'Geverifieerd.',

  'email.subject': 'Je aanmeldcode',
  'email.greeting': 'Hallo {account},',
  'email.greeting_plain': 'Hallo,',
  'email.code_line': 'Je eenmalige code is: {code}',
  'email.valid_until': 'Deze is geldig tot {time}.',
  'email.not_you':
    'Heb je niet geprobeerd je aan te melden? Neem dan contact op met je helpdesk en wijzig je wachtwoord.',
  'email.signature': '{company}',

  'agent.prompt': 'Voer je eenmalige code in',
  'agent.offline': 'Offline aanmelden',
  'agent.change_password': 'Wachtwoord wijzigen: {url}',

  'metadata.qr-otp.name': 'Tijdgebaseerde OTP-verificatie',
  'metadata.qr-otp.description':
    'Meld je aan met een eenmalige code van een authenticator-app op je telefoon.',
  'metadata.email-otp.name': 'Tijdgebaseerde OTP-verificatie via e-mail',
  'metadata.email-otp.description':
    'Meld je aan met een eenmalige code die naar je e-mailadres wordt gestuurd.',
  'metadata.api-otp.name': 'Tijdgebaseerde OTP-verificatie via API',
  'metadata.api-otp.description':
    'Meld je aan met een eenmalige code die naar je telefoon of e-mailadres wordt gestuurd.',
};
