// Cognito user pools through the AWS SDK for JavaScript v3: sign-up and confirmation, password and
// SRP sign-in (the SRP client math is written here from the documented algorithm), tokens checked
// with node:crypto against the pool's JWKS fetched over HTTP, groups, and API Gateway's Cognito
// (REST) and JWT (HTTP API) authorizers accepting Stratus-issued tokens in front of a node Lambda.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, createPublicKey, randomBytes, verify } from 'node:crypto';
import {
  AdminAddUserToGroupCommand, AdminCreateUserCommand, AdminGetUserCommand, AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand, CognitoIdentityProviderClient, ConfirmSignUpCommand, CreateGroupCommand,
  CreateUserPoolClientCommand, CreateUserPoolCommand, DescribeUserPoolCommand, GetTokensFromRefreshTokenCommand,
  GetUserCommand, InitiateAuthCommand,
  ListUsersCommand, RespondToAuthChallengeCommand, SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CreateFunctionCommand, GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  APIGatewayClient, CreateAuthorizerCommand, CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand,
  PutIntegrationCommand, PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import {
  ApiGatewayV2Client, CreateApiCommand, CreateAuthorizerCommand as CreateAuthorizerV2Command, CreateIntegrationCommand,
  CreateRouteCommand, CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import CognitoIdentity from 'amazon-cognito-identity-js';
import { clientConfig, startStratus } from './harness.mjs';
import { request, zip } from './apigateway_util.mjs';

const PASSWORD = 'Correct-Horse9';
const ROLE = 'arn:aws:iam::000000000000:role/cognito-test';

// --- SRP-6a as Cognito clients compute it (amazon-cognito-identity-js AuthenticationHelper) ---
const N = BigInt('0x' +
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF');
const G = 2n;
const modPow = (b, e, m) => {
  let r = 1n;
  b %= m;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
};
const padHex = (n) => {
  let h = n.toString(16);
  if (h.length % 2) h = '0' + h;
  else if ('89abcdef'.includes(h[0])) h = '00' + h;
  return h;
};
const hexHash = (h) => createHash('sha256').update(Buffer.from(h, 'hex')).digest('hex');
const K = BigInt('0x' + hexHash(padHex(N) + padHex(G)));

function srpClient(poolId) {
  const poolName = poolId.split('_')[1];
  const a = BigInt('0x' + randomBytes(128).toString('hex')) % N;
  const A = modPow(G, a, N);
  return {
    A: A.toString(16),
    claim(params, password, now = new Date()) {
      const B = BigInt('0x' + params.SRP_B);
      const salt = BigInt('0x' + params.SALT);
      const userId = params.USER_ID_FOR_SRP;
      const u = BigInt('0x' + hexHash(padHex(A) + padHex(B)));
      const up = createHash('sha256').update(`${poolName}${userId}:${password}`).digest('hex');
      const x = BigInt('0x' + hexHash(padHex(salt) + up));
      const base = (((B - K * modPow(G, x, N)) % N) + N) % N;
      const S = modPow(base, a + u * x, N);
      const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex')).update(Buffer.from(padHex(S), 'hex')).digest();
      const key = createHmac('sha256', prk).update(Buffer.concat([Buffer.from('Caldera Derived Key'), Buffer.from([1])]))
        .digest().subarray(0, 16);
      const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
      const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
      const two = (n) => String(n).padStart(2, '0');
      const ts = `${days[now.getUTCDay()]} ${months[now.getUTCMonth()]} ${now.getUTCDate()} ` +
        `${two(now.getUTCHours())}:${two(now.getUTCMinutes())}:${two(now.getUTCSeconds())} UTC ${now.getUTCFullYear()}`;
      const sig = createHmac('sha256', key).update(Buffer.concat([Buffer.from(poolName), Buffer.from(userId),
        Buffer.from(params.SECRET_BLOCK, 'base64'), Buffer.from(ts)])).digest('base64');
      return { USERNAME: params.USERNAME, PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK,
        PASSWORD_CLAIM_SIGNATURE: sig, TIMESTAMP: ts };
    },
  };
}

const secretHash = (secret, username, clientId) =>
  createHmac('sha256', secret).update(username + clientId).digest('base64');

async function rejects(promise, name, message) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.name, name, e.message);
    if (message !== undefined) assert.equal(e.message, message);
    assert.equal(e.$metadata.httpStatusCode, 400);
    return true;
  });
}

