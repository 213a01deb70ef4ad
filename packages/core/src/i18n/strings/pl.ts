/**
 * Polish (pl). Second-person imperative (Wpisz), as Polish interfaces use; gender-neutral
 * wording where Polish past tense would otherwise need a gender; the countdown agrees with its
 * number (1 sekundę, 2 sekundy, 5 sekund) through plural forms.
 *
 * @module i18n
 */
import type { Messages } from '../messages.js';

/** Polish strings. */
export const pl: Messages = {
  'language.endonym': 'Polski',

  'page.title': 'Uwierzytelnianie wieloskładnikowe',
  'page.code_label': 'Kod jednorazowy',
  'page.submit': 'Zaloguj się',
  'page.send_code': 'Wyślij kod',
  'page.resend_code': 'Wyślij nowy kod',
  'page.cooldown': {
    plural: 'seconds',
    one: 'O nowy kod możesz poprosić za {seconds} sekundę.',
    few: 'O nowy kod możesz poprosić za {seconds} sekundy.',
    many: 'O nowy kod możesz poprosić za {seconds} sekund.',
    other: 'O nowy kod możesz poprosić za {seconds} sekundy.',
  },
  'page.cancel': 'Anuluj',
  'page.language': 'Język',
  'page.invalid_request':
    'Ten link logowania jest nieprawidłowy. Wróć do aplikacji i zaloguj się ponownie.',
  'page.request_expired': 'Ten link logowania wygasł. Wróć do aplikacji i zaloguj się ponownie.',
  'page.start_again': 'Zacznij od nowa',
  'page.bad_request': 'Nie można przetworzyć żądania.',
  'demo.title': 'Demo SecureMFA',
  'demo.intro': 'Wybierz użytkownika demonstracyjnego, aby wypróbować stronę logowania.',
  'demo.sign_in_as': 'Zaloguj jako {account}',
  'demo.signed_in': 'Zalogowano jako {account} przy użyciu kodu jednorazowego.',
  'demo.try_again': 'Spróbuj ponownie',
  'demo.no_users': 'Nie skonfigurowano użytkowników demonstracyjnych.',

  'enrol.title': 'Skonfiguruj aplikację uwierzytelniającą',
  'enrol.instruction':
    'Zeskanuj ten kod QR w aplikacji uwierzytelniającej (Microsoft Authenticator, Google Authenticator, …), a następnie wpisz wyświetlony w niej kod.',
  'enrol.qr_alt': 'Kod QR dla aplikacji uwierzytelniającej',
  'enrol.manual_key': 'Nie możesz zeskanować? Wpisz ten klucz ręcznie:',
  'enrol.open_app': 'Otwórz w aplikacji uwierzytelniającej',
  'enrol.qr_not_allowed':
    'Kodu QR nie można wyświetlić w Twojej sieci. Skontaktuj się z działem pomocy technicznej, aby skonfigurować aplikację uwierzytelniającą.',

  'login.enter_code': 'Wpisz kod wygenerowany przez aplikację uwierzytelniającą.',
  'login.code_sent_email': 'Wysłaliśmy kod na adres {destination}. Jest ważny do godz. {time}.',
  'login.code_sent_channel': 'Kod został wysłany za pośrednictwem: {channel}.',
  'login.code_sent': 'Kod został wysłany.',

  'outcome.invalid_code': 'Kod jest nieprawidłowy. Spróbuj ponownie.',
  'outcome.reused_code': 'Ten kod został już użyty. Poczekaj na następny kod i spróbuj ponownie.',
  'outcome.locked': 'Zbyt wiele nieudanych prób. Twoje konto jest zablokowane do godz. {time}.',
  'outcome.disabled':
    'Twoje konto kodów jednorazowych zostało wyłączone. Skontaktuj się z działem pomocy technicznej.',
  'outcome.expired': 'Sesja logowania wygasła. Zacznij od nowa.',
  'outcome.unavailable': 'Logowanie kodem jednorazowym jest niedostępne dla Twojego konta.',
  'outcome.delivery_failed': 'Nie udało się wysłać kodu. Spróbuj ponownie później.',
  'outcome.domain_not_allowed':
    'Nie można wysyłać kodów do domeny Twojego adresu e-mail. Skontaktuj się z działem pomocy technicznej.',
  'outcome.recipient_rejected':
    'Serwer poczty nie przyjął Twojego adresu e-mail. Skontaktuj się z działem pomocy technicznej.',
  'outcome.malformed': 'Wpisz {digits}-cyfrowy kod.',
  'outcome.rate_limited': 'Zbyt wiele żądań. Odczekaj chwilę i spróbuj ponownie.',
  'outcome.server_error': 'Coś poszło nie tak. Spróbuj ponownie później.',
  'outcome.success': 'Zweryfikowano.',

  'email.subject': 'Twój kod logowania',
  'email.greeting': 'Dzień dobry, {account}!',
  'email.greeting_plain': 'Dzień dobry!',
  'email.code_line': 'Twój kod jednorazowy to: {code}',
  'email.valid_until': 'Jest ważny do godz. {time}.',
  'email.not_you':
    'Jeśli ta próba logowania nie pochodziła od Ciebie, skontaktuj się z działem pomocy technicznej i zmień hasło.',
  'email.signature': '{company}',

  'agent.prompt': 'Wpisz kod jednorazowy',
  'agent.offline': 'Logowanie offline',
  'agent.change_password': 'Zmień hasło: {url}',

  'metadata.qr-otp.name': 'Uwierzytelnianie OTP oparte na czasie',
  'metadata.qr-otp.description':
    'Zaloguj się kodem jednorazowym z aplikacji uwierzytelniającej w telefonie.',
  'metadata.email-otp.name': 'Uwierzytelnianie OTP oparte na czasie przez e-mail',
  'metadata.email-otp.description': 'Zaloguj się kodem jednorazowym wysłanym na Twój adres e-mail.',
  'metadata.api-otp.name': 'Uwierzytelnianie OTP oparte na czasie przez API',
  'metadata.api-otp.description':
    'Zaloguj się kodem jednorazowym wysłanym na Twój telefon lub adres e-mail.',
};
