/**
 * Lithuanian (lt). Polite plural imperative (Įveskite); the countdown agrees with its number
 * after "po" (po 1 sekundės, po 5 sekundžių) through plural forms.
 *
 * @module i18n
 */
import type { Messages } from '../messages.js';

/** Lithuanian strings. */
export const lt: Messages = {
  'language.endonym': 'Lietuvių',

  'page.title': 'Kelių veiksnių autentifikavimas',
  'page.code_label': 'Vienkartinis kodas',
  'page.submit': 'Prisijungti',
  'page.send_code': 'Siųsti kodą',
  'page.resend_code': 'Siųsti naują kodą',
  'page.cooldown': {
    plural: 'seconds',
    one: 'Naujo kodo galėsite paprašyti po {seconds} sekundės.',
    few: 'Naujo kodo galėsite paprašyti po {seconds} sekundžių.',
    many: 'Naujo kodo galėsite paprašyti po {seconds} sekundės.',
    other: 'Naujo kodo galėsite paprašyti po {seconds} sekundžių.',
  },
  'page.cancel': 'Atšaukti',
  'page.language': 'Kalba',
  'page.invalid_request':
    'Ši prisijungimo nuoroda negalioja. Grįžkite į programą ir prisijunkite iš naujo.',
  'page.request_expired':
    'Šios prisijungimo nuorodos galiojimas baigėsi. Grįžkite į programą ir prisijunkite iš naujo.',
  'page.start_again': 'Pradėti iš naujo',
  'page.bad_request': 'Užklausos apdoroti nepavyko.',
  'demo.title': 'SecureMFA demonstracija',
  'demo.intro': 'Pasirinkite demonstracinį naudotoją, kad išbandytumėte prisijungimo puslapį.',
  'demo.sign_in_as': 'Prisijungti kaip {account}',
  'demo.signed_in': 'Prisijungta kaip {account} naudojant vienkartinį kodą.',
  'demo.try_again': 'Bandyti dar kartą',
  'demo.no_users': 'Demonstracinių naudotojų nesukonfigūruota.',

  'enrol.title': 'Nustatykite autentifikavimo programėlę',
  'enrol.instruction':
    'Nuskaitykite šį QR kodą autentifikavimo programėle (Microsoft Authenticator, Google Authenticator, …), tada įveskite joje rodomą kodą.',
  'enrol.qr_alt': 'QR kodas autentifikavimo programėlei',
  'enrol.manual_key': 'Nepavyksta nuskaityti? Įveskite šį raktą rankiniu būdu:',
  'enrol.open_app': 'Atidaryti autentifikavimo programėlėje',
  'enrol.qr_not_allowed':
    'QR kodo negalima parodyti iš jūsų tinklo. Norėdami nustatyti autentifikavimo programėlę, kreipkitės į pagalbos tarnybą.',

  'login.enter_code': 'Įveskite autentifikavimo programėlės sugeneruotą kodą.',
  'login.code_sent_email': 'Išsiuntėme kodą adresu {destination}. Jis galioja iki {time}.',
  'login.code_sent_channel': 'Kodas jums išsiųstas per {channel}.',
  'login.code_sent': 'Kodas išsiųstas.',

  'outcome.invalid_code': 'Kodas neteisingas. Bandykite dar kartą.',
  'outcome.reused_code': 'Šis kodas jau panaudotas. Palaukite kito kodo ir bandykite dar kartą.',
  'outcome.locked': 'Per daug nesėkmingų bandymų. Jūsų paskyra užrakinta iki {time}.',
  'outcome.disabled': 'Jūsų vienkartinių kodų paskyra išjungta. Kreipkitės į pagalbos tarnybą.',
  'outcome.expired': 'Prisijungimo sesija baigėsi. Pradėkite iš naujo.',
  'outcome.unavailable': 'Prisijungimas vienkartiniu kodu jūsų paskyrai negalimas.',
  'outcome.delivery_failed': 'Nepavyko išsiųsti kodo. Bandykite vėliau.',
  'outcome.domain_not_allowed':
    'Kodų negalima siųsti į jūsų el. pašto adreso domeną. Kreipkitės į pagalbos tarnybą.',
  'outcome.recipient_rejected':
    'Pašto serveris nepriėmė jūsų el. pašto adreso. Kreipkitės į pagalbos tarnybą.',
  'outcome.malformed': 'Įveskite {digits} skaitmenų kodą.',
  'outcome.rate_limited': 'Per daug užklausų. Šiek tiek palaukite ir bandykite dar kartą.',
  'outcome.server_error': 'Įvyko klaida. Bandykite vėliau.',
  'outcome.success': 'Patvirtinta.',

  'email.subject': 'Jūsų prisijungimo kodas',
  'email.greeting': 'Sveiki, {account},',
  'email.greeting_plain': 'Sveiki,',
  'email.code_line': 'Jūsų vienkartinis kodas: {code}',
  'email.valid_until': 'Jis galioja iki {time}.',
  'email.not_you':
    'Jei nebandėte prisijungti, kreipkitės į pagalbos tarnybą ir pakeiskite slaptažodį.',
  'email.signature': '{company}',

  'agent.prompt': 'Įveskite vienkartinį kodą',
  'agent.offline': 'Autonominis prisijungimas',
  'agent.change_password': 'Keisti slaptažodį: {url}',

  'metadata.qr-otp.name': 'Laiku pagrįstas OTP autentifikavimas',
  'metadata.qr-otp.description':
    'Prisijunkite vienkartiniu kodu, kurį sugeneruoja jūsų telefone esanti autentifikavimo programėlė.',
  'metadata.email-otp.name': 'Laiku pagrįstas OTP autentifikavimas el. paštu',
  'metadata.email-otp.description':
    'Prisijunkite vienkartiniu kodu, išsiųstu jūsų el. pašto adresu.',
  'metadata.api-otp.name': 'Laiku pagrįstas OTP autentifikavimas per API',
  'metadata.api-otp.description':
    'Prisijunkite vienkartiniu kodu, išsiųstu į jūsų telefoną arba el. paštą.',
};