describe('Cognito user pools', () => {
  let s, idp;
  before(async () => {
    s = await startStratus();
    idp = new CognitoIdentityProviderClient(clientConfig(s));
  });
  after(async () => {
    await s.stop();
  });

  async function jwks(poolId) {
    const r = await s.fetch(`/${poolId}/.well-known/jwks.json`);
    assert.equal(r.status, 200);
    return r.json();
  }

  // Verifies signature, header and expiry with node:crypto; returns the claims.
  async function verifyToken(token, poolId) {
    const [h, p, sig] = token.split('.');
    const header = JSON.parse(Buffer.from(h, 'base64url'));
    assert.equal(header.alg, 'RS256');
    const jwk = (await jwks(poolId)).keys.find((k) => k.kid === header.kid);
    assert.ok(jwk, 'the kid is in the JWKS');
    const key = createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: 'jwk' });
    assert.equal(verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, Buffer.from(sig, 'base64url')), true);
    assert.equal(verify('RSA-SHA256', Buffer.from(`${h}.${p}x`), key, Buffer.from(sig, 'base64url')), false);
    const claims = JSON.parse(Buffer.from(p, 'base64url'));
    assert.ok(claims.exp > Date.now() / 1000);
    return claims;
  }

  async function setup({ secret = false, pool = {} } = {}) {
    const { UserPool } = await idp.send(new CreateUserPoolCommand({ PoolName: 'js', ...pool }));
    const { UserPoolClient } = await idp.send(new CreateUserPoolClientCommand({
      UserPoolId: UserPool.Id, ClientName: 'web', GenerateSecret: secret,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH'] }));
    return { pool: UserPool, client: UserPoolClient };
  }

  async function permanentUser(poolId, username, attrs = {}) {
    await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS',
      UserAttributes: Object.entries(attrs).map(([Name, Value]) => ({ Name, Value })) }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD,
      Permanent: true }));
  }

  test('sign-up, confirmation code, password sign-in and verified tokens', async () => {
    const { pool, client } = await setup({ pool: { AutoVerifiedAttributes: ['email'] } });
    assert.match(pool.Id, /^us-east-1_[0-9A-Za-z]{9}$/);
    const d = await idp.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }));
    assert.equal(d.UserPool.Arn, `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${pool.Id}`);
    assert.ok(d.UserPool.CreationDate instanceof Date);
    await rejects(idp.send(new SignUpCommand({ ClientId: client.ClientId, Username: 'zoe', Password: 'Short1!' })),
      'InvalidPasswordException', 'Password did not conform with policy: Password not long enough');
    const up = await idp.send(new SignUpCommand({ ClientId: client.ClientId, Username: 'zoe', Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: 'zoe@example.com' }] }));
    assert.equal(up.UserConfirmed, false);
    assert.deepEqual(up.CodeDeliveryDetails, { Destination: 'z***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    await rejects(idp.send(new SignUpCommand({ ClientId: client.ClientId, Username: 'zoe', Password: PASSWORD })),
      'UsernameExistsException', 'User already exists');
    await rejects(idp.send(new InitiateAuthCommand({ ClientId: client.ClientId, AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'zoe', PASSWORD } })), 'UserNotConfirmedException', 'User is not confirmed.');
    const codes = (await (await s.fetch(`/_stratus/cognito-idp/codes?userPoolId=${pool.Id}&username=zoe`)).json()).codes;
    assert.equal(codes.length, 1);
    await idp.send(new ConfirmSignUpCommand({ ClientId: client.ClientId, Username: 'zoe', ConfirmationCode: codes[0].code }));
    await rejects(idp.send(new InitiateAuthCommand({ ClientId: client.ClientId, AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'zoe', PASSWORD: 'Nope-nope1' } })), 'NotAuthorizedException', 'Incorrect username or password.');
    const r = await idp.send(new InitiateAuthCommand({ ClientId: client.ClientId, AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'zoe', PASSWORD } }));
    const res = r.AuthenticationResult;
    assert.equal(res.TokenType, 'Bearer');
    assert.equal(res.ExpiresIn, 3600);
    const id = await verifyToken(res.IdToken, pool.Id);
    assert.equal(id.sub, up.UserSub);
    assert.equal(id.aud, client.ClientId);
    assert.equal(id.iss, `https://cognito-idp.us-east-1.amazonaws.com/${pool.Id}`);
    assert.equal(id.token_use, 'id');
    assert.equal(id['cognito:username'], 'zoe');
    assert.equal(id.email, 'zoe@example.com');
    assert.equal(id.email_verified, true);
    const access = await verifyToken(res.AccessToken, pool.Id);
    assert.equal(access.token_use, 'access');
    assert.equal(access.client_id, client.ClientId);
    assert.equal(access.username, 'zoe');
    assert.equal(access.scope, 'aws.cognito.signin.user.admin');
    const me = await idp.send(new GetUserCommand({ AccessToken: res.AccessToken }));
    assert.equal(me.Username, 'zoe');
    const refreshed = await idp.send(new InitiateAuthCommand({ ClientId: client.ClientId, AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: res.RefreshToken } }));
    assert.equal(refreshed.AuthenticationResult.RefreshToken, undefined);
    assert.equal((await verifyToken(refreshed.AuthenticationResult.IdToken, pool.Id)).sub, up.UserSub);
    const listed = await idp.send(new ListUsersCommand({ UserPoolId: pool.Id, Filter: 'email = "zoe@example.com"' }));
    assert.deepEqual(listed.Users.map((u) => u.Username), ['zoe']);
  });

  test('USER_SRP_AUTH: the server checks a signature computed by client-side SRP', async () => {
    const { pool, client } = await setup({ secret: true });
    await permanentUser(pool.Id, 'yuri', { email: 'yuri@example.com' });
    const hash = secretHash(client.ClientSecret, 'yuri', client.ClientId);
    for (const [password, ok] of [[PASSWORD, true], ['Wrong-Pass9', false]]) {
      const srp = srpClient(pool.Id);
      const ch = await idp.send(new InitiateAuthCommand({ ClientId: client.ClientId, AuthFlow: 'USER_SRP_AUTH',
        AuthParameters: { USERNAME: 'yuri', SRP_A: srp.A, SECRET_HASH: hash } }));
      assert.equal(ch.ChallengeName, 'PASSWORD_VERIFIER');
      assert.equal(ch.ChallengeParameters.USER_ID_FOR_SRP, 'yuri');
      const send = idp.send(new RespondToAuthChallengeCommand({ ClientId: client.ClientId, ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeResponses: { ...srp.claim(ch.ChallengeParameters, password), SECRET_HASH: hash } }));
      if (ok) {
        const done = await send;
        assert.equal((await verifyToken(done.AuthenticationResult.IdToken, pool.Id)).email, 'yuri@example.com');
      } else {
        await rejects(send, 'NotAuthorizedException', 'Incorrect username or password.');
      }
    }
  });

  test('amazon-cognito-identity-js (what Amplify uses): sign-up, confirm, SRP sign-in, refresh, attributes', async () => {
    const { CognitoUserPool, CognitoUser, AuthenticationDetails, CognitoUserAttribute } = CognitoIdentity;
    const { pool, client } = await setup({ pool: { AutoVerifiedAttributes: ['email'] } });
    const userPool = new CognitoUserPool({ UserPoolId: pool.Id, ClientId: client.ClientId, endpoint: s.endpoint });
    const cb = (fn) => new Promise((resolve, reject) => fn((err, result) => (err ? reject(err) : resolve(result))));
    const signed = await cb((done) => userPool.signUp('uma', PASSWORD,
      [new CognitoUserAttribute({ Name: 'email', Value: 'uma@example.com' })], null, done));
    assert.equal(signed.userConfirmed, false);
    assert.equal(signed.codeDeliveryDetails.DeliveryMedium, 'EMAIL');
    const codes = (await (await s.fetch(`/_stratus/cognito-idp/codes?userPoolId=${pool.Id}&username=uma`)).json()).codes;
    const user = new CognitoUser({ Username: 'uma', Pool: userPool });
    assert.equal(await cb((done) => user.confirmRegistration(codes[0].code, true, done)), 'SUCCESS');
    const login = (password) => new Promise((resolve, reject) => new CognitoUser({ Username: 'uma', Pool: userPool })
      .authenticateUser(new AuthenticationDetails({ Username: 'uma', Password: password }),
        { onSuccess: (session) => resolve(session), onFailure: reject }));
    await assert.rejects(login('Wrong-Pass9'), (e) => {
      assert.equal(e.code, 'NotAuthorizedException');
      assert.equal(e.message, 'Incorrect username or password.');
      return true;
    });
    const session = await login(PASSWORD);
    assert.equal(session.isValid(), true);
    const id = await verifyToken(session.getIdToken().getJwtToken(), pool.Id);
    assert.equal(id['cognito:username'], 'uma');
    assert.equal(session.getIdToken().payload.email, 'uma@example.com');
    const current = userPool.getCurrentUser();
    assert.equal(current.getUsername(), 'uma');
    const restored = await cb((done) => current.getSession(done));
    assert.equal(restored.getAccessToken().getJwtToken(), session.getAccessToken().getJwtToken());
    const refreshed = await cb((done) => current.refreshSession(session.getRefreshToken(), done));
    assert.equal((await verifyToken(refreshed.getAccessToken().getJwtToken(), pool.Id)).username, 'uma');
    const attrs = await cb((done) => current.getUserAttributes(done));
    assert.equal(attrs.find((a) => a.getName() === 'email_verified').getValue(), 'true');
    await cb((done) => current.changePassword(PASSWORD, 'Changed-Pass1', done));
    assert.equal((await login('Changed-Pass1')).isValid(), true);
  });

  test('GetTokensFromRefreshToken with refresh token rotation', async () => {
    const { UserPool } = await idp.send(new CreateUserPoolCommand({ PoolName: 'rotation' }));
    const { UserPoolClient } = await idp.send(new CreateUserPoolClientCommand({ UserPoolId: UserPool.Id, ClientName: 'r',
      GenerateSecret: true, ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 } }));
    await permanentUser(UserPool.Id, 'tom');
    const first = (await idp.send(new InitiateAuthCommand({ ClientId: UserPoolClient.ClientId, AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'tom', PASSWORD, SECRET_HASH: secretHash(UserPoolClient.ClientSecret, 'tom', UserPoolClient.ClientId) } })))
      .AuthenticationResult;
    await rejects(idp.send(new GetTokensFromRefreshTokenCommand({ ClientId: UserPoolClient.ClientId, ClientSecret: 'x'.repeat(51),
      RefreshToken: first.RefreshToken })), 'NotAuthorizedException');
    const next = (await idp.send(new GetTokensFromRefreshTokenCommand({ ClientId: UserPoolClient.ClientId,
      ClientSecret: UserPoolClient.ClientSecret, RefreshToken: first.RefreshToken }))).AuthenticationResult;
    assert.ok(next.RefreshToken && next.RefreshToken !== first.RefreshToken);
    assert.equal((await verifyToken(next.AccessToken, UserPool.Id)).username, 'tom');
    await rejects(idp.send(new GetTokensFromRefreshTokenCommand({ ClientId: UserPoolClient.ClientId,
      ClientSecret: UserPoolClient.ClientSecret, RefreshToken: first.RefreshToken })),
    'NotAuthorizedException', 'Refresh Token has been revoked');
    const third = (await idp.send(new GetTokensFromRefreshTokenCommand({ ClientId: UserPoolClient.ClientId,
      ClientSecret: UserPoolClient.ClientSecret, RefreshToken: next.RefreshToken }))).AuthenticationResult;
    assert.ok(third.IdToken);
  });

  test('NEW_PASSWORD_REQUIRED after AdminCreateUser, groups in the tokens', async () => {
    const { pool, client } = await setup();
    const created = await idp.send(new AdminCreateUserCommand({ UserPoolId: pool.Id, Username: 'xena',
      TemporaryPassword: 'Temp-Pass1', MessageAction: 'SUPPRESS' }));
    assert.equal(created.User.UserStatus, 'FORCE_CHANGE_PASSWORD');
    await idp.send(new CreateGroupCommand({ UserPoolId: pool.Id, GroupName: 'editors', Precedence: 2 }));
    await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.Id, Username: 'xena', GroupName: 'editors' }));
    const ch = await idp.send(new AdminInitiateAuthCommand({ UserPoolId: pool.Id, ClientId: client.ClientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'xena', PASSWORD: 'Temp-Pass1' } }));
    assert.equal(ch.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    await rejects(idp.send(new RespondToAuthChallengeCommand({ ClientId: client.ClientId, ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: ch.Session, ChallengeResponses: { USERNAME: 'xena', NEW_PASSWORD: 'lowercase-only1' } })),
    'InvalidPasswordException', 'Password did not conform with policy: Password must have uppercase characters');
    const done = await idp.send(new RespondToAuthChallengeCommand({ ClientId: client.ClientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: ch.Session,
      ChallengeResponses: { USERNAME: 'xena', NEW_PASSWORD: 'Final-Pass1' } }));
    const access = await verifyToken(done.AuthenticationResult.AccessToken, pool.Id);
    assert.deepEqual(access['cognito:groups'], ['editors']);
    const u = await idp.send(new AdminGetUserCommand({ UserPoolId: pool.Id, Username: 'xena' }));
    assert.equal(u.UserStatus, 'CONFIRMED');
    await rejects(idp.send(new AdminGetUserCommand({ UserPoolId: pool.Id, Username: 'nobody' })),
      'UserNotFoundException', 'User does not exist.');
  });
});

