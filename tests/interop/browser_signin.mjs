// Signs a user in on mcpcp's authorization pages in a real headless Chromium: the system's
// /usr/bin/chromium (Debian's `chromium` package, which run.sh installs), driven by
// playwright-core, which never downloads a browser. The Node twin of browser_signin.py; see there
// for the flow, including what happens when Chromium refuses the redirect after a form (CSP
// `form-action`): the result's `blocked` says so and the browser opens the authorization URL once
// more (signed in and consented, mcpcp then redirects from a plain navigation).
import { createServer } from 'node:http';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/** How long one step (a page load, the redirect after a click) may take, in ms. */
const STEP_TIMEOUT = 20_000;

export const launch = () => chromium.launch({ executablePath: CHROMIUM, args: ARGS });

/** A promise and its resolver. */
function deferred() {
  let resolve;
  const promise = new Promise((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * Opens `url` in a fresh context, signs in as `username`, allows, and resolves once the browser
 * navigated to a URL starting with `redirectPrefix` and got an answer there:
 * `{ landed, pages, blocked, console }`. Throws when it sees anything else.
 */
export async function signIn(browser, url, redirectPrefix, username, password) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const console = [];
    const blocks = [];
    const pages = [];
    let landed;
    // One waiter per step: resolved by whichever comes first.
    let step = deferred();
    page.on('console', (message) => {
      console.push(message.text());
      if (message.text().includes('Content Security Policy')) {
        blocks.push(message.text());
        step.resolve('refused');
      }
    });
    page.on('response', (response) => {
      if (landed === undefined && response.url().startsWith(redirectPrefix) && response.request().isNavigationRequest()) {
        landed = response.url();
        step.resolve('landed');
      }
    });
    page.on('load', () => step.resolve('loaded'));

    /** Runs a click or navigation and waits for the next page, the redirect, or a refusal. */
    const act = async (action) => {
      step = deferred();
      await action();
      let timer;
      const outcome = await Promise.race([
        step.promise,
        new Promise((resolve) => {
          timer = setTimeout(() => resolve('timeout'), STEP_TIMEOUT);
        }),
      ]);
      clearTimeout(timer);
      if (outcome === 'timeout' && landed === undefined) {
        throw new Error(`nothing happened within ${STEP_TIMEOUT} ms on ${page.url()}; console: ${JSON.stringify(console)}`);
      }
      return outcome;
    };

    let outcome = await act(() => page.goto(url));
    while (landed === undefined) {
      if (outcome === 'refused') {
        if (blocks.length > 1) throw new Error(`refused again: ${blocks.at(-1)}`);
        outcome = await act(() => page.goto(url));
        continue;
      }
      await page.waitForLoadState('domcontentloaded');
      const allow = page.getByRole('button', { name: 'Allow', exact: true });
      if (await page.locator('#username').count()) {
        if (pages.includes('login')) {
          const alert = page.getByRole('alert');
          throw new Error(`the login page came back: ${(await alert.count()) ? await alert.innerText() : '(no message)'}`);
        }
        pages.push('login');
        await page.locator('#username').fill(username);
        await page.locator('#password').fill(password);
        outcome = await act(() => page.getByRole('button', { name: 'Sign in', exact: true }).click());
      } else if (await allow.count()) {
        if (pages.includes('consent')) throw new Error('the consent page came back');
        pages.push('consent');
        outcome = await act(() => allow.click());
      } else {
        const text = (await page.innerText('body')).trim().slice(0, 500);
        throw new Error(`unexpected page at ${page.url()}: ${JSON.stringify(text)}`);
      }
    }
    return { landed, pages, blocked: blocks[0] ?? null, console };
  } finally {
    await context.close();
  }
}

/**
 * A loopback HTTP listener standing in for a native client's redirect URI
 * (http://127.0.0.1:PORT/callback, RFC 8252 §7.3): `next()` resolves with the next URL it got.
 */
export class Callback {
  #queue = [];
  #waiters = [];
  #server;

  async start() {
    this.#server = createServer((request, response) => {
      if (request.url.startsWith('/callback')) {
        const url = `http://127.0.0.1:${this.port}${request.url}`;
        const waiter = this.#waiters.shift();
        if (waiter) waiter(url);
        else this.#queue.push(url);
      }
      response.writeHead(200, { 'content-type': 'text/html', connection: 'close' });
      response.end('<!doctype html><p>Signed in. You can close this window.</p>');
    });
    await new Promise((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.port = this.#server.address().port;
    return this;
  }

  get uri() {
    return `http://127.0.0.1:${this.port}/callback`;
  }

  next(timeout = STEP_TIMEOUT) {
    if (this.#queue.length) return Promise.resolve(this.#queue.shift());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no callback arrived')), timeout);
      this.#waiters.push((url) => {
        clearTimeout(timer);
        resolve(url);
      });
    });
  }

  close() {
    this.#server?.close();
    this.#server?.closeAllConnections();
  }
}
