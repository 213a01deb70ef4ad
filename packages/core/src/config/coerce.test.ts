import { describe, expect, it } from '@jest/globals';
import type { z } from 'zod';
import {
  boolish,
  choice,
  emailAddress,
  headerName,
  host,
  intish,
  isAttributeName,
  isNetwork,
  list,
  otpauthParams,
  secret,
  sqlServer,
  text,
  url,
  valueTypes,
} from './coerce.js';

function messageOf(schema: z.ZodType, input: unknown): string | undefined {
  const r = schema.safeParse(input);
  return r.success ? undefined : r.error.issues[0]?.message;
}

describe('boolish (true/false as bool.Parse accepted them)', () => {
  it.each([
    [true, true],
    [false, false],
    ['true', true],
    ['false', false],
    ['True', true],
    [' FALSE ', false],
  ])('reads %j as %j', (input, expected) => {
    expect(boolish().parse(input)).toBe(expected);
  });

  it.each(['1', '0', 'yes', 'on', '', 'truee', 1, null, {}])(
    'rejects %j saying "true or false"',
    (input) => {
      expect(messageOf(boolish(), input)).toBe('true or false');
    },
  );
});

describe('intish', () => {
  it.each([
    ['25', 25],
    [' 5000 ', 5000],
    ['+8', 8],
    [65535, 65535],
    [1, 1],
  ])('reads %j as %j', (input, expected) => {
    expect(intish(1, 65535).parse(input)).toBe(expected);
  });

  it.each(['25a', '', '0', '65536', '-1', '2.5', 2.5, 0, 70000, Number.NaN, true, '1e3', '0x10'])(
    'rejects %j saying the range',
    (input) => {
      expect(messageOf(intish(1, 65535), input)).toBe('an integer 1–65535');
    },
  );

  it('names the unit when there is one', () => {
    expect(messageOf(intish(100, 600000, 'ms'), '50')).toBe('an integer 100–600000 (ms)');
  });
});

describe('text and secret', () => {
  it('keeps text exactly, spaces included, and accepts a number as its digits', () => {
    expect(text().parse('  a b  ')).toBe('  a b  ');
    expect(text().parse(1234)).toBe('1234');
  });

  it('refuses line breaks in one-line text (header injection) but allows them in UI text', () => {
    expect(messageOf(text(), 'Title\r\nBcc: x@evil')).toMatch(/^one line of text/);
    expect(text({ multiline: true }).parse('line 1\nline 2')).toBe('line 1\nline 2');
    expect(messageOf(text({ multiline: true }), 'a\u0000b')).toMatch(/^text/);
  });

  it('refuses text longer than its limit', () => {
    expect(messageOf(text({ maxLength: 4 }), 'abcde')).toBe(
      'one line of text (at most 4 characters)',
    );
  });

  it('keeps a secret exactly as written, leading and trailing spaces included', () => {
    expect(secret().parse(' d9GhT=7=Ox8-+LaZ ')).toBe(' d9GhT=7=Ox8-+LaZ ');
  });

  it('checks the byte length of a fixed-size secret, allowing it to be empty', () => {
    const salt = secret({ exactBytes: 16 });
    expect(salt.parse('sMFA-legacy-salt')).toBe('sMFA-legacy-salt');
    expect(salt.parse('')).toBe('');
    expect(messageOf(salt, 'short')).toBe('exactly 16 characters (16 bytes in UTF-8)');
    expect(messageOf(salt, 'ééééééééééééééé!')).toBe('exactly 16 characters (16 bytes in UTF-8)');
  });
});

describe('choice', () => {
  const modes = choice(['SQL', 'AD', 'SQLITE', 'POSTGRES'] as const);
  it('accepts any case and surrounding spaces, returning the canonical spelling', () => {
    expect(modes.parse('sql')).toBe('SQL');
    expect(modes.parse(' Postgres ')).toBe('POSTGRES');
  });
  it('lists the accepted values when refusing', () => {
    expect(messageOf(modes, 'MSSQL')).toBe('one of SQL, AD, SQLITE, POSTGRES');
    expect(messageOf(modes, 3)).toBe('one of SQL, AD, SQLITE, POSTGRES');
  });
});

