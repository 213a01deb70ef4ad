/**
 * Portuguese (pt, `pt-BR`). Brazilian usage (most Portuguese-speaking users; AD FS LCID 1046),
 * with wording also clear in Portugal (pt-PT resolves here too).
 *
 * @module i18n
 */
import type { Messages } from '../messages.js';

/** Portuguese strings. */
export const pt: Messages = {
  'language.endonym': 'Português',

  'page.title': 'Autenticação multifator',
  'page.code_label': 'Código de uso único',
  'page.submit': 'Entrar',
  'page.send_code': 'Enviar código',
  'page.resend_code': 'Enviar um novo código',
  'page.cooldown': {
    plural: 'seconds',
    one: 'Você poderá solicitar um novo código em {seconds} segundo.',
    many: 'Você poderá solicitar um novo código em {seconds} segundos.',
    other: 'Você poderá solicitar um novo código em {seconds} segundos.',
  },
  'page.cancel': 'Cancelar',
  'page.language': 'Idioma',
  'page.invalid_request':
    'Esta ligação de início de sessão não é válida. Volte à aplicação e inicie sessão novamente.',
  'page.request_expired':
    'Esta ligação de início de sessão expirou. Volte à aplicação e inicie sessão novamente.',
  'page.start_again': 'Recomeçar',
  'page.bad_request': 'Não foi possível processar o pedido.',
  'demo.title': 'Demonstração SecureMFA',
  'demo.intro':
    'Escolha um utilizador de demonstração para experimentar a página de início de sessão.',
  'demo.sign_in_as': 'Iniciar sessão como {account}',
  'demo.signed_in': 'Sessão iniciada como {account} com um código de utilização única.',
  'demo.try_again': 'Tentar novamente',
  'demo.no_users': 'Não há utilizadores de demonstração configurados.',

  'enrol.title': 'Configure seu aplicativo autenticador',
  'enrol.instruction':
    'Escaneie este código QR com seu aplicativo autenticador (Microsoft Authenticator, Google Authenticator, …) e digite o código exibido.',
  'enrol.qr_alt': 'Código QR para seu aplicativo autenticador',
  'enrol.manual_key': 'Não consegue escanear? Digite esta chave manualmente:',
  'enrol.open_app': 'Abrir no aplicativo autenticador',
  'enrol.qr_not_allowed':
    'O código QR não pode ser exibido a partir da sua rede. Entre em contato com o suporte técnico para configurar seu aplicativo autenticador.',

  'login.enter_code': 'Digite o código gerado pelo seu aplicativo autenticador.',
  'login.code_sent_email': 'Enviamos um código para {destination}. Ele é válido até {time}.',
  'login.code_sent_channel': 'Um código foi enviado a você por {channel}.',
  'login.code_sent': 'Código enviado.',

  'outcome.invalid_code': 'O código não está correto. Tente novamente.',
  'outcome.reused_code': 'Este código já foi usado. Aguarde o próximo código e tente novamente.',
  'outcome.locked': 'Muitas tentativas sem êxito. Sua conta está bloqueada até {time}.',
  'outcome.disabled':
    'Sua conta de códigos de uso único foi desativada. Entre em contato com o suporte técnico.',
  'outcome.expired': 'Sua sessão de entrada expirou. Comece novamente.',
  'outcome.unavailable': 'A entrada com código de uso único não está disponível para sua conta.',
  'outcome.delivery_failed': 'Não foi possível enviar seu código. Tente novamente mais tarde.',
  'outcome.domain_not_allowed':
    'Não é possível enviar códigos para o domínio do seu endereço de e-mail. Entre em contato com o suporte técnico.',
  'outcome.recipient_rejected':
    'O servidor de e-mail não aceitou o seu endereço de e-mail. Entre em contato com o suporte técnico.',
  'outcome.malformed': 'Digite o código de {digits} dígitos.',
  'outcome.rate_limited': 'Muitas solicitações. Aguarde um momento e tente novamente.',
  'outcome.server_error': 'Ocorreu um erro. Tente novamente mais tarde.',
  'outcome.success': 'Verificado.',

  'email.subject': 'Seu código de acesso',
  'email.greeting': 'Olá, {account},',
  'email.greeting_plain': 'Olá,',
  'email.code_line': 'Seu código de uso único é: {code}',
  'email.valid_until': 'Ele é válido até {time}.',
  'email.not_you':
    'Se você não tentou entrar, entre em contato com o suporte técnico e altere sua senha.',
  'email.signature': '{company}',

  'agent.prompt': 'Digite seu código de uso único',
  'agent.offline': 'Entrada offline',
  'agent.change_password': 'Alterar senha: {url}',

  'metadata.qr-otp.name': 'Autenticação OTP baseada em tempo',
  'metadata.qr-otp.description':
    'Entre com um código de uso único gerado por um aplicativo autenticador no seu celular.',
  'metadata.email-otp.name': 'Autenticação OTP baseada em tempo por e-mail',
  'metadata.email-otp.description':
    'Entre com um código de uso único enviado para seu endereço de e-mail.',
  'metadata.api-otp.name': 'Autenticação OTP baseada em tempo por API',
  'metadata.api-otp.description':
    'Entre com um código de uso único enviado para seu celular ou e-mail.',
};
