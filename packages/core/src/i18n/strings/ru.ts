/**
 * Russian (ru). Formal register (вы); the countdown agrees with its number (1 секунду,
 * 2 секунды, 5 секунд) through plural forms.
 *
 * @module i18n
 */
import type { Messages } from '../messages.js';

/** Russian strings. */
export const ru: Messages = {
  'language.endonym': 'Русский',

  'page.title': 'Многофакторная аутентификация',
  'page.code_label': 'Одноразовый код',
  'page.submit': 'Войти',
  'page.send_code': 'Отправить код',
  'page.resend_code': 'Отправить новый код',
  'page.cooldown': {
    plural: 'seconds',
    one: 'Новый код можно запросить через {seconds} секунду.',
    few: 'Новый код можно запросить через {seconds} секунды.',
    many: 'Новый код можно запросить через {seconds} секунд.',
    other: 'Новый код можно запросить через {seconds} секунды.',
  },
  'page.cancel': 'Отмена',
  'page.language': 'Язык',
  'page.invalid_request':
    'Эта ссылка для входа недействительна. Вернитесь в приложение и войдите снова.',
  'page.request_expired':
    'Срок действия этой ссылки для входа истёк. Вернитесь в приложение и войдите снова.',
  'page.start_again': 'Начать заново',
  'page.bad_request': 'Не удалось обработать запрос.',
  'demo.title': 'Демонстрация SecureMFA',
  'demo.intro': 'Выберите демонстрационного пользователя, чтобы опробовать страницу входа.',
  'demo.sign_in_as': 'Войти как {account}',
  'demo.signed_in': 'Вход выполнен как {account} с одноразовым кодом.',
  'demo.try_again': 'Повторить',
  'demo.no_users': 'Демонстрационные пользователи не настроены.',

  'enrol.title': 'Настройка приложения-аутентификатора',
  'enrol.instruction':
    'Отсканируйте этот QR-код в приложении-аутентификаторе (Microsoft Authenticator, Google Authenticator, …), а затем введите показанный в нём код.',
  'enrol.qr_alt': 'QR-код для приложения-аутентификатора',
  'enrol.manual_key': 'Не удаётся отсканировать? Введите этот ключ вручную:',
  'enrol.open_app': 'Открыть в приложении-аутентификаторе',
  'enrol.qr_not_allowed':
    'QR-код нельзя показать в вашей сети. Чтобы настроить приложение-аутентификатор, обратитесь в службу поддержки.',

  'login.enter_code': 'Введите код, созданный приложением-аутентификатором.',
  'login.code_sent_email': 'Мы отправили код на {destination}. Он действителен до {time}.',
  'login.code_sent_channel': 'Код отправлен вам через {channel}.',
  'login.code_sent': 'Код отправлен.',

  'outcome.invalid_code': 'Неверный код. Повторите попытку.',
  'outcome.reused_code': 'Этот код уже использован. Дождитесь следующего кода и повторите попытку.',
  'outcome.locked': 'Слишком много неудачных попыток. Ваша учётная запись заблокирована до {time}.',
  'outcome.disabled':
    'Ваша учётная запись одноразовых кодов отключена. Обратитесь в службу поддержки.',
  'outcome.expired': 'Сеанс входа истёк. Начните заново.',
  'outcome.unavailable': 'Вход с одноразовым кодом недоступен для вашей учётной записи.',
  'outcome.delivery_failed': 'Не удалось отправить код. Повторите попытку позже.',
  'outcome.domain_not_allowed':
    'Коды нельзя отправлять на домен вашего адреса электронной почты. Обратитесь в службу поддержки.',
  'outcome.recipient_rejected':
    'Почтовый сервер не принял ваш адрес электронной почты. Обратитесь в службу поддержки.',
  'outcome.malformed': 'Введите {digits}-значный код.',
  'outcome.rate_limited': 'Слишком много запросов. Подождите немного и повторите попытку.',
  'outcome.server_error': 'Произошла ошибка. Повторите попытку позже.',
  'outcome.success': 'Проверка пройдена.',

  'email.subject': 'Ваш код для входа',
  'email.greeting': 'Здравствуйте, {account}!',
  'email.greeting_plain': 'Здравствуйте!',
  'email.code_line': 'Ваш одноразовый код: {code}',
  'email.valid_until': 'Он действителен до {time}.',
  'email.not_you': 'Если вы не пытались войти, обратитесь в службу поддержки и смените пароль.',
  'email.signature': '{company}',

  'agent.prompt': 'Введите одноразовый код',
  'agent.offline': 'Автономный вход',
  'agent.change_password': 'Сменить пароль: {url}',

  'metadata.qr-otp.name': 'Аутентификация по временному одноразовому паролю',
  'metadata.qr-otp.description':
    'Вход с помощью одноразового кода из приложения-аутентификатора на вашем телефоне.',
  'metadata.email-otp.name':
    'Аутентификация по временному одноразовому паролю по электронной почте',
  'metadata.email-otp.description':
    'Вход с помощью одноразового кода, отправленного на ваш адрес электронной почты.',
  'metadata.api-otp.name': 'Аутентификация по временному одноразовому паролю через API',
  'metadata.api-otp.description':
    'Вход с помощью одноразового кода, отправленного на ваш телефон или по электронной почте.',
};
