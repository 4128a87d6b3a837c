// An OpenID Connect provider for the tests, on plain HTTP at 127.0.0.1 only.
//
//   node provider.js PORT CONFIG.json        (or OIDC_PORT and OIDC_CONFIG in the environment)
//
// CONFIG.json:
//   {
//     "accounts": [{"sub": "ada", "email": "ada@example.test", "name": "Ada Admin",
//                   "password": "secret", "groups": ["winback-admins"]}],
//     "clients": [{"client_id": "winback", "client_secret": "s3cret",
//                  "redirect_uris": ["http://127.0.0.1:5000/auth/callback"],
//                  "post_logout_redirect_uris": ["http://127.0.0.1:5000/"]}],
//     "groups_claim": "scope",      // "scope": the `groups` scope asks for it; "profile": with name
//     "signing_key_file": "/tmp/.../key.json"   // optional: keep the signing key across restarts
//   }
//
// Accounts are read again from CONFIG.json at every sign-in and every claims lookup, so a test
// can change them while the provider runs. Clients come from the file at start, or from dynamic
// registration (POST /reg, open to anyone). Sign-in is the provider's own login form at
// /interaction/<uid>, which checks the password from the account store; consent is granted
// without asking. The authorization-code flow requires PKCE (S256). No page loads anything from
// another host.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider, { errors } from 'oidc-provider';

const port = Number(process.argv[2] || process.env.OIDC_PORT);
const configPath = process.argv[3] || process.env.OIDC_CONFIG;
if (!port || !configPath) {
  console.error('usage: node provider.js PORT CONFIG.json');
  process.exit(2);
}
const host = '127.0.0.1';
const issuer = `http://${host}:${port}`;

function readConfig() {
  return JSON.parse(readFileSync(configPath, 'utf8'));
}

const initial = readConfig();
const groupsClaim = initial.groups_claim || 'scope';
if (!['scope', 'profile'].includes(groupsClaim)) {
  console.error(`groups_claim must be "scope" or "profile", not ${JSON.stringify(groupsClaim)}`);
  process.exit(2);
}

function accounts() {
  return readConfig().accounts || [];
}

function accountBySub(sub) {
  return accounts().find((account) => account.sub === sub);
}

