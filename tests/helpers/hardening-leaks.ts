// The leak scanner of the "secrets never leak" suite: every secret, passphrase, password, key,
// TOTP secret and code a suite used is registered; every log line, console output, HTTP
// response and file the suite collected is registered as a text; `findings()` lists each
// secret found in a text that is not explicitly allowed to hold it (the enrolment answer holds
// exactly its own user's TOTP secret — nothing else is ever allowed).
//
// A secret is looked for as written, lower-cased, and (TOTP secrets) in the groups of four the
// hosted page shows; codes as a whole digit run (not inside a longer number). Signed JWTs found
// in a text are decoded and their header and payload scanned too: a secret inside a base64url
// claim is still a leak.

/** One registered secret. */
interface Secret {
  label: string;
  value: string;
  kind: 'secret' | 'code' | 'totp';
}

/** One collected text. */
interface Collected {
  source: string;
  text: string;
  /** Labels of the secrets this text may hold. */
  allow: ReadonlySet<string>;
}

/** A secret where it must not be. */
export interface Finding {
  secret: string;
  source: string;
  /** 60 characters either side of the first hit, the secret itself replaced by ***. */
  context: string;
}

const JWS = /eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;

function decodeJwts(text: string): string {
  const out: string[] = [];
  for (const m of text.matchAll(JWS)) {
    const [h, p] = m[0].split('.');
    for (const part of [h, p]) {
      try {
        out.push(Buffer.from(part ?? '', 'base64url').toString('utf8'));
      } catch {
        // not base64url after all
      }
    }
  }
  return out.join('\n');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Collects secrets and texts, then reports where secrets leaked. */
export class LeakScanner {
  private readonly secrets: Secret[] = [];
  private readonly texts: Collected[] = [];

  /** A secret value (passphrase, password, key, header value); ignored when shorter than 8. */
  secret(label: string, value: string): void {
    if (value.length < 8) throw new Error(`secret ${label} is too short to scan for reliably`);
    this.secrets.push({ label, value, kind: 'secret' });
  }

  /** A base32 TOTP secret (also looked for in groups of four). */
  totp(label: string, value: string): void {
    this.secrets.push({ label, value: value.replace(/=+$/, ''), kind: 'totp' });
  }

  /** A code that was sent, shown or typed. */
  code(label: string, value: string): void {
    if (!/^\d{6,8}$/.test(value)) throw new Error(`code ${label} is not 6–8 digits: ${value}`);
    this.secrets.push({ label, value, kind: 'code' });
  }

  /** A text to scan (a log file, an output, a response body). */
  add(source: string, text: string, allow: readonly string[] = []): void {
    this.texts.push({ source, text, allow: new Set(allow) });
  }

  /** How many secrets and texts are registered (a scan of nothing proves nothing). */
  get counts(): { secrets: number; codes: number; texts: number; bytes: number } {
    return {
      secrets: this.secrets.filter((s) => s.kind !== 'code').length,
      codes: this.secrets.filter((s) => s.kind === 'code').length,
      texts: this.texts.length,
      bytes: this.texts.reduce((n, t) => n + t.text.length, 0),
    };
  }

  private patterns(s: Secret): RegExp[] {
    if (s.kind === 'code') return [new RegExp(`(?<!\\d)${s.value}(?!\\d)`)];
    const forms = new Set([s.value, s.value.toLowerCase()]);
    if (s.kind === 'totp') {
      const groups = s.value.match(/.{1,4}/g) ?? [];
      forms.add(groups.join(' '));
      forms.add(groups.join(' ').toLowerCase());
      forms.add(groups.join('-'));
    }
    return [...forms].map((f) => new RegExp(escapeRegExp(f)));
  }

  /** Every secret found in a text that is not allowed to hold it. */
  findings(): Finding[] {
    const found: Finding[] = [];
    for (const t of this.texts) {
      const haystack = `${t.text}\n${decodeJwts(t.text)}`;
      for (const s of this.secrets) {
        if (t.allow.has(s.label)) continue;
        for (const re of this.patterns(s)) {
          const m = re.exec(haystack);
          if (m === null) continue;
          const at = m.index;
          found.push({
            secret: s.label,
            source: t.source,
            context: `${haystack.slice(Math.max(0, at - 60), at)}***${haystack.slice(at + m[0].length, at + m[0].length + 60)}`,
          });
          break;
        }
      }
    }
    return found;
  }

  /** True when a text that is allowed to hold a secret really holds it (the scan can see it). */
  holds(source: string, label: string): boolean {
    const s = this.secrets.find((x) => x.label === label);
    const t = this.texts.find((x) => x.source === source);
    if (s === undefined || t === undefined) return false;
    return this.patterns(s).some((re) => re.test(`${t.text}\n${decodeJwts(t.text)}`));
  }
}
