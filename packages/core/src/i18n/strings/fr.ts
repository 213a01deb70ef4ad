/**
 * French (fr). Formal register (vous); typographic apostrophes and the no-break spaces French
 * typography puts before `:` and `?` (U+00A0, U+202F).
 *
 * @module i18n
 */
import type { Messages } from '../messages.js';

/** French strings. */
export const fr: Messages = {
  'language.endonym': 'Français',

  'page.title': 'Authentification multifacteur',
  'page.code_label': 'Code à usage unique',
  'page.submit': 'Se connecter',
  'page.send_code': 'Envoyer le code',
  'page.resend_code': 'Envoyer un nouveau code',
  'page.cooldown': {
    plural: 'seconds',
    one: 'Vous pourrez demander un nouveau code dans {seconds} seconde.',
    many: 'Vous pourrez demander un nouveau code dans {seconds} secondes.',
    other: 'Vous pourrez demander un nouveau code dans {seconds} secondes.',
  },
  'page.cancel': 'Annuler',
  'page.language': 'Langue',
  'page.invalid_request':
    'Ce lien de connexion n’est pas valide. Revenez à l’application et reconnectez-vous.',
  'page.request_expired':
    'Ce lien de connexion a expiré. Revenez à l’application et reconnectez-vous.',
  'page.start_again': 'Recommencer',
  'page.bad_request': 'La demande n’a pas pu être traitée.',
  'demo.title': 'Démo SecureMFA',
  'demo.intro': 'Choisissez un utilisateur de démonstration pour essayer la page de connexion.',
  'demo.sign_in_as': 'Se connecter en tant que {account}',
  'demo.signed_in': 'Connecté en tant que {account} avec un code à usage unique.',
  'demo.try_again': 'Réessayer',
  'demo.no_users': 'Aucun utilisateur de démonstration n’est configuré.',

  'enrol.title': 'Configurez votre application d’authentification',
  'enrol.instruction':
    'Scannez ce code QR avec votre application d’authentification (Microsoft Authenticator, Google Authenticator, …), puis saisissez le code qu’elle affiche.',
  'enrol.qr_alt': 'Code QR pour votre application d’authentification',
  'enrol.manual_key': 'Impossible de scanner\u202f? Saisissez cette clé manuellement\u00a0:',
  'enrol.open_app': 'Ouvrir dans l’application d’authentification',
  'enrol.qr_not_allowed':
    'Le code QR ne peut pas être affiché depuis votre réseau. Contactez votre support informatique pour configurer votre application d’authentification.',

  'login.enter_code': 'Saisissez le code généré par votre application d’authentification.',
  'login.code_sent_email':
    'Nous avons envoyé un code à {destination}. Il est valable jusqu’à {time}.',
  'login.code_sent_channel': 'Un code vous a été envoyé par {channel}.',
  'login.code_sent': 'Code envoyé.',

  'outcome.invalid_code': 'Le code est incorrect. Réessayez.',
  'outcome.reused_code': 'Ce code a déjà été utilisé. Attendez le code suivant et réessayez.',
  'outcome.locked': 'Trop de tentatives infructueuses. Votre compte est verrouillé jusqu’à {time}.',
  'outcome.disabled':
    'Votre compte de codes à usage unique a été désactivé. Contactez votre support informatique.',
  'outcome.expired': 'Votre session de connexion a expiré. Recommencez.',
  'outcome.unavailable':
    'La connexion par code à usage unique n’est pas disponible pour votre compte.',
  'outcome.delivery_failed': 'Nous n’avons pas pu envoyer votre code. Réessayez plus tard.',
  'outcome.domain_not_allowed':
    'Les codes ne peuvent pas être envoyés au domaine de votre adresse e-mail. Contactez votre support informatique.',
  'outcome.recipient_rejected':
    'Le serveur de messagerie n’a pas accepté votre adresse e-mail. Contactez votre support informatique.',
  'outcome.malformed': 'Saisissez le code à {digits} chiffres.',
  'outcome.rate_limited': 'Trop de demandes. Patientez un instant, puis réessayez.',
  'outcome.server_error': 'Une erreur s’est produite. Réessayez plus tard.',
  'outcome.success': 'Vérifié.',

  'email.subject': 'Votre code de connexion',
  'email.greeting': 'Bonjour {account},',
  'email.greeting_plain': 'Bonjour,',
  'email.code_line': 'Votre code à usage unique est\u00a0: {code}',
  'email.valid_until': 'Il est valable jusqu’à {time}.',
  'email.not_you':
    'Si vous n’avez pas tenté de vous connecter, contactez votre support informatique et changez votre mot de passe.',
  'email.signature': '{company}',

  'agent.prompt': 'Saisissez votre code à usage unique',
  'agent.offline': 'Connexion hors ligne',
  'agent.change_password': 'Changer le mot de passe\u00a0: {url}',

  'metadata.qr-otp.name': 'Authentification OTP basée sur le temps',
  'metadata.qr-otp.description':
    'Connectez-vous avec un code à usage unique généré par une application d’authentification sur votre téléphone.',
  'metadata.email-otp.name': 'Authentification OTP basée sur le temps par e-mail',
  'metadata.email-otp.description':
    'Connectez-vous avec un code à usage unique envoyé à votre adresse e-mail.',
  'metadata.api-otp.name': 'Authentification OTP basée sur le temps par API',
  'metadata.api-otp.description':
    'Connectez-vous avec un code à usage unique envoyé sur votre téléphone ou par e-mail.',
};
