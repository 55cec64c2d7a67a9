// A real OpenID Connect provider on loopback for the login tests: node-oidc-provider (an
// OpenID Certified implementation), not a mock of the protocol.
//
//   node provider.mjs --accounts FILE --redirect-uri URI --post-logout-redirect-uri URI
//
// Listens on 127.0.0.1 (a free port) and prints "READY <issuer>" once it does. One confidential
// client (client id "opvang-twente", secret "test-secret") with PKCE required. The accounts and
// their claims come from the JSON file, read again on every login, so a test changes a
// person's claims between two logins by rewriting it:
//   {"anna": {"email": "anna@enschede.nl", "roles": ["project_leader"], "municipality": "GM0153"}}
// The login form is the provider's development one (any password); consent is given for the
// client, as for a first-party application; a logout request is confirmed at once.
import { readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    accounts: { type: 'string' },
    'redirect-uri': { type: 'string' },
    'post-logout-redirect-uri': { type: 'string' },
    'client-id': { type: 'string', default: 'opvang-twente' },
    'client-secret': { type: 'string', default: 'test-secret' },
  },
});
for (const name of ['accounts', 'redirect-uri', 'post-logout-redirect-uri']) {
  if (!args[name]) {
    console.error(`--${name} is required`);
    process.exit(2);
  }
}

const SCOPE = 'openid email profile opvang';
const accounts = () => JSON.parse(readFileSync(args.accounts, 'utf8'));

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };

function configuration() {
  return {
    clients: [{
      client_id: args['client-id'],
      client_secret: args['client-secret'],
      redirect_uris: [args['redirect-uri']],
      post_logout_redirect_uris: [args['post-logout-redirect-uri']],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    }],
    jwks: { keys: [signingKey] },
    cookies: { keys: ['only-for-the-tests'] },
    pkce: { required: () => true },
    scopes: SCOPE.split(' '),
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
      opvang: ['roles', 'groups', 'municipality', 'safety_region'],
    },
    async findAccount(ctx, id) {
      const account = accounts()[id];
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, preferred_username: id, ...account }) };
    },
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId
        || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope(SCOPE);
      await grant.save();
      return grant;
    },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.body = `<!DOCTYPE html><html lang="en"><head><title>Signing out</title></head>
<body>${form}<script>
const form = document.getElementById('op.logoutForm');
const yes = document.createElement('input');
yes.type = 'hidden'; yes.name = 'logout'; yes.value = 'yes';
form.appendChild(yes); form.submit();
</script></body></html>`;
        },
      },
    },
  };
}

const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, configuration());
  server.on('request', provider.callback());
  console.log(`READY ${issuer}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
