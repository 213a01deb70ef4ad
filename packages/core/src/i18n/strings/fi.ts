/**
 * Finnish (fi). Plain imperative, as Finnish interfaces use; times read "klo 15.07 asti".
 *
 * @module i18n
 */
import type { Messages } from '../messages.js';

/** Finnish strings. */
export const fi: Messages = {
  'language.endonym': 'Suomi',

  'page.title': 'Monivaiheinen todennus',
  'page.code_label': 'Kertakäyttökoodi',
  'page.submit': 'Kirjaudu sisään',
  'page.send_code': 'Lähetä koodi',
  'page.resend_code': 'Lähetä uusi koodi',
  'page.cooldown': {
    plural: 'seconds',
    one: 'Voit pyytää uuden koodin {seconds} sekunnin kuluttua.',
    other: 'Voit pyytää uuden koodin {seconds} sekunnin kuluttua.',
  },
  'page.cancel': 'Peruuta',
  'page.language': 'Kieli',
  'page.invalid_request':
    'Tämä kirjautumislinkki ei ole kelvollinen. Palaa sovellukseen ja kirjaudu uudelleen.',
  'page.request_expired':
    'Tämä kirjautumislinkki on vanhentunut. Palaa sovellukseen ja kirjaudu uudelleen.',
  'page.start_again': 'Aloita alusta',
  'page.bad_request': 'Pyyntöä ei voitu käsitellä.',
  'demo.title': 'SecureMFA-esittely',
  'demo.intro': 'Kokeile kirjautumissivua valitsemalla esittelykäyttäjä.',
  'demo.sign_in_as': 'Kirjaudu käyttäjänä {account}',
  'demo.signed_in': 'Kirjauduttu käyttäjänä {account} kertakäyttökoodilla.',
  'demo.try_again': 'Yritä uudelleen',
  'demo.no_users': 'Esittelykäyttäjiä ei ole määritetty.',

  'enrol.title': 'Ota todennussovellus käyttöön',
  'enrol.instruction':
    'Skannaa tämä QR-koodi todennussovelluksella (Microsoft Authenticator, Google Authenticator, …) ja anna sitten sovelluksen näyttämä koodi.',
  'enrol.qr_alt': 'QR-koodi todennussovellusta varten',
  'enrol.manual_key': 'Etkö voi skannata? Anna tämä avain käsin:',
  'enrol.open_app': 'Avaa todennussovelluksessa',
  'enrol.qr_not_allowed':
    'QR-koodia ei voi näyttää verkostasi. Ota yhteyttä tukipalveluun, jotta saat todennussovelluksen käyttöön.',

  'login.enter_code': 'Anna todennussovelluksesi luoma koodi.',
  'login.code_sent_email':
    'Lähetimme koodin osoitteeseen {destination}. Se on voimassa klo {time} asti.',
  'login.code_sent_channel': 'Sinulle lähetettiin koodi palvelun {channel} kautta.',
  'login.code_sent': 'Koodi lähetetty.',

  'outcome.invalid_code': 'Koodi ei ole oikein. Yritä uudelleen.',
  'outcome.reused_code': 'Tätä koodia on jo käytetty. Odota seuraavaa koodia ja yritä uudelleen.',
  'outcome.locked': 'Liian monta epäonnistunutta yritystä. Tilisi on lukittu klo {time} asti.',
  'outcome.disabled': 'Kertakäyttökooditilisi on poistettu käytöstä. Ota yhteyttä tukipalveluun.',
  'outcome.expired': 'Kirjautumisistuntosi on vanhentunut. Aloita alusta.',
  'outcome.unavailable': 'Kirjautuminen kertakäyttökoodilla ei ole käytettävissä tililläsi.',
  'outcome.delivery_failed': 'Koodin lähettäminen epäonnistui. Yritä myöhemmin uudelleen.',
  'outcome.domain_not_allowed':
    'Koodeja ei voi lähettää sähköpostiosoitteesi toimialueeseen. Ota yhteyttä tukipalveluun.',
  'outcome.recipient_rejected':
    'Sähköpostipalvelin ei hyväksynyt sähköpostiosoitettasi. Ota yhteyttä tukipalveluun.',
  'outcome.malformed': 'Anna {digits}-numeroinen koodi.',
  'outcome.rate_limited': 'Liian monta pyyntöä. Odota hetki ja yritä uudelleen.',
  'outcome.server_error': 'Jokin meni vikaan. Yritä myöhemmin uudelleen.',
  'outcome.success': 'Vahvistettu.',

  'email.subject': 'Kirjautumiskoodisi',
  'email.greeting': 'Hei {account},',
  'email.greeting_plain': 'Hei,',
  'email.code_line': 'Kertakäyttökoodisi on: {code}',
  'email.valid_until': 'Se on voimassa klo {time} asti.',
  'email.not_you':
    'Jos et yrittänyt kirjautua sisään, ota yhteyttä tukipalveluun ja vaihda salasanasi.',
  'email.signature': '{company}',

  'agent.prompt': 'Anna kertakäyttökoodisi',
  'agent.offline': 'Offline-kirjautuminen',
  'agent.change_password': 'Vaihda salasana: {url}',

  'metadata.qr-otp.name': 'Aikaperusteinen OTP-todennus',
  'metadata.qr-otp.description':
    'Kirjaudu sisään puhelimesi todennussovelluksen luomalla kertakäyttökoodilla.',
  'metadata.email-otp.name': 'Aikaperusteinen OTP-todennus sähköpostitse',
  'metadata.email-otp.description':
    'Kirjaudu sisään sähköpostiosoitteeseesi lähetetyllä kertakäyttökoodilla.',
  'metadata.api-otp.name': 'Aikaperusteinen OTP-todennus API:n kautta',
  'metadata.api-otp.description':
    'Kirjaudu sisään puhelimeesi tai sähköpostiisi lähetetyllä kertakäyttökoodilla.',
};
