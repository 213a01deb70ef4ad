/**
 * Spanish (es). Formal register (usted), as usual on enterprise sign-in pages; neutral vocabulary
 * understood in Spain and Latin America.
 *
 * @module i18n
 */
import type { Messages } from '../messages.js';

/** Spanish strings. */
export const es: Messages = {
  'language.endonym': 'Español',

  'page.title': 'Autenticación multifactor',
  'page.code_label': 'Código de un solo uso',
  'page.submit': 'Iniciar sesión',
  'page.send_code': 'Enviar código',
  'page.resend_code': 'Enviar un código nuevo',
  'page.cooldown': {
    plural: 'seconds',
    one: 'Podrá solicitar un código nuevo dentro de {seconds} segundo.',
    many: 'Podrá solicitar un código nuevo dentro de {seconds} segundos.',
    other: 'Podrá solicitar un código nuevo dentro de {seconds} segundos.',
  },
  'page.cancel': 'Cancelar',
  'page.language': 'Idioma',
  'page.invalid_request':
    'Este vínculo de inicio de sesión no es válido. Vuelva a la aplicación e inicie sesión de nuevo.',
  'page.request_expired':
    'Este vínculo de inicio de sesión ha caducado. Vuelva a la aplicación e inicie sesión de nuevo.',
  'page.start_again': 'Empezar de nuevo',
  'page.bad_request': 'No se pudo procesar la solicitud.',
  'demo.title': 'Demostración de SecureMFA',
  'demo.intro': 'Elija un usuario de demostración para probar la página de inicio de sesión.',
  'demo.sign_in_as': 'Iniciar sesión como {account}',
  'demo.signed_in': 'Sesión iniciada como {account} con un código de un solo uso.',
  'demo.try_again': 'Reintentar',
  'demo.no_users': 'No hay usuarios de demostración configurados.',

  'enrol.title': 'Configure su aplicación de autenticación',
  'enrol.instruction':
    'Escanee este código QR con su aplicación de autenticación (Microsoft Authenticator, Google Authenticator, …) y, a continuación, introduzca el código que muestre.',
  'enrol.qr_alt': 'Código QR para su aplicación de autenticación',
  'enrol.manual_key': '¿No puede escanearlo? Introduzca esta clave manualmente:',
  'enrol.open_app': 'Abrir en la aplicación de autenticación',
  'enrol.qr_not_allowed':
    'El código QR no se puede mostrar desde su red. Póngase en contacto con el servicio de asistencia para configurar su aplicación de autenticación.',

  'login.enter_code': 'Introduzca el código generado por su aplicación de autenticación.',
  'login.code_sent_email': 'Hemos enviado un código a {destination}. Es válido hasta las {time}.',
  'login.code_sent_channel': 'Se le ha enviado un código mediante {channel}.',
  'login.code_sent': 'Código enviado.',

  'outcome.invalid_code': 'El código no es correcto. Inténtelo de nuevo.',
  'outcome.reused_code':
    'Este código ya se ha utilizado. Espere al siguiente código e inténtelo de nuevo.',
  'outcome.locked': 'Demasiados intentos fallidos. Su cuenta está bloqueada hasta las {time}.',
  'outcome.disabled':
    'Su cuenta de códigos de un solo uso se ha desactivado. Póngase en contacto con el servicio de asistencia.',
  'outcome.expired': 'La sesión de inicio de sesión ha caducado. Vuelva a empezar.',
  'outcome.unavailable':
    'El inicio de sesión con código de un solo uso no está disponible para su cuenta.',
  'outcome.delivery_failed': 'No hemos podido enviar su código. Inténtelo de nuevo más tarde.',
  'outcome.domain_not_allowed':
    'No se pueden enviar códigos al dominio de su dirección de correo electrónico. Póngase en contacto con el servicio de asistencia.',
  'outcome.recipient_rejected':
    'El servidor de correo no aceptó su dirección de correo electrónico. Póngase en contacto con el servicio de asistencia.',
  'outcome.malformed': 'Introduzca el código de {digits} dígitos.',
  'outcome.rate_limited': 'Demasiadas solicitudes. Espere un momento e inténtelo de nuevo.',
  'outcome.server_error': 'Se ha producido un error. Inténtelo de nuevo más tarde.',
  'outcome.success': 'Verificado.',

  'email.subject': 'Su código de inicio de sesión',
  'email.greeting': 'Hola, {account}:',
  'email.greeting_plain': 'Hola:',
  'email.code_line': 'Su código de un solo uso es: {code}',
  'email.valid_until': 'Es válido hasta las {time}.',
  'email.not_you':
    'Si no ha intentado iniciar sesión, póngase en contacto con el servicio de asistencia y cambie su contraseña.',
  'email.signature': '{company}',

  'agent.prompt': 'Introduzca su código de un solo uso',
  'agent.offline': 'Inicio de sesión sin conexión',
  'agent.change_password': 'Cambiar contraseña: {url}',

  'metadata.qr-otp.name': 'Autenticación OTP basada en tiempo',
  'metadata.qr-otp.description':
    'Inicie sesión con un código de un solo uso generado por una aplicación de autenticación en su teléfono.',
  'metadata.email-otp.name': 'Autenticación OTP basada en tiempo por correo electrónico',
  'metadata.email-otp.description':
    'Inicie sesión con un código de un solo uso enviado a su dirección de correo electrónico.',
  'metadata.api-otp.name': 'Autenticación OTP basada en tiempo por API',
  'metadata.api-otp.description':
    'Inicie sesión con un código de un solo uso enviado a su teléfono o correo electrónico.',
};
