/**
 * GraphiQL in real headless Chromium (Debian's `chromium`, driven by
 * playwright-core), in session mode: the page loads from its compressed
 * assets, the Login tab logs in (the cookie is set, no token pasted), and
 * the Overview tab returns data. With UPDATE_SCREENSHOT=1 the screenshot becomes the README's.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './helpers/stack.ts';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const executablePath = CANDIDATES.find((path): path is string => !!path && existsSync(path));
// CI installs Chromium (.ci/run): there a missing browser is a failure, not a skip.
const skip = !executablePath && process.env.CI !== 'true';

describe.skipIf(skip)('GraphiQL in headless Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    if (!executablePath) throw new Error(`No Chromium found (looked at ${CANDIDATES.filter(Boolean).join(', ')}); .ci/run installs Debian's chromium`);
    stack = await startStack({ env: { SESSION_COOKIE: '1' } });
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('loads, logs in on the Login tab and shows data on the Overview tab', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const failed: string[] = [];
    page.on('pageerror', (error) => failed.push(error.message));
    const assets: { url: string; encoding: string | undefined }[] = [];
    page.on('response', (response) => {
      if (response.url().includes('/graphiql/')) assets.push({ url: response.url(), encoding: response.headers()['content-encoding'] });
    });

    await page.goto(`${stack.url}/graphql`);
    await page.locator('.graphiql-execute-button').waitFor({ timeout: 30_000 });
    expect(assets.filter((a) => a.url.endsWith('.js') || a.url.endsWith('.css')).every((a) => a.encoding === 'br')).toBe(true);

    const response = page.locator('.graphiql-response');
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => response.innerText(), { timeout: 20_000 }).toMatch(/"expiresIn":\s*7200/);
    const cookies = await page.context().cookies();
    expect(cookies.map((c) => [c.name, c.httpOnly, c.secure, c.sameSite])).toEqual([['__Host-ksg-session', true, true, 'Strict']]);
    // Page scripts cannot read it.
    expect(await page.evaluate(() => document.cookie)).toBe('');

    await page.locator('.graphiql-tab').nth(1).click();
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => response.innerText(), { timeout: 20_000 }).toContain('"totalItems"');
    const text = await response.innerText();
    expect(text).toContain('"gitVersion"');
    expect(text).not.toContain('UNAUTHENTICATED');

    // The README's picture is refreshed on request only, so test runs leave the work tree clean.
    const shot = await page.screenshot({ path: process.env.UPDATE_SCREENSHOT ? 'docs/graphiql.png' : undefined });
    expect(shot.byteLength).toBeGreaterThan(10_000);
    expect(failed).toEqual([]);
  }, 90_000);
});