// --- API Gateway authorizers with Stratus-issued tokens, and Lambda triggers ---

let lambdaReady = true;
const ltest = (name, fn) => test(name, (t) => (lambdaReady ? fn(t) : t.skip('Lambda functions cannot run here')));

describe('Cognito with Lambda: API Gateway authorizers and triggers', () => {
  let s, idp, lambda, apigw, v2, fnArn, pool, client, tokens;
  before(async () => {
    s = await startStratus();
    idp = new CognitoIdentityProviderClient(clientConfig(s));
    lambda = new LambdaClient(clientConfig(s));
    apigw = new APIGatewayClient(clientConfig(s));
    v2 = new ApiGatewayV2Client(clientConfig(s));
    try {
      const f = await lambda.send(new CreateFunctionCommand({ FunctionName: 'echo', Runtime: 'nodejs20.x', Role: ROLE,
        Handler: 'index.handler', Timeout: 10, Code: { ZipFile: zip({ 'index.js':
          `exports.handler = async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' },
             body: JSON.stringify(event) });` }) } }));
      fnArn = f.FunctionArn;
    } catch (e) {
      if (e.$metadata && e.$metadata.httpStatusCode === 501) { lambdaReady = false; return; }
      throw e;
    }
    for (let i = 0; i < 100; i++) {
      const g = await lambda.send(new GetFunctionCommand({ FunctionName: 'echo' }));
      if (g.Configuration.State === 'Active') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    pool = (await idp.send(new CreateUserPoolCommand({ PoolName: 'api' }))).UserPool;
    client = (await idp.send(new CreateUserPoolClientCommand({ UserPoolId: pool.Id, ClientName: 'api',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }))).UserPoolClient;
    await idp.send(new AdminCreateUserCommand({ UserPoolId: pool.Id, Username: 'walt', MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: 'walt@example.com' }, { Name: 'email_verified', Value: 'true' }] }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.Id, Username: 'walt', Password: PASSWORD, Permanent: true }));
    await idp.send(new CreateGroupCommand({ UserPoolId: pool.Id, GroupName: 'staff' }));
    await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.Id, Username: 'walt', GroupName: 'staff' }));
    await idp.send(new CreateGroupCommand({ UserPoolId: pool.Id, GroupName: 'ops' }));
    await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.Id, Username: 'walt', GroupName: 'ops' }));
    tokens = (await idp.send(new InitiateAuthCommand({ ClientId: client.ClientId, AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'walt', PASSWORD } }))).AuthenticationResult;
  });
  after(async () => {
    await s.stop();
  });

  ltest('REST API with a COGNITO_USER_POOLS authorizer', async () => {
    const api = await apigw.send(new CreateRestApiCommand({ name: 'cognito-rest' }));
    const res = await apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'me' }));
    const auth = await apigw.send(new CreateAuthorizerCommand({ restApiId: api.id, name: 'pool', type: 'COGNITO_USER_POOLS',
      providerARNs: [pool.Arn], identitySource: 'method.request.header.Authorization' }));
    await apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'GET',
      authorizationType: 'COGNITO_USER_POOLS', authorizerId: auth.id }));
    await apigw.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'GET', type: 'AWS_PROXY',
      integrationHttpMethod: 'POST', uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fnArn}/invocations` }));
    await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
    const url = `http://${api.id}.execute-api.localhost:${s.port}/dev/me`;
    let r = await request(url);
    assert.equal(r.status, 401);
    assert.deepEqual(r.json(), { message: 'Unauthorized' });
    r = await request(url, { headers: { Authorization: tokens.IdToken.slice(0, -4) + 'AAAA' } });
    assert.equal(r.status, 401);
    // Without OAuth scopes on the method the authorizer takes ID tokens, not access tokens.
    r = await request(url, { headers: { Authorization: tokens.AccessToken } });
    assert.equal(r.status, 401);
    r = await request(url, { headers: { Authorization: tokens.IdToken } });
    assert.equal(r.status, 200, r.body);
    const claims = r.json().requestContext.authorizer.claims;
    const id = JSON.parse(Buffer.from(tokens.IdToken.split('.')[1], 'base64url'));
    assert.equal(claims.sub, id.sub);
    assert.equal(claims['cognito:username'], 'walt');
    assert.equal(claims.email, 'walt@example.com');
    assert.equal(claims.email_verified, 'true');
    assert.equal(claims.aud, client.ClientId);
    assert.equal(claims.token_use, 'id');
    assert.equal(claims.iss, `https://cognito-idp.us-east-1.amazonaws.com/${pool.Id}`);
    // REST APIs render exp/iat as Java date strings, auth_time as numeric text.
    const javaDate = (secs) => {
      const d = new Date(secs * 1000);
      const two = (n) => String(n).padStart(2, '0');
      return `${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()]} ` +
        `${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()]} ` +
        `${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
    };
    assert.equal(claims.exp, javaDate(id.exp));
    assert.equal(claims.iat, javaDate(id.iat));
    assert.equal(claims.auth_time, String(id.auth_time));
    assert.equal(claims['cognito:groups'], 'ops,staff');

    // A method with OAuth scopes takes access tokens carrying one of them.
    const scoped = await apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'scoped' }));
    await apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: scoped.id, httpMethod: 'GET',
      authorizationType: 'COGNITO_USER_POOLS', authorizerId: auth.id, authorizationScopes: ['aws.cognito.signin.user.admin'] }));
    await apigw.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: scoped.id, httpMethod: 'GET', type: 'AWS_PROXY',
      integrationHttpMethod: 'POST', uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fnArn}/invocations` }));
    await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
    const scopedUrl = `http://${api.id}.execute-api.localhost:${s.port}/dev/scoped`;
    r = await request(scopedUrl, { headers: { Authorization: tokens.AccessToken } });
    assert.equal(r.status, 200, r.body);
    const ac = r.json().requestContext.authorizer.claims;
    assert.equal(ac.client_id, client.ClientId);
    assert.equal(ac.username, 'walt');
    assert.equal(ac.scope, 'aws.cognito.signin.user.admin');
    r = await request(scopedUrl, { headers: { Authorization: tokens.IdToken } });
    assert.equal(r.status, 401);
  });

  ltest('HTTP API with a JWT authorizer on the pool issuer', async () => {
    const api = await v2.send(new CreateApiCommand({ Name: 'cognito-http', ProtocolType: 'HTTP' }));
    const a = await v2.send(new CreateAuthorizerV2Command({ ApiId: api.ApiId, Name: 'pool', AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: `https://cognito-idp.us-east-1.amazonaws.com/${pool.Id}`, Audience: [client.ClientId] } }));
    const integ = await v2.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'AWS_PROXY',
      IntegrationUri: fnArn, PayloadFormatVersion: '2.0' }));
    await v2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /me', Target: `integrations/${integ.IntegrationId}`,
      AuthorizationType: 'JWT', AuthorizerId: a.AuthorizerId }));
    await v2.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }));
    const call = (t) => s.fetch(`/_aws/execute-api/${api.ApiId}/me`, t ? { headers: { authorization: `Bearer ${t}` } } : {});
    let r = await call();
    assert.equal(r.status, 401);
    assert.deepEqual(await r.json(), { message: 'Unauthorized' });
    r = await call(tokens.IdToken);
    assert.equal(r.status, 200);
    let jwt = (await r.json()).requestContext.authorizer.jwt;
    assert.equal(jwt.claims['cognito:username'], 'walt');
    assert.equal(jwt.claims.aud, client.ClientId);
    assert.equal(jwt.claims['cognito:groups'], '[ops staff]');
    // Access tokens carry client_id instead of aud; the JWT authorizer accepts either.
    r = await call(tokens.AccessToken);
    assert.equal(r.status, 200);
    jwt = (await r.json()).requestContext.authorizer.jwt;
    assert.equal(jwt.claims.client_id, client.ClientId);
    assert.equal(jwt.claims.username, 'walt');
    assert.deepEqual(jwt.scopes, ['aws.cognito.signin.user.admin']);
    // A token of another pool (other key, other issuer) is refused.
    const other = (await idp.send(new CreateUserPoolCommand({ PoolName: 'other' }))).UserPool;
    const oc = (await idp.send(new CreateUserPoolClientCommand({ UserPoolId: other.Id, ClientName: 'o',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }))).UserPoolClient;
    await idp.send(new AdminCreateUserCommand({ UserPoolId: other.Id, Username: 'walt', MessageAction: 'SUPPRESS' }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: other.Id, Username: 'walt', Password: PASSWORD, Permanent: true }));
    const foreign = (await idp.send(new InitiateAuthCommand({ ClientId: oc.ClientId, AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'walt', PASSWORD } }))).AuthenticationResult;
    r = await call(foreign.IdToken);
    assert.equal(r.status, 401);
  });

  ltest('Lambda triggers: PreSignUp and PreTokenGeneration with AWS event shapes', async () => {
    const f = await lambda.send(new CreateFunctionCommand({ FunctionName: 'triggers', Runtime: 'nodejs20.x', Role: ROLE,
      Handler: 'index.handler', Timeout: 10, Code: { ZipFile: zip({ 'index.js': `exports.handler = async (event) => {
        if (event.triggerSource === 'PreSignUp_SignUp') {
          if ((event.request.userAttributes.email || '').endsWith('@blocked.com')) throw new Error('Blocked domain');
          event.response.autoConfirmUser = true;
          event.response.autoVerifyEmail = true;
        }
        if (event.triggerSource.startsWith('TokenGeneration_')) {
          event.response = { claimsOverrideDetails: { claimsToAddOrOverride: { tenant: 'acme', source: event.triggerSource,
            pool: event.userPoolId, who: event.userName, caller: event.callerContext.clientId,
            groups: event.request.groupConfiguration.groupsToOverride.join(',') }, claimsToSuppress: ['email'] } };
        }
        return event;
      };` }) } }));
    for (let i = 0; i < 100; i++) {
      const g = await lambda.send(new GetFunctionCommand({ FunctionName: 'triggers' }));
      if (g.Configuration.State === 'Active') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const tp = (await idp.send(new CreateUserPoolCommand({ PoolName: 'triggers',
      LambdaConfig: { PreSignUp: f.FunctionArn, PreTokenGeneration: f.FunctionArn } }))).UserPool;
    const tc = (await idp.send(new CreateUserPoolClientCommand({ UserPoolId: tp.Id, ClientName: 't',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }))).UserPoolClient;
    await rejects(idp.send(new SignUpCommand({ ClientId: tc.ClientId, Username: 'vic', Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: 'vic@blocked.com' }] })),
    'UserLambdaValidationException', 'PreSignUp failed with error Blocked domain.');
    const up = await idp.send(new SignUpCommand({ ClientId: tc.ClientId, Username: 'vic', Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: 'vic@example.com' }] }));
    assert.equal(up.UserConfirmed, true);
    assert.equal(up.CodeDeliveryDetails, undefined);
    const u = await idp.send(new AdminGetUserCommand({ UserPoolId: tp.Id, Username: 'vic' }));
    assert.equal(u.UserStatus, 'CONFIRMED');
    assert.ok(u.UserAttributes.some((a) => a.Name === 'email_verified' && a.Value === 'true'));
    await idp.send(new CreateGroupCommand({ UserPoolId: tp.Id, GroupName: 'crew' }));
    await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: tp.Id, Username: 'vic', GroupName: 'crew' }));
    const res = (await idp.send(new InitiateAuthCommand({ ClientId: tc.ClientId, AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'vic', PASSWORD } }))).AuthenticationResult;
    const claims = JSON.parse(Buffer.from(res.IdToken.split('.')[1], 'base64url'));
    assert.equal(claims.tenant, 'acme');
    assert.equal(claims.source, 'TokenGeneration_Authentication');
    assert.equal(claims.pool, tp.Id);
    assert.equal(claims.who, 'vic');
    assert.equal(claims.caller, tc.ClientId);
    assert.equal(claims.groups, 'crew');
    assert.equal(claims.email, undefined);
    assert.equal(claims['cognito:username'], 'vic');
    const refreshed = (await idp.send(new InitiateAuthCommand({ ClientId: tc.ClientId, AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: res.RefreshToken } }))).AuthenticationResult;
    assert.equal(JSON.parse(Buffer.from(refreshed.IdToken.split('.')[1], 'base64url')).source, 'TokenGeneration_RefreshTokens');
  });
});
