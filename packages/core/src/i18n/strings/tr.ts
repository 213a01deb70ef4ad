/**
 * Turkish (tr). Polite imperative (-in); suffixes attach to inserted values with the forms that
 * fit any value ("{time} saatine kadar", "{destination} adresine").
 *
 * @module i18n
 */
import type { Messages } from '../messages.js';

/** Turkish strings. */
export const tr: Messages = {
  'language.endonym': 'Türkçe',

  'page.title': 'Çok faktörlü kimlik doğrulama',
  'page.code_label': 'Tek kullanımlık kod',
  'page.submit': 'Oturum aç',
  'page.send_code': 'Kod gönder',
  'page.resend_code': 'Yeni kod gönder',
  'page.cooldown': {
    plural: 'seconds',
    one: '{seconds} saniye sonra yeni kod isteyebilirsiniz.',
    other: '{seconds} saniye sonra yeni kod isteyebilirsiniz.',
  },
  'page.cancel': 'İptal',
  'page.language': 'Dil',
  'page.invalid_request':
    'Bu oturum açma bağlantısı geçerli değil. Uygulamaya dönün ve yeniden oturum açın.',
  'page.request_expired':
    'Bu oturum açma bağlantısının süresi doldu. Uygulamaya dönün ve yeniden oturum açın.',
  'page.start_again': 'Baştan başla',
  'page.bad_request': 'İstek işlenemedi.',
  'demo.title': 'SecureMFA tanıtımı',
  'demo.intro': 'Oturum açma sayfasını denemek için bir tanıtım kullanıcısı seçin.',
  'demo.sign_in_as': '{account} olarak oturum aç',
  'demo.signed_in': '{account} olarak tek kullanımlık kodla oturum açıldı.',
  'demo.try_again': 'Yeniden dene',
  'demo.no_users': 'Yapılandırılmış tanıtım kullanıcısı yok.',

  'enrol.title': 'Kimlik doğrulama uygulamanızı ayarlayın',
  'enrol.instruction':
    'Bu QR kodunu kimlik doğrulama uygulamanızla (Microsoft Authenticator, Google Authenticator, …) tarayın, ardından uygulamada görünen kodu girin.',
  'enrol.qr_alt': 'Kimlik doğrulama uygulamanız için QR kodu',
  'enrol.manual_key': 'Tarayamıyor musunuz? Bu anahtarı elle girin:',
  'enrol.open_app': 'Kimlik doğrulama uygulamasında aç',
  'enrol.qr_not_allowed':
    'QR kodu ağınızdan görüntülenemiyor. Kimlik doğrulama uygulamanızı ayarlamak için destek ekibinize başvurun.',

  'login.enter_code': 'Kimlik doğrulama uygulamanızın oluşturduğu kodu girin.',
  'login.code_sent_email':
    '{destination} adresine bir kod gönderdik. Kod {time} saatine kadar geçerlidir.',
  'login.code_sent_channel': 'Size {channel} aracılığıyla bir kod gönderildi.',
  'login.code_sent': 'Kod gönderildi.',

  'outcome.invalid_code': 'Kod doğru değil. Tekrar deneyin.',
  'outcome.reused_code': 'Bu kod daha önce kullanıldı. Sonraki kodu bekleyip tekrar deneyin.',
  'outcome.locked': 'Çok fazla başarısız deneme. Hesabınız {time} saatine kadar kilitlendi.',
  'outcome.disabled':
    'Tek kullanımlık kod hesabınız devre dışı bırakıldı. Destek ekibinize başvurun.',
  'outcome.expired': 'Oturum açma işleminizin süresi doldu. Yeniden başlayın.',
  'outcome.unavailable': 'Hesabınız için tek kullanımlık kodla oturum açma kullanılamıyor.',
  'outcome.delivery_failed': 'Kodunuzu gönderemedik. Daha sonra tekrar deneyin.',
  'outcome.domain_not_allowed':
    'E-posta adresinizin etki alanına kod gönderilemiyor. Destek ekibinize başvurun.',
  'outcome.recipient_rejected':
    'E-posta sunucusu e-posta adresinizi kabul etmedi. Destek ekibinize başvurun.',
  'outcome.malformed': '{digits} haneli kodu girin.',
  'outcome.rate_limited': 'Çok fazla istek. Biraz bekleyip tekrar deneyin.',
  'outcome.server_error': 'Bir hata oluştu. Daha sonra tekrar deneyin.',
  'outcome.success': 'Doğrulandı.',

  'email.subject': 'Oturum açma kodunuz',
  'email.greeting': 'Merhaba {account},',
  'email.greeting_plain': 'Merhaba,',
  'email.code_line': 'Tek kullanımlık kodunuz: {code}',
  'email.valid_until': 'Kod {time} saatine kadar geçerlidir.',
  'email.not_you':
    'Oturum açmaya çalışan siz değilseniz destek ekibinize başvurun ve parolanızı değiştirin.',
  'email.signature': '{company}',

  'agent.prompt': 'Tek kullanımlık kodunuzu girin',
  'agent.offline': 'Çevrimdışı oturum açma',
  'agent.change_password': 'Parolayı değiştir: {url}',

  'metadata.qr-otp.name': 'Zamana dayalı OTP kimlik doğrulaması',
  'metadata.qr-otp.description':
    'Telefonunuzdaki kimlik doğrulama uygulamasının oluşturduğu tek kullanımlık kodla oturum açın.',
  'metadata.email-otp.name': 'E-posta ile zamana dayalı OTP kimlik doğrulaması',
  'metadata.email-otp.description':
    'E-posta adresinize gönderilen tek kullanımlık kodla oturum açın.',
  'metadata.api-otp.name': 'API ile zamana dayalı OTP kimlik doğrulaması',
  'metadata.api-otp.description':
    'Telefonunuza veya e-posta adresinize gönderilen tek kullanımlık kodla oturum açın.',
};
