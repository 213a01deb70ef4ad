/**
 * Italian (it). Informal register (tu), as Italian software interfaces usually address users.
 *
 * @module i18n
 */
import type { Messages } from '../messages.js';

/** Italian strings. */
export const it: Messages = {
  'language.endonym': 'Italiano',

  'page.title': 'Autenticazione a più fattori',
  'page.code_label': 'Codice monouso',
  'page.submit': 'Accedi',
  'page.send_code': 'Invia codice',
  'page.resend_code': 'Invia un nuovo codice',
  'page.cooldown': {
    plural: 'seconds',
    one: 'Potrai richiedere un nuovo codice tra {seconds} secondo.',
    many: 'Potrai richiedere un nuovo codice tra {seconds} secondi.',
    other: 'Potrai richiedere un nuovo codice tra {seconds} secondi.',
  },
  'page.cancel': 'Annulla',
  'page.language': 'Lingua',
  'page.invalid_request':
    'Questo collegamento di accesso non è valido. Torna all’applicazione e accedi di nuovo.',
  'page.request_expired':
    'Questo collegamento di accesso è scaduto. Torna all’applicazione e accedi di nuovo.',
  'page.start_again': 'Ricomincia',
  'page.bad_request': 'Impossibile elaborare la richiesta.',
  'demo.title': 'Demo SecureMFA',
  'demo.intro': 'Scegli un utente demo per provare la pagina di accesso.',
  'demo.sign_in_as': 'Accedi come {account}',
  'demo.signed_in': 'Accesso eseguito come {account} con un codice monouso.',
  'demo.try_again': 'Riprova',
  'demo.no_users': 'Nessun utente demo configurato.',

  'enrol.title': 'Configura l’app di autenticazione',
  'enrol.instruction':
    'Scansiona questo codice QR con l’app di autenticazione (Microsoft Authenticator, Google Authenticator, …), quindi inserisci il codice visualizzato.',
  'enrol.qr_alt': 'Codice QR per l’app di autenticazione',
  'enrol.manual_key': 'Non riesci a scansionarlo? Inserisci questa chiave manualmente:',
  'enrol.open_app': 'Apri nell’app di autenticazione',
  'enrol.qr_not_allowed':
    'Il codice QR non può essere visualizzato dalla tua rete. Contatta l’assistenza per configurare l’app di autenticazione.',

  'login.enter_code': 'Inserisci il codice generato dall’app di autenticazione.',
  'login.code_sent_email': 'Abbiamo inviato un codice a {destination}. È valido fino alle {time}.',
  'login.code_sent_channel': 'Ti è stato inviato un codice tramite {channel}.',
  'login.code_sent': 'Codice inviato.',

  'outcome.invalid_code': 'Il codice non è corretto. Riprova.',
  'outcome.reused_code': 'Questo codice è già stato usato. Attendi il codice successivo e riprova.',
  'outcome.locked': 'Troppi tentativi non riusciti. Il tuo account è bloccato fino alle {time}.',
  'outcome.disabled':
    'Il tuo account per i codici monouso è stato disattivato. Contatta l’assistenza.',
  'outcome.expired': 'La sessione di accesso è scaduta. Ricomincia.',
  'outcome.unavailable': 'L’accesso con codice monouso non è disponibile per il tuo account.',
  'outcome.delivery_failed': 'Non è stato possibile inviare il codice. Riprova più tardi.',
  'outcome.domain_not_allowed':
    'Non è possibile inviare codici al dominio del tuo indirizzo e-mail. Contatta l’assistenza.',
  'outcome.recipient_rejected':
    'Il server di posta non ha accettato il tuo indirizzo e-mail. Contatta l’assistenza.',
  'outcome.malformed': 'Inserisci il codice di {digits} cifre.',
  'outcome.rate_limited': 'Troppe richieste. Attendi qualche istante e riprova.',
  'outcome.server_error': 'Si è verificato un errore. Riprova più tardi.',
  'outcome.success': 'Verificato.',

  'email.subject': 'Il tuo codice di accesso',
  'email.greeting': 'Ciao {account},',
  'email.greeting_plain': 'Ciao,',
  'email.code_line': 'Il tuo codice monouso è: {code}',
  'email.valid_until': 'È valido fino alle {time}.',
  'email.not_you': 'Se non hai tentato di accedere, contatta l’assistenza e cambia la password.',
  'email.signature': '{company}',

  'agent.prompt': 'Inserisci il codice monouso',
  'agent.offline': 'Accesso offline',
  'agent.change_password': 'Cambia password: {url}',

  'metadata.qr-otp.name': 'Autenticazione OTP basata sul tempo',
  'metadata.qr-otp.description':
    'Accedi con un codice monouso generato da un’app di autenticazione sul tuo telefono.',
  'metadata.email-otp.name': 'Autenticazione OTP basata sul tempo via e-mail',
  'metadata.email-otp.description': 'Accedi con un codice monouso inviato al tuo indirizzo e-mail.',
  'metadata.api-otp.name': 'Autenticazione OTP basata sul tempo via API',
  'metadata.api-otp.description':
    'Accedi con un codice monouso inviato al tuo telefono o via e-mail.',
};
