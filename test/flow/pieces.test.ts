// The small pure parts of the login flow: the cookie jar, the HTML reader, port and
// version parsing, the emulator answer correction, traceback extraction. No processes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CookieJar, parseSetCookie } from '../../src/flow/cookie-jar.js';
import { installAdvice, satisfiesMinimum } from '../../src/flow/emulator-loader.js';
import { withDocumentedAuthenticationMethod } from '../../src/flow/emulator.js';
import { attributes, forms, heading, links, visibleText } from '../../src/flow/html.js';
import { lastTraceback } from '../../src/flow/login-flow.js';
import { parsePort } from '../../src/flow/ports.js';

describe('cookie jar', () => {
  const site = new URL('http://localhost:8000/auth/login/');

  test('keeps a session cookie and sends it back to the same host on any port', () => {
    const jar = new CookieJar();
    jar.store(site, ['sessionid=abc123; expires=Thu, 01 Jan 2099 00:00:00 GMT; HttpOnly; Max-Age=1209600; Path=/; SameSite=Lax']);
    assert.equal(jar.headerFor(new URL('http://localhost:8000/')), 'sessionid=abc123');
    assert.equal(jar.headerFor(new URL('http://localhost:9999/x')), 'sessionid=abc123');
    assert.equal(jar.headerFor(new URL('http://127.0.0.1:8000/')), null);
  });

  test('an expired Set-Cookie deletes the cookie (Django session.flush)', () => {
    const jar = new CookieJar();
    jar.store(site, ['sessionid=abc123; Path=/', 'csrftoken=tok; Path=/']);
    jar.store(site, ['sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax']);
    assert.equal(jar.get(new URL('http://localhost:8000/'), 'sessionid'), null);
    assert.equal(jar.headerFor(new URL('http://localhost:8000/')), 'csrftoken=tok');
  });

  test('paths: a cookie for /auth is not sent to /, and the default path is the folder', () => {
    const jar = new CookieJar();
    jar.store(site, ['a=1; Path=/auth', 'b=2']);
    assert.equal(jar.headerFor(new URL('http://localhost:8000/')), null);
    assert.equal(jar.headerFor(new URL('http://localhost:8000/auth/login/x')), 'b=2; a=1');
    assert.equal(jar.headerFor(new URL('http://localhost:8000/authority')), null);
    assert.equal(parseSetCookie('b=2', '/auth/login/')?.path, '/auth/login');
  });

  test('Max-Age wins over Expires; bad headers are ignored', () => {
    const now = Date.UTC(2030, 0, 1);
    assert.equal(parseSetCookie('x=1; Max-Age=10; Expires=Thu, 01 Jan 1970 00:00:00 GMT', '/', now)?.expires, now + 10_000);
    assert.equal(parseSetCookie('=nameless', '/'), null);
    assert.equal(parseSetCookie('no-equals-sign', '/'), null);
  });
});

describe('html reader', () => {
  const loggedOut = `<!doctype html><html><head><title>Home</title><style>a{}</style></head><body>
    <h1>Welcome</h1><p><a class="button" href="/auth/login/?next=%2F&amp;x=1">Log in</a></p>
    <script>document.write('<a href="/fake">Sign in</a>')</script></body></html>`;
  const loggedIn = `<h1>Welcome, ada&#64;example.com</h1>
    <form method="POST" action='/auth/logout/'>
      <input type="hidden" name="csrfmiddlewaretoken" value="tok&amp;en">
      <button type="submit">Log out</button>
    </form>`;

  test('links, with entities decoded and scripts ignored', () => {
    assert.deepEqual(links(loggedOut), [{ href: '/auth/login/?next=%2F&x=1', text: 'Log in' }]);
  });

  test('forms: method, action, named inputs, visible text', () => {
    assert.deepEqual(forms(loggedIn), [{ method: 'post', action: '/auth/logout/', inputs: { csrfmiddlewaretoken: 'tok&en' }, text: 'Log out' }]);
  });

  test('visible text and heading', () => {
    assert.equal(visibleText(loggedIn), 'Welcome, ada@example.com Log out');
    assert.equal(heading(loggedOut), 'Welcome');
    assert.equal(heading('<title>Only a title</title>'), 'Only a title');
  });

  test('attributes: quoted, unquoted, bare', () => {
    assert.deepEqual(attributes('<input type=hidden name="a" value=\'b c\' disabled>'), { type: 'hidden', name: 'a', value: 'b c', disabled: '' });
  });
});

describe('ports and versions', () => {
  test('parsePort accepts 1..65535 only', () => {
    assert.equal(parsePort('8000'), 8000);
    assert.equal(parsePort(' 65535 '), 65535);
    for (const bad of ['0', '65536', '-1', '80a', '', '8000.5', '1e3']) assert.equal(parsePort(bad), null, bad);
  });

  test('satisfiesMinimum reads the emulator package\'s Node range', () => {
    assert.equal(satisfiesMinimum('20.20.0', '>=20.20'), true);
    assert.equal(satisfiesMinimum('20.20.2', '>=20.20'), true);
    assert.equal(satisfiesMinimum('22.1.0', '>=20.20'), true);
    assert.equal(satisfiesMinimum('20.19.9', '>=20.20'), false);
    assert.equal(satisfiesMinimum('18.20.4', '>=20.20'), false);
    assert.equal(satisfiesMinimum('v20.11.0', '>= 20.12.1'), false);
  });

  test('the install advice names the tested emulator version and both places', () => {
    const advice = installAdvice('/home/me/my project', { AUTHKIT_DJANGO_CACHE_DIR: '/home/me/my cache' });
    assert.ok(advice.includes("npm install --prefix '/home/me/my cache/emulator' --no-save --no-audit --no-fund workos@0.14.0"), advice);
    assert.doesNotMatch(advice, /my project/, "the emulator never goes into the project's folder");
    assert.match(advice, /npm install --global workos@0\.14\.0/);
  });
});

describe("emulator answer correction (for the workos 5.x SDK)", () => {
  test('an undocumented authentication_method becomes null; everything else is kept', () => {
    const body = Buffer.from(JSON.stringify({ user: { id: 'user_1', email: 'a@b.c' }, access_token: 't', authentication_method: 'OAuth' }));
    assert.deepEqual(JSON.parse(withDocumentedAuthenticationMethod(body).toString()), {
      user: { id: 'user_1', email: 'a@b.c' },
      access_token: 't',
      authentication_method: null,
    });
  });

  test('documented values, non-JSON and other shapes pass through byte for byte', () => {
    for (const text of ['{"authentication_method":"GoogleOAuth"}', 'not json', '[1,2]', '{"other":1}']) {
      const body = Buffer.from(text);
      assert.equal(withDocumentedAuthenticationMethod(body), body);
    }
  });
});

describe('tracebacks from runserver output', () => {
  test('the last traceback, up to its exception line', () => {
    const output = [
      '[27/Nov/2026 12:00:00] "GET / HTTP/1.1" 200 10',
      'Internal Server Error: /auth/login/',
      'Traceback (most recent call last):',
      '  File "/x/views.py", line 3, in login',
      '    raise RuntimeError("boom")',
      'RuntimeError: boom',
      '[27/Nov/2026 12:00:01] "GET /auth/login/ HTTP/1.1" 500 145',
    ].join('\n');
    assert.equal(lastTraceback(output), 'Traceback (most recent call last):\n  File "/x/views.py", line 3, in login\n    raise RuntimeError("boom")\nRuntimeError: boom');
    assert.equal(lastTraceback('no errors here'), null);
  });
});
