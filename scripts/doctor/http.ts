// The doctor's one HTTP client. What it talks to may be misconfigured, or not what it claims:
// - a redirect is not followed: a /healthz that answers 302 is reported as a 302, not as
//   whatever the redirect leads to;
// - an answer is read up to MAX_ANSWER_BYTES, then given up on, so a runaway /metrics page
//   cannot take the doctor's memory with it;
// - credentials given in a URL (fetch refuses URLs with them) are sent as a Basic
//   Authorization header to that origin, and the URL the doctor prints has none.
// printable() escapes what a backend wrote before it reaches a terminal.

export const MAX_ANSWER_BYTES = 8 * 1024 * 1024;
const TIMEOUT_MS = 3_000;

/** Authorization header by origin, from the URLs the doctor was given. */
const credentials = new Map<string, string>();

/** The URL without user and password, which are kept for requests to its origin; throws on a non-URL. */
export function withoutCredentials(raw: string): string {
  const url = new URL(raw);
  if (url.username || url.password) {
    const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    credentials.set(url.origin, `Basic ${Buffer.from(pair).toString('base64')}`);
    url.username = '';
    url.password = '';
  }
  return url.href;
}

export class AnswerTooLarge extends Error {}

export interface Answer {
  status: number;
  text: string;
  /** Where a 3xx points, as the server said it. */
  location?: string;
}

async function readCapped(res: Response): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      throw new AnswerTooLarge(`answer over ${MAX_ANSWER_BYTES / 2 ** 20} MiB, not read further`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function request(url: string, init: RequestInit = {}): Promise<Answer> {
  const headers = new Headers(init.headers);
  const authorization = credentials.get(new URL(url).origin);
  if (authorization) headers.set('authorization', authorization);
  const res = await fetch(url, { ...init, headers, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await readCapped(res);
  return { status: res.status, text, location: res.headers.get('location') ?? undefined };
}

// C0 controls but tab and newline, DEL, and C1 controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is what this is for
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Control characters (escape sequences among them) as \xNN, so a backend's string prints as text. */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
