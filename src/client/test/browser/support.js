// What the browser tests run against: the project's real server (./mvnw spring-boot:test-run,
// the README's local server, with its in-memory DynamoDB), static pages on loopback origins, and
// Debian's Chromium driven by playwright-core.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const clientRoot = path.resolve(here, '../..');
const projectRoot = path.resolve(clientRoot, '../..');

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Fails, saying what to install, when there is no Chromium to drive. */
export function requireChromium() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}. The browser tests need it: install it with `
      + '`apt-get install -y chromium` (Debian/Ubuntu), or point CHROMIUM_PATH at a Chromium or Chrome binary.');
  }
  return CHROMIUM;
}

export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts `./mvnw spring-boot:test-run` in its own process group with `env` and resolves with
 * { url, stop } once it serves; rejects with its output when it exits or does not start in time.
 */
export async function startServer(env, { startTimeoutMs = 240_000 } = {}) {
  const port = await freePort();
  const child = spawn(path.join(projectRoot, 'mvnw'), ['-B', '-q', 'spring-boot:test-run'], {
    cwd: projectRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, PORT: String(port) },
  });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  // Whatever happens to this test process, the server goes with it.
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);

  const stop = async () => {
    process.removeListener('exit', onExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    killGroup('SIGTERM');
    const timer = setTimeout(() => killGroup('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + startTimeoutMs;
  while (!output.includes('GraphQL endpoint')) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited before serving:\n${output.slice(-4000)}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not start within ${startTimeoutMs / 1000} s:\n${output.slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url: `http://127.0.0.1:${port}/graphql`, stop, output: () => output };
}

const pageHtml = `<!doctype html>
<meta charset="utf-8">
<title>token-auth-graphql client test page</title>
<script type="module" src="/page.js"></script>
`;

/** Serves the test page and the client module on 127.0.0.1, one origin per call. */
export async function startStaticOrigin() {
  const files = {
    '/page.js': path.join(here, 'page.js'),
  };
  const server = http.createServer((request, response) => {
    const { pathname } = new URL(request.url, 'http://127.0.0.1');
    let file = files[pathname];
    if (pathname.startsWith('/client/')) {
      const relative = pathname.slice('/client/'.length);
      if (/^[a-z-]+\.js$/.test(relative)) file = path.join(clientRoot, 'src', relative);
    }
    if (pathname === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(pageHtml);
      return;
    }
    if (!file || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
    response.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, close: () => new Promise((resolve) => server.close(resolve)) };
}