describe('url', () => {
  const http = url(['https', 'http']);
  it('accepts http(s) URLs and "" (not set), trimming spaces', () => {
    expect(http.parse(' https://rb8zcll076.execute-api.eu-west-1.amazonaws.com/prod/ ')).toBe(
      'https://rb8zcll076.execute-api.eu-west-1.amazonaws.com/prod/',
    );
    expect(http.parse('')).toBe('');
  });
  it.each([
    'ftp://example.com/',
    'example.com/prod',
    'https://',
    'https://exa mple.com/',
    'javascript:alert(1)',
  ])('refuses %j', (input) => {
    expect(messageOf(http, input)).toBe('an absolute https:// or http:// URL, or ""');
  });
  it('accepts only ldap schemes for the directory', () => {
    expect(url(['ldaps', 'ldap']).parse('ldaps://dc1.adatum.labnet:636')).toBe(
      'ldaps://dc1.adatum.labnet:636',
    );
    expect(messageOf(url(['ldaps', 'ldap']), 'https://dc1')).toMatch(/ldaps:\/\/ or ldap:\/\//);
  });
});

describe('host, sqlServer, emailAddress, headerName, otpauthParams', () => {
  it.each(['smtp.adatum.labnet', '10.1.2.3', '::1', '[2001:db8::1]', 'localhost', ''])(
    'host accepts %j',
    (h) => {
      expect(host().parse(h)).toBe(h);
    },
  );
  it.each(['smtp server', 'http://smtp', 'a..b', '-bad.example'])('host refuses %j', (h) => {
    expect(messageOf(host(), h)).toBe('a host name or IP address, or ""');
  });

  it.each([
    'asqlaol1.adatum.labnet,1433',
    'sql1',
    'sql1\\SQLEXPRESS',
    'sql1\\SQLEXPRESS,1500',
    '10.0.0.5,1433',
  ])('sqlServer accepts %j', (s) => {
    expect(sqlServer().parse(s)).toBe(s);
  });
  it.each(['sql1,99999', 'sql1,', 'sql 1', 'sql1\\bad instance', 'a,b,c'])(
    'sqlServer refuses %j',
    (s) => {
      expect(messageOf(sqlServer(), s)).toMatch(/^a SQL Server as "host", "host,port"/);
    },
  );

  it('emailAddress accepts an address or "" and refuses anything else', () => {
    expect(emailAddress().parse('mfa.no.reply@adatum.labnet')).toBe('mfa.no.reply@adatum.labnet');
    expect(emailAddress().parse('')).toBe('');
    expect(messageOf(emailAddress(), 'mfa.no.reply')).toMatch(/^an e-mail address/);
    expect(messageOf(emailAddress(), 'a b@example.com')).toMatch(/^an e-mail address/);
  });

  it('headerName accepts a token and refuses spaces or a colon', () => {
    expect(headerName().parse('x-api-key')).toBe('x-api-key');
    expect(messageOf(headerName(), 'x api key')).toBe('an HTTP header name like x-api-key');
    expect(messageOf(headerName(), 'x-api-key:')).toBe('an HTTP header name like x-api-key');
  });

  it('otpauthParams accepts the manual\'s "&algorithm=SHA1" form', () => {
    expect(otpauthParams().parse('&algorithm=SHA1')).toBe('&algorithm=SHA1');
    expect(otpauthParams().parse('&algorithm=SHA1&digits=6')).toBe('&algorithm=SHA1&digits=6');
    expect(messageOf(otpauthParams(), 'algorithm=SHA1')).toMatch(/^parameters like/);
    expect(messageOf(otpauthParams(), '&a=b c')).toMatch(/^parameters like/);
  });
});

describe('isNetwork (node:net isIP + BlockList)', () => {
  it.each([
    '10.0.0.0/8',
    '192.168.1.0/24',
    '2001:db8::/32',
    '0.0.0.0/0',
    '::/0',
    '192.168.1.10',
    '::1',
    '10.0.0.0/32',
  ])('accepts %s', (n) => {
    expect(isNetwork(n)).toBe(true);
  });
  it.each([
    '10.0.0.0/33',
    '2001:db8::/129',
    '300.1.1.1',
    '10.0.0.0/8/8',
    '10.0.0.0/',
    '10.0.0.0/-1',
    'example.com',
    '10.0.0.0/08x',
    '',
  ])('refuses %s', (n) => {
    expect(isNetwork(n)).toBe(false);
  });
});

describe('list (the manuals\' ";"-separated strings)', () => {
  it('parses networks, IPv4 and IPv6, dropping empty entries and spaces', () => {
    expect(list('network').parse('10.0.0.0/8; 192.168.1.0/24;;2001:db8::/32;')).toEqual([
      '10.0.0.0/8',
      '192.168.1.0/24',
      '2001:db8::/32',
    ]);
  });

  it('reads the manual\'s ";;" as an empty list', () => {
    expect(list('network').parse(';;')).toEqual([]);
    expect(list('domain').parse('')).toEqual([]);
  });

  it('accepts a JSON array and "," as a separator', () => {
    expect(list('network').parse(['10.0.0.0/8', '::1'])).toEqual(['10.0.0.0/8', '::1']);
    expect(list('domain').parse('.com,.net')).toEqual(['.com', '.net']);
  });

  it('lower-cases domains', () => {
    expect(list('domain').parse('.COM;.net;MyDomain.org;mydomain.eu')).toEqual([
      '.com',
      '.net',
      'mydomain.org',
      'mydomain.eu',
    ]);
  });

  it('names the bad entry', () => {
    expect(messageOf(list('network'), '10.0.0.0/8;10.0.0.0/33')).toBe(
      'networks separated by ";" (e.g. 10.0.0.0/8;192.168.1.0/24;2001:db8::/32); "10.0.0.0/33" is not an IPv4 or IPv6 network',
    );
    expect(messageOf(list('domain'), '.com;bad domain!')).toMatch(/"bad domain!" is not a domain$/);
  });

  it('refuses a list that is not strings', () => {
    expect(messageOf(list('network'), ['10.0.0.0/8', 5])).toBe(
      'networks separated by ";" (e.g. 10.0.0.0/8;192.168.1.0/24;2001:db8::/32)',
    );
    expect(messageOf(list('domain'), 42)).toMatch(/^domains separated by ";"/);
  });
});

describe('isAttributeName', () => {
  it.each(['mobile', 'msDS-cloudExtensionAttribute10', '1.2.840.113556.1.4.221'])(
    'accepts %s',
    (a) => {
      expect(isAttributeName(a)).toBe(true);
    },
  );
  it.each(['', 'bad attr', '(mail=*)', '1mobile', 'mail;binary'])('refuses %j', (a) => {
    expect(isAttributeName(a)).toBe(false);
  });
});

describe('valueTypes registry', () => {
  it('records what each helper expects and the JSON Schema of its input', () => {
    const port = intish(1, 65535);
    expect(valueTypes.get(port)).toEqual({
      expects: 'an integer 1–65535',
      json: {
        anyOf: [
          { type: 'integer', minimum: 1, maximum: 65535 },
          { type: 'string', pattern: '^\\s*\\+?[0-9]{1,15}\\s*$' },
        ],
      },
    });
    expect(valueTypes.get(boolish())?.expects).toBe('true or false');
  });
});
