/**
 * Chinese, Simplified script (zh, `zh-Hans`). Every Chinese tag resolves here: it is the only
 * Chinese catalogue. A space separates Chinese text from inserted Latin text and numbers, as in
 * Microsoft's Chinese UI style.
 *
 * @module i18n
 */
import type { Messages } from '../messages.js';

/** Simplified Chinese strings. */
export const zh: Messages = {
  'language.endonym': '简体中文',

  'page.title': '多重身份验证',
  'page.code_label': '一次性验证码',
  'page.submit': '登录',
  'page.send_code': '发送验证码',
  'page.resend_code': '重新发送验证码',
  'page.cooldown': {
    plural: 'seconds',
    other: '您可以在 {seconds} 秒后申请新的验证码。',
  },
  'page.cancel': '取消',
  'page.language': '语言',
  'page.invalid_request': '此登录链接无效。请返回应用程序并重新登录。',
  'page.request_expired': '此登录链接已过期。请返回应用程序并重新登录。',
  'page.start_again': '重新开始',
  'page.bad_request': '无法处理该请求。',
  'demo.title': 'SecureMFA 演示',
  'demo.intro': '选择一个演示用户来试用登录页面。',
  'demo.sign_in_as': '以 {account} 身份登录',
  'demo.signed_in': '已使用一次性密码以 {account} 身份登录。',
  'demo.try_again': '重试',
  'demo.no_users': '未配置演示用户。',

  'enrol.title': '设置身份验证器应用',
  'enrol.instruction':
    '请使用身份验证器应用（Microsoft Authenticator、Google Authenticator 等）扫描此二维码，然后输入应用中显示的验证码。',
  'enrol.qr_alt': '用于身份验证器应用的二维码',
  'enrol.manual_key': '无法扫描？请手动输入此密钥：',
  'enrol.open_app': '在身份验证器应用中打开',
  'enrol.qr_not_allowed': '无法在您当前的网络中显示二维码。请联系技术支持人员设置身份验证器应用。',

  'login.enter_code': '请输入身份验证器应用生成的验证码。',
  'login.code_sent_email': '我们已将验证码发送至 {destination}，有效期至 {time}。',
  'login.code_sent_channel': '验证码已通过 {channel} 发送给您。',
  'login.code_sent': '验证码已发送。',

  'outcome.invalid_code': '验证码不正确，请重试。',
  'outcome.reused_code': '此验证码已被使用。请等待下一个验证码，然后重试。',
  'outcome.locked': '失败次数过多。您的账户已被锁定，直至 {time}。',
  'outcome.disabled': '您的一次性验证码账户已被停用。请联系技术支持人员。',
  'outcome.expired': '您的登录会话已过期，请重新开始。',
  'outcome.unavailable': '您的账户无法使用一次性验证码登录。',
  'outcome.delivery_failed': '无法发送验证码，请稍后重试。',
  'outcome.domain_not_allowed': '无法向您的电子邮件地址所在的域发送验证码。请联系技术支持人员。',
  'outcome.recipient_rejected': '邮件服务器未接受您的电子邮件地址。请联系技术支持人员。',
  'outcome.malformed': '请输入 {digits} 位数字验证码。',
  'outcome.rate_limited': '请求过于频繁，请稍后重试。',
  'outcome.server_error': '出现错误，请稍后重试。',
  'outcome.success': '验证成功。',

  'email.subject': '您的登录验证码',
  'email.greeting': '{account}，您好：',
  'email.greeting_plain': '您好：',
  'email.code_line': '您的一次性验证码是：{code}',
  'email.valid_until': '有效期至 {time}。',
  'email.not_you': '如果这不是您本人的登录操作，请联系技术支持人员并更改密码。',
  'email.signature': '{company}',

  'agent.prompt': '请输入一次性验证码',
  'agent.offline': '离线登录',
  'agent.change_password': '更改密码：{url}',

  'metadata.qr-otp.name': '基于时间的 OTP 身份验证',
  'metadata.qr-otp.description': '使用手机上身份验证器应用生成的一次性验证码登录。',
  'metadata.email-otp.name': '基于时间的电子邮件 OTP 身份验证',
  'metadata.email-otp.description': '使用发送到您电子邮箱的一次性验证码登录。',
  'metadata.api-otp.name': '基于时间的 API OTP 身份验证',
  'metadata.api-otp.description': '使用发送到您手机或电子邮箱的一次性验证码登录。',
};
