// Records real WebAuthn ceremonies made by Chromium's virtual authenticator (CTAP2, internal
// transport, resident keys, user verification) for the server's tests, which replay them through
// FunctionInvoker with the challenges stored as the server would have stored them:
//
//   node test/browser/record-passkey-ceremonies.js > ../test/resources/passkeys/ceremonies.json
//
// The page is served on http://localhost:<ORIGIN_PORT>: the relying-party id "localhost" needs a
// host name, not an address. No server is involved; the options are the ones the server builds.
import http from 'node:http';
import { randomBytes } from 'node:crypto';

import { chromium } from 'playwright-core';

import { requireChromium } from './support.js';

const ORIGIN_PORT = 47613;
const ORIGIN = `http://localhost:${ORIGIN_PORT}`;
const RP_ID = 'localhost';
// The user handle is the user id's UTF-8 bytes; the tests create the user with this id.
const USER_ID = '6c1b3f0e-2d4a-4e8b-9a57-3f1c2b7d9e40';

const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
const challenge = () => b64url(randomBytes(32));

function creationOptions(challengeValue, exclude = []) {
  return {
    rp: { id: RP_ID, name: 'token-auth-graphql' },
    user: { id: b64url(Buffer.from(USER_ID, 'utf8')), name: 'ada', displayName: 'ada' },
    challenge: challengeValue,
    pubKeyCredParams: [{ type: 'public-key', alg: -7 }, { type: 'public-key', alg: -8 }, { type: 'public-key', alg: -257 }],
    timeout: 300000,
    excludeCredentials: exclude,
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    attestation: 'none',
  };
}

function requestOptions(challengeValue, userVerification = 'required') {
  return { challenge: challengeValue, rpId: RP_ID, timeout: 300000, userVerification, allowCredentials: [] };
}

async function main() {
  const server = http.createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><meta charset="utf-8"><title>record</title>');
  });
  await new Promise((resolve) => server.listen(ORIGIN_PORT, '127.0.0.1', resolve));
  const browser = await chromium.launch({ executablePath: requireChromium() });
  try {
    const page = await browser.newPage();
    await page.goto(ORIGIN);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const options = { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true };
    const { authenticatorId: first } = await cdp.send('WebAuthn.addVirtualAuthenticator', { options });

    const create = (o) => page.evaluate(async (json) => {
      const credential = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(json) });
      return credential.toJSON();
    }, o);
    const get = (o) => page.evaluate(async (json) => {
      const credential = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(json) });
      return credential.toJSON();
    }, o);

    const registrationChallenge = challenge();
    const registration = await create(creationOptions(registrationChallenge));
    const assertions = [];
    for (let i = 0; i < 3; i += 1) {
      const c = challenge();
      assertions.push({ challenge: c, credential: await get(requestOptions(c)) });
    }
    // Without user verification: the authenticator is told the user was not verified.
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId: first, isUserVerified: false });
    const unverifiedChallenge = challenge();
    const unverified = { challenge: unverifiedChallenge, credential: await get(requestOptions(unverifiedChallenge, 'discouraged')) };
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId: first, isUserVerified: true });

    // A second authenticator answers the same registration challenge: a reused challenge.
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId: first, enabled: false });
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: first });
    await cdp.send('WebAuthn.addVirtualAuthenticator', { options });
    const secondRegistration = await create(creationOptions(registrationChallenge));

    const recorded = {
      comment: 'Recorded by src/client/test/browser/record-passkey-ceremonies.js with Chromium\'s virtual authenticator',
      origin: ORIGIN,
      rpId: RP_ID,
      userId: USER_ID,
      registration: { challenge: registrationChallenge, credential: registration },
      assertions,
      unverifiedAssertion: unverified,
      secondRegistrationSameChallenge: { challenge: registrationChallenge, credential: secondRegistration },
    };
    process.stdout.write(`${JSON.stringify(recorded, null, 2)}\n`);
  } finally {
    await browser.close();
    server.close();
  }
}

await main();
