// A minimal oidc-provider for `gatehouse bench --peer-token`: one client
// that may use the client_credentials grant, authenticating with its
// secret in the form body (client_secret_post) or in a Basic header
// (client_secret_basic), and oidc-provider's default in-memory adapter.
// start.sh copies this file next to its node_modules and runs it.
import Provider from 'oidc-provider';

const host = process.env.OIDC_HOST || '127.0.0.1';
const port = Number(process.env.OIDC_PORT || 3000);
const clientId = process.env.OIDC_CLIENT_ID || 'gatehouse-bench';
const clientSecret = process.env.OIDC_CLIENT_SECRET || 'gatehouse-bench-secret';

const provider = new Provider(`http://${host}:${port}`, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    // oidc-provider accepts a client's secret in either place when it is
    // registered for one of these two methods.
    token_endpoint_auth_method: 'client_secret_post',
  }],
  clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
  features: {
    clientCredentials: { enabled: true },
    devInteractions: { enabled: false },
  },
  // No adapter: oidc-provider keeps tokens in its in-memory adapter.
});
provider.proxy = false;

provider.listen(port, host, () => {
  console.log(`oidc-provider listening on http://${host}:${port}, token endpoint http://${host}:${port}/token`);
});
