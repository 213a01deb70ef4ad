/**
 * German (de). Formal register (Sie), Microsoft's terminology ("Mehrstufige Authentifizierung").
 *
 * @module i18n
 */
import type { Messages } from '../messages.js';

/** German strings. */
export const de: Messages = {
  'language.endonym': 'Deutsch',

  'page.title': 'Mehrstufige Authentifizierung',
  'page.code_label': 'Einmalcode',
  'page.submit': 'Anmelden',
  'page.send_code': 'Code senden',
  'page.resend_code': 'Neuen Code senden',
  'page.cooldown': {
    plural: 'seconds',
    one: 'Sie können in {seconds} Sekunde einen neuen Code anfordern.',
    other: 'Sie können in {seconds} Sekunden einen neuen Code anfordern.',
  },
  'page.cancel': 'Abbrechen',
  'page.language': 'Sprache',
  'page.invalid_request':
    'Dieser Anmeldelink ist ungültig. Kehren Sie zur Anwendung zurück und melden Sie sich erneut an.',
  'page.request_expired':
    'Dieser Anmeldelink ist abgelaufen. Kehren Sie zur Anwendung zurück und melden Sie sich erneut an.',
  'page.start_again': 'Neu beginnen',
  'page.bad_request': 'Die Anfrage konnte nicht verarbeitet werden.',
  'demo.title': 'SecureMFA-Demo',
  'demo.intro': 'Wählen Sie einen Demobenutzer, um die Anmeldeseite auszuprobieren.',
  'demo.sign_in_as': 'Als {account} anmelden',
  'demo.signed_in': 'Als {account} mit einem Einmalcode angemeldet.',
  'demo.try_again': 'Erneut versuchen',
  'demo.no_users': 'Es sind keine Demobenutzer eingerichtet.',

  'enrol.title': 'Authentifizierungs-App einrichten',
  'enrol.instruction':
    'Scannen Sie diesen QR-Code mit Ihrer Authentifizierungs-App (Microsoft Authenticator, Google Authenticator, …) und geben Sie dann den angezeigten Code ein.',
  'enrol.qr_alt': 'QR-Code für Ihre Authentifizierungs-App',
  'enrol.manual_key': 'Scannen nicht möglich? Geben Sie diesen Schlüssel manuell ein:',
  'enrol.open_app': 'In der Authentifizierungs-App öffnen',
  'enrol.qr_not_allowed':
    'Der QR-Code kann in Ihrem Netzwerk nicht angezeigt werden. Wenden Sie sich an Ihren Support, um Ihre Authentifizierungs-App einzurichten.',

  'login.enter_code': 'Geben Sie den von Ihrer Authentifizierungs-App generierten Code ein.',
  'login.code_sent_email':
    'Wir haben einen Code an {destination} gesendet. Er ist bis {time} Uhr gültig.',
  'login.code_sent_channel': 'Ein Code wurde Ihnen per {channel} gesendet.',
  'login.code_sent': 'Code gesendet.',

  'outcome.invalid_code': 'Der Code ist nicht korrekt. Versuchen Sie es erneut.',
  'outcome.reused_code':
    'Dieser Code wurde bereits verwendet. Warten Sie auf den nächsten Code und versuchen Sie es erneut.',
  'outcome.locked': 'Zu viele fehlgeschlagene Versuche. Ihr Konto ist bis {time} Uhr gesperrt.',
  'outcome.disabled': 'Ihr Einmalcode-Konto wurde deaktiviert. Wenden Sie sich an Ihren Support.',
  'outcome.expired': 'Ihre Anmeldesitzung ist abgelaufen. Beginnen Sie die Anmeldung erneut.',
  'outcome.unavailable': 'Die Anmeldung mit Einmalcode ist für Ihr Konto nicht verfügbar.',
  'outcome.delivery_failed':
    'Ihr Code konnte nicht gesendet werden. Versuchen Sie es später erneut.',
  'outcome.domain_not_allowed':
    'An die Domäne Ihrer E-Mail-Adresse können keine Codes gesendet werden. Wenden Sie sich an Ihren Support.',
  'outcome.recipient_rejected':
    'Der Mailserver hat Ihre E-Mail-Adresse nicht angenommen. Wenden Sie sich an Ihren Support.',
  'outcome.malformed': 'Geben Sie den {digits}-stelligen Code ein.',
  'outcome.rate_limited': 'Zu viele Anfragen. Warten Sie einen Moment und versuchen Sie es erneut.',
  'outcome.server_error': 'Es ist ein Fehler aufgetreten. Versuchen Sie es später erneut.',
  'outcome.success': 'Bestätigt.',

  'email.subject': 'Ihr Anmeldecode',
  'email.greeting': 'Hallo {account},',
  'email.greeting_plain': 'Hallo,',
  'email.code_line': 'Ihr Einmalcode lautet: {code}',
  'email.valid_until': 'Er ist bis {time} Uhr gültig.',
  'email.not_you':
    'Wenn Sie nicht versucht haben, sich anzumelden, wenden Sie sich an Ihren Support und ändern Sie Ihr Passwort.',
  'email.signature': '{company}',

  'agent.prompt': 'Geben Sie Ihren Einmalcode ein',
  'agent.offline': 'Offline-Anmeldung',
  'agent.change_password': 'Passwort ändern: {url}',

  'metadata.qr-otp.name': 'Zeitbasierte OTP-Authentifizierung',
  'metadata.qr-otp.description':
    'Melden Sie sich mit einem Einmalcode aus einer Authentifizierungs-App auf Ihrem Smartphone an.',
  'metadata.email-otp.name': 'Zeitbasierte OTP-Authentifizierung per E-Mail',
  'metadata.email-otp.description':
    'Melden Sie sich mit einem Einmalcode an, der an Ihre E-Mail-Adresse gesendet wird.',
  'metadata.api-otp.name': 'Zeitbasierte OTP-Authentifizierung per API',
  'metadata.api-otp.description':
    'Melden Sie sich mit einem Einmalcode an, der an Ihr Smartphone oder per E-Mail gesendet wird.',
};
