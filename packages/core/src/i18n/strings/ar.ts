/**
 * Arabic (ar), written right to left (see `isRightToLeft`). Modern Standard Arabic; numbers
 * agree with the counted noun through all six CLDR plural forms (ثانية واحدة، ثانيتين،
 * 3–10 ثوانٍ، 11–99 ثانية). Inserted Latin text (addresses, times) is left to the page's bidi
 * isolation (`<bdi>`), not marked up here.
 *
 * @module i18n
 */
import type { Messages } from '../messages.js';

/** Arabic strings. */
export const ar: Messages = {
  'language.endonym': 'العربية',

  'page.title': 'المصادقة متعددة العوامل',
  'page.code_label': 'رمز المرور لمرة واحدة',
  'page.submit': 'تسجيل الدخول',
  'page.send_code': 'إرسال الرمز',
  'page.resend_code': 'إرسال رمز جديد',
  'page.cooldown': {
    plural: 'seconds',
    zero: 'يمكنك طلب رمز جديد الآن.',
    one: 'يمكنك طلب رمز جديد بعد ثانية واحدة.',
    two: 'يمكنك طلب رمز جديد بعد ثانيتين.',
    few: 'يمكنك طلب رمز جديد بعد {seconds} ثوانٍ.',
    many: 'يمكنك طلب رمز جديد بعد {seconds} ثانية.',
    other: 'يمكنك طلب رمز جديد بعد {seconds} ثانية.',
  },
  'page.cancel': 'إلغاء',
  'page.language': 'اللغة',
  'page.invalid_request': 'رابط تسجيل الدخول هذا غير صالح. عد إلى التطبيق وسجّل الدخول مرة أخرى.',
  'page.request_expired':
    'انتهت صلاحية رابط تسجيل الدخول هذا. عد إلى التطبيق وسجّل الدخول مرة أخرى.',
  'page.start_again': 'البدء من جديد',
  'page.bad_request': 'تعذّرت معالجة الطلب.',
  'demo.title': 'عرض SecureMFA التوضيحي',
  'demo.intro': 'اختر مستخدمًا تجريبيًا لتجربة صفحة تسجيل الدخول.',
  'demo.sign_in_as': 'تسجيل الدخول باسم {account}',
  'demo.signed_in': 'تم تسجيل الدخول باسم {account} باستخدام رمز مرور لمرة واحدة.',
  'demo.try_again': 'إعادة المحاولة',
  'demo.no_users': 'لم يتم إعداد أي مستخدمين تجريبيين.',

  'enrol.title': 'إعداد تطبيق المصادقة',
  'enrol.instruction':
    'امسح رمز QR هذا ضوئيًا باستخدام تطبيق المصادقة (Microsoft Authenticator أو Google Authenticator أو غيرهما)، ثم أدخل الرمز الذي يعرضه التطبيق.',
  'enrol.qr_alt': 'رمز QR لتطبيق المصادقة',
  'enrol.manual_key': 'تعذّر المسح الضوئي؟ أدخل هذا المفتاح يدويًا:',
  'enrol.open_app': 'فتح في تطبيق المصادقة',
  'enrol.qr_not_allowed': 'لا يمكن عرض رمز QR من شبكتك. تواصل مع فريق الدعم لإعداد تطبيق المصادقة.',

  'login.enter_code': 'أدخل رمز المرور الذي أنشأه تطبيق المصادقة.',
  'login.code_sent_email': 'أرسلنا رمزًا إلى {destination}، وهو صالح حتى {time}.',
  'login.code_sent_channel': 'تم إرسال رمز إليك عبر {channel}.',
  'login.code_sent': 'تم إرسال الرمز.',

  'outcome.invalid_code': 'الرمز غير صحيح. حاول مرة أخرى.',
  'outcome.reused_code': 'سبق استخدام هذا الرمز. انتظر الرمز التالي ثم حاول مرة أخرى.',
  'outcome.locked': 'محاولات فاشلة كثيرة جدًا. حسابك مقفل حتى {time}.',
  'outcome.disabled': 'تم تعطيل حساب رموز المرور لمرة واحدة الخاص بك. تواصل مع فريق الدعم.',
  'outcome.expired': 'انتهت صلاحية جلسة تسجيل الدخول. ابدأ من جديد.',
  'outcome.unavailable': 'تسجيل الدخول برمز المرور لمرة واحدة غير متاح لحسابك.',
  'outcome.delivery_failed': 'تعذّر علينا إرسال الرمز. حاول مرة أخرى لاحقًا.',
  'outcome.domain_not_allowed':
    'لا يمكن إرسال الرموز إلى نطاق عنوان بريدك الإلكتروني. تواصل مع فريق الدعم.',
  'outcome.recipient_rejected': 'لم يقبل خادم البريد عنوان بريدك الإلكتروني. تواصل مع فريق الدعم.',
  'outcome.malformed': {
    plural: 'digits',
    zero: 'أدخل الرمز.',
    one: 'أدخل الرمز المكوّن من رقم واحد.',
    two: 'أدخل الرمز المكوّن من رقمين.',
    few: 'أدخل الرمز المكوّن من {digits} أرقام.',
    many: 'أدخل الرمز المكوّن من {digits} رقمًا.',
    other: 'أدخل الرمز المكوّن من {digits} رقم.',
  },
  'outcome.rate_limited': 'طلبات كثيرة جدًا. انتظر قليلًا ثم حاول مرة أخرى.',
  'outcome.server_error': 'حدث خطأ. حاول مرة أخرى لاحقًا.',
  'outcome.success': 'تم التحقق.',

  'email.subject': 'رمز تسجيل الدخول الخاص بك',
  'email.greeting': 'مرحبًا {account}،',
  'email.greeting_plain': 'مرحبًا،',
  'email.code_line': 'رمز المرور لمرة واحدة الخاص بك هو: {code}',
  'email.valid_until': 'وهو صالح حتى {time}.',
  'email.not_you': 'إذا لم تحاول تسجيل الدخول، فتواصل مع فريق الدعم وغيّر كلمة المرور.',
  'email.signature': '{company}',

  'agent.prompt': 'أدخل رمز المرور لمرة واحدة',
  'agent.offline': 'تسجيل الدخول دون اتصال',
  'agent.change_password': 'تغيير كلمة المرور: {url}',

  'metadata.qr-otp.name': 'مصادقة OTP المستندة إلى الوقت',
  'metadata.qr-otp.description':
    'سجّل الدخول باستخدام رمز مرور لمرة واحدة يُنشئه تطبيق المصادقة على هاتفك.',
  'metadata.email-otp.name': 'مصادقة OTP المستندة إلى الوقت عبر البريد الإلكتروني',
  'metadata.email-otp.description':
    'سجّل الدخول باستخدام رمز مرور لمرة واحدة يُرسَل إلى عنوان بريدك الإلكتروني.',
  'metadata.api-otp.name': 'مصادقة OTP المستندة إلى الوقت عبر API',
  'metadata.api-otp.description':
    'سجّل الدخول باستخدام رمز مرور لمرة واحدة يُرسَل إلى هاتفك أو بريدك الإلكتروني.',
};
