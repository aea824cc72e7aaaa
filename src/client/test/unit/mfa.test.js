import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { AuthError, createAuthFetch, memoryStore } from '../../src/index.js';
import { fakeFetch, json, pair } from './fakes.js';

const URL = 'http://127.0.0.1:1/graphql';
const MFA_REQUIRED = {
  data: { login: null },
  errors: [{ message: 'A current code is required', extensions: { code: 'MFA_REQUIRED', mfaToken: 'mfa-1' } }],
};
const WRONG_CODE = {
  data: { verifyMfa: null },
  errors: [{ message: 'The code is wrong', extensions: { code: 'INVALID_MFA_CODE' } }],
};

function setup({ respond, stored = null, ...options } = {}) {
  const fetch = fakeFetch(respond);
  const store = memoryStore(stored);
  const auth = createAuthFetch({ url: URL, store, fetch, crossTab: false, ...options });
  return { auth, fetch, store };
}

const isVerify = (call) => /verifyMfa/.test(call.body.query);

describe('MFA_REQUIRED', () => {
  it('without onMfaRequired, login throws the error with its mfaToken, and verifyMfa finishes the login', async () => {
    const tokens = pair({ sid: 'mfa' });
    const { auth, fetch, store } = setup({
      respond: (call) => json(isVerify(call) ? { data: { verifyMfa: { ...tokens, deviceToken: 'device-1' } } } : MFA_REQUIRED),
    });
    await assert.rejects(auth.login({ username: 'ada', password: 'pw-long-enough' }), (error) => {
      assert.ok(error instanceof AuthError);
      assert.equal(error.code, 'MFA_REQUIRED');
      assert.equal(error.mfaToken, 'mfa-1');
      return true;
    });
    assert.equal(store.get(), null, 'no tokens until the second factor');
    const result = await auth.verifyMfa({ mfaToken: 'mfa-1', code: '123456' });
    assert.equal(result.accessToken, tokens.accessToken);
    assert.equal(store.get().accessToken, tokens.accessToken);
    assert.equal(store.getDeviceToken(), 'device-1');
    const verify = fetch.calls[1];
    assert.deepEqual(verify.body.variables, { mfaToken: 'mfa-1', code: '123456' });
    assert.equal(verify.access, null, 'verifyMfa sends no tokens');
  });

  it('asks onMfaRequired for the code, awaits its promise, and stores the pair verifyMfa returns', async () => {
    const tokens = pair({ sid: 'mfa' });
    const asked = [];
    const { auth, fetch, store } = setup({
      respond: (call) => json(isVerify(call) ? { data: { verifyMfa: tokens } } : MFA_REQUIRED),
      onMfaRequired: async (request) => {
        asked.push(request);
        return '654321';
      },
    });
    const result = await auth.login({ username: 'ada', password: 'pw-long-enough' });
    assert.equal(result.accessToken, tokens.accessToken);
    assert.equal(store.get().refreshToken, tokens.refreshToken);
    assert.deepEqual(asked, [{ kind: 'login', attempt: 1, previousError: null }]);
    assert.deepEqual(fetch.calls[1].body.variables, { mfaToken: 'mfa-1', code: '654321' });
  });

  it('asks again after a wrong code, with the refusal, and gives up at most after five', async () => {
    const asked = [];
    const { auth, fetch } = setup({
      respond: (call) => json(isVerify(call) ? WRONG_CODE : MFA_REQUIRED),
      onMfaRequired: (request) => {
        asked.push(request);
        return '000000';
      },
    });
    await assert.rejects(auth.login({ username: 'ada', password: 'pw-long-enough' }),
      (error) => error.code === 'INVALID_MFA_CODE');
    assert.equal(asked.length, 5);
    assert.equal(asked[1].previousError.code, 'INVALID_MFA_CODE');
    assert.equal(fetch.calls.filter(isVerify).length, 5);
  });

  it('a null answer gives up with the MFA_REQUIRED error, keeping its mfaToken', async () => {
    const { auth, fetch } = setup({ respond: () => json(MFA_REQUIRED), onMfaRequired: () => null });
    await assert.rejects(auth.login({ username: 'ada', password: 'pw-long-enough' }),
      (error) => error.code === 'MFA_REQUIRED' && error.mfaToken === 'mfa-1');
    assert.equal(fetch.calls.length, 1);
  });

  it('changePassword asks onMfaRequired on MFA_REQUIRED and sends the code with the same passwords', async () => {
    const fresh = pair({ sid: 'new' });
    const asked = [];
    const { auth, fetch } = setup({
      stored: pair(),
      respond: (call) => json(call.body.variables.code
        ? { data: { changePassword: fresh } }
        : { data: { changePassword: null }, errors: [{ message: 'code', extensions: { code: 'MFA_REQUIRED' } }] }),
      onMfaRequired: (request) => {
        asked.push(request.kind);
        return '111111';
      },
    });
    const result = await auth.changePassword({ oldPassword: 'old-password', newPassword: 'new-password' });
    assert.equal(result.accessToken, fresh.accessToken);
    assert.deepEqual(asked, ['changePassword']);
    assert.deepEqual(fetch.calls.map((call) => call.body.variables.code), [null, '111111']);
  });

  it('changePassword with a code sends it at once', async () => {
    const { auth, fetch } = setup({ stored: pair(), respond: () => json({ data: { changePassword: pair({ sid: 'n' }) } }) });
    await auth.changePassword({ oldPassword: 'old-password', newPassword: 'new-password', code: '222222' });
    assert.equal(fetch.calls.length, 1);
    assert.equal(fetch.calls[0].body.variables.code, '222222');
  });
});