function accountByLogin(login) {
  const wanted = String(login || '').trim().toLowerCase();
  return accounts().find(
    (account) => account.sub.toLowerCase() === wanted
      || String(account.email || '').toLowerCase() === wanted,
  );
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:sans-serif;max-width:24rem;margin:3rem auto;padding:0 1rem}
label,input,button{display:block;width:100%;margin:.3rem 0}
.error{color:#a00}
</style>
</head>
<body>
<h1>${escape(title)}</h1>
${body}
</body>
</html>`;
}

// The signing key survives a restart (the tests stop and start the provider) when the config
// names a file for it; sessions, codes, tokens and registered clients live in memory only.
function loadSigningKey() {
  const path = initial.signing_key_file;
  if (path && existsSync(path)) {
    return JSON.parse(readFileSync(path, 'utf8'));
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = {
    ...privateKey.export({ format: 'jwk' }),
    use: 'sig',
    alg: 'RS256',
    kid: randomBytes(8).toString('hex'),
  };
  if (path) {
    writeFileSync(path, JSON.stringify(key), { mode: 0o600 });
  }
  return key;
}
const signingKey = loadSigningKey();

const profileClaims = groupsClaim === 'profile' ? ['name', 'groups'] : ['name'];
const claims = {
  openid: ['sub'],
  email: ['email', 'email_verified'],
  profile: profileClaims,
};
if (groupsClaim === 'scope') {
  claims.groups = ['groups'];
}

const configuration = {
  clients: (initial.clients || []).map((client) => ({
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    ...client,
  })),
  claims,
  // Scope claims go into the ID token of the code flow too, not only to the userinfo endpoint.
  conformIdTokenClaims: false,
  cookies: { keys: [randomBytes(32).toString('hex')] },
  jwks: { keys: [signingKey] },
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    registration: { enabled: true },
    revocation: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.type = 'html';
        ctx.body = page('Sign out', `${form}
<p>Do you want to sign out from ${escape(ctx.host)}?</p>
<button id="logout-yes" type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button id="logout-no" type="submit" form="op.logoutForm">No, stay signed in</button>`);
      },
      async postLogoutSuccessSource(ctx) {
        ctx.type = 'html';
        ctx.body = page('Signed out', '<p>You are signed out.</p>');
      },
    },
  },
  async findAccount(ctx, sub) {
    const account = accountBySub(sub);
    if (!account) {
      return undefined;
    }
    return {
      accountId: account.sub,
      async claims() {
        const current = accountBySub(sub) || account;
        return {
          sub: current.sub,
          email: current.email,
          email_verified: true,
          name: current.name,
          groups: current.groups || [],
        };
      },
    };
  },
  // Every client here is first-party: grant what it asks for instead of asking for consent.
  async loadExistingGrant(ctx) {
    const { Grant } = ctx.oidc.provider;
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    let grant = grantId ? await Grant.find(grantId) : undefined;
    if (!grant) {
      grant = new Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    }
    grant.addOIDCScope([...ctx.oidc.requestParamScopes].join(' '));
    if (ctx.oidc.requestParamClaims) {
      grant.addOIDCClaims([...ctx.oidc.requestParamClaims]);
    }
    await grant.save();
    return grant;
  },
  interactions: {
    url(ctx, interaction) {
      return `/interaction/${interaction.uid}`;
    },
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    const lines = Object.entries(out)
      .map(([key, value]) => `<p><strong>${escape(key)}</strong>: <span class="${escape(key)}">${escape(value)}</span></p>`)
      .join('\n');
    ctx.body = page('Sign-in error', lines);
  },
  ttl: {
    AccessToken: 3600,
    AuthorizationCode: 600,
    ClientCredentials: 600,
    Grant: 3600,
    IdToken: 3600,
    Interaction: 3600,
    RefreshToken: 86400,
    Session: 86400,
  },
};

const provider = new Provider(issuer, configuration);
provider.on('server_error', (ctx, error) => console.error('server_error', error));

function loginForm(uid, details, { login = '', error = '' } = {}) {
  const client = details.params.client_id;
  return page('Sign in', `
<p>Sign in to continue to <span id="client-id">${escape(client)}</span>.</p>
${error ? `<p class="error" id="login-error" role="alert">${escape(error)}</p>` : ''}
<form id="login-form" method="post" action="/interaction/${escape(uid)}/login" autocomplete="off">
<label for="login">Email or username</label>
<input id="login" name="login" type="text" value="${escape(login)}" required autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" required>
<button id="sign-in" type="submit">Sign in</button>
</form>
<p><a id="cancel" href="/interaction/${escape(uid)}/abort">Cancel</a></p>`);
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) {
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(res, status, html) {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(html);
}

async function interaction(req, res, path) {
  const [, uid, action] = path.split('/').filter(Boolean); // /interaction/<uid>[/<action>]
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) {
    send(res, 400, page('Sign-in error', '<p>This sign-in has expired. Start again.</p>'));
    return;
  }
  if (action === 'abort') {
    await provider.interactionFinished(req, res, {
      error: 'access_denied',
      error_description: 'The user cancelled the sign-in.',
    }, { mergeWithLastSubmission: false });
    return;
  }
  if (details.prompt.name !== 'login') {
    // Consent is granted by loadExistingGrant; any other prompt just goes on.
    await provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
    return;
  }
  if (action === 'login' && req.method === 'POST') {
    const form = await readForm(req);
    const login = form.get('login') || '';
    const account = accountByLogin(login);
    if (!account || account.password !== form.get('password')) {
      send(res, 200, loginForm(uid, details, { login, error: 'Wrong email or password.' }));
      return;
    }
    await provider.interactionFinished(req, res, {
      login: { accountId: account.sub },
    }, { mergeWithLastSubmission: false });
    return;
  }
  send(res, 200, loginForm(uid, details));
}

const callback = provider.callback();
const server = createServer(async (req, res) => {
  const path = new URL(req.url, issuer).pathname;
  if (!path.startsWith('/interaction/')) {
    callback(req, res);
    return;
  }
  try {
    await interaction(req, res, path);
  } catch (error) {
    if (error instanceof errors.SessionNotFound) {
      send(res, 400, page('Sign-in error', '<p>This sign-in has expired. Start again.</p>'));
      return;
    }
    console.error('interaction error', error);
    send(res, 500, page('Sign-in error', `<p>${escape(error.message)}</p>`));
  }
});

server.listen(port, host, () => {
  console.log(`oidc provider listening on ${issuer}`);
});

function stop() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
