import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';

/**
 * What the test provider says about an account: its email claim and whether it checked it, as
 * OpenID Connect's `email_verified` or as Entra ID's optional claim `xms_edov` (a value of any
 * type, to test what SHaRON accepts).
 */
export interface TestIdentity {
  email?: string;
  email_verified?: boolean;
  xms_edov?: unknown;
}

/** SHaRON as the provider knows it: a client secret, or (private_key_jwt) the public keys of its signing key. */
export type TestClient = {
  clientId: string;
  redirectUri: string;
  backchannelLogoutUri?: string;
} & ({ clientSecret: string } | { jwks: { keys: JWK[] } });

/** One token request as the provider judged it: the client assertion it got (private_key_jwt) and its error. */
export interface TokenRequest {
  clientAssertion?: string;
  error?: string;
}

/** A real OpenID provider (oidc-provider) on its own 127.0.0.1 port, with a test account store. */
export interface TestProvider {
  issuer: string;
  accounts: Map<string, TestIdentity>;
  /** The account the next interaction signs in, and the methods it reports (amr, acr). */
  signInAs(accountId: string, how?: { amr?: string[]; acr?: string }): void;
  /** Registers SHaRON as a client; before this the provider answers nothing (as if down). */
  register(client: TestClient): void;
  /** Every token request since the client was registered, oldest first. */
  tokenRequests: TokenRequest[];
  /** Ends the provider session of an account: the provider posts a logout token to the client. */
  backchannelLogout(accountId: string, sid: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the provider's server first (its address is the issuer) and builds the provider when the
 * client is registered (the client's URLs may only be known then). Interactions sign in the
 * account chosen by signInAs at once (a devInteractions-style login without a form); consent is
 * granted by loadExistingGrant.
 */
export async function startTestProvider(): Promise<TestProvider> {
  const accounts = new Map<string, TestIdentity>();
  let next: { accountId: string; amr?: string[]; acr?: string } | undefined;
  let provider: Provider | undefined;
  let clientId: string | undefined;
  const tokenRequests: TokenRequest[] = [];
  const server = http.createServer((req, res) => {
    if (!provider) return void res.writeHead(503).end();
    if (req.url?.startsWith('/interaction/')) return void interact(provider, req, res);
    provider.callback()(req, res);
  });
  async function interact(p: Provider, req: http.IncomingMessage, res: http.ServerResponse) {
    if (!next) return void res.writeHead(400).end('no test sign-in chosen');
    const { accountId, amr, acr } = next;
    await p.interactionFinished(req, res, { login: { accountId, amr, acr } }, { mergeWithLastSubmission: false });
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    accounts,
    tokenRequests,
    signInAs(accountId, how = {}) {
      next = { accountId, ...how };
    },
    register(client) {
      clientId = client.clientId;
      provider = new Provider(issuer, {
        clients: [
          {
            client_id: client.clientId,
            redirect_uris: [client.redirectUri],
            response_types: ['code'],
            grant_types: ['authorization_code'],
            ...('jwks' in client
              ? { token_endpoint_auth_method: 'private_key_jwt', jwks: client.jwks }
              : { client_secret: client.clientSecret, token_endpoint_auth_method: 'client_secret_basic' }),
            ...(client.backchannelLogoutUri
              ? { backchannel_logout_uri: client.backchannelLogoutUri, backchannel_logout_session_required: true }
              : {}),
          },
        ],
        claims: {
          acr: null,
          amr: null,
          sid: null,
          auth_time: null,
          iss: null,
          openid: ['sub', 'acr', 'amr', 'auth_time'],
          email: ['email', 'email_verified', 'xms_edov'],
        },
        conformIdTokenClaims: false,
        acrValues: ['urn:test:aal1', 'urn:test:aal3'],
        features: { devInteractions: { enabled: false }, backchannelLogout: { enabled: true } },
        pkce: { required: () => true },
        // The provider guards its outgoing requests against local addresses; here the client is local on purpose.
        fetch: (url: string | URL | Request, options?: RequestInit) => {
          const { dispatcher: _local, ...rest } = (options ?? {}) as RequestInit & { dispatcher?: unknown };
          return fetch(url, rest);
        },
        cookies: { keys: ['test-provider-cookie-key'] },
        interactions: { url: (_ctx: KoaContextWithOIDC, interaction) => `/interaction/${interaction.uid}` },
        async findAccount(_ctx: KoaContextWithOIDC, id: string) {
          const identity = accounts.get(id);
          if (!identity) return undefined;
          return { accountId: id, claims: async () => ({ sub: id, ...identity }) };
        },
        async loadExistingGrant(ctx: KoaContextWithOIDC) {
          const { client: c, session } = ctx.oidc;
          if (!c || !session?.accountId) return undefined;
          const grant = new ctx.oidc.provider.Grant({ clientId: c.clientId, accountId: session.accountId });
          grant.addOIDCScope('openid email profile');
          grant.addOIDCClaims(['email', 'email_verified', 'xms_edov']);
          await grant.save();
          return grant;
        },
      });
      const clientAssertion = (ctx: KoaContextWithOIDC) => {
        const assertion = ctx.oidc?.params?.client_assertion;
        return typeof assertion === 'string' ? assertion : undefined;
      };
      provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
        tokenRequests.push({ clientAssertion: clientAssertion(ctx) });
      });
      provider.on('grant.error', (ctx: KoaContextWithOIDC, error: Error & { error?: string }) => {
        tokenRequests.push({ clientAssertion: clientAssertion(ctx), error: error.error ?? error.message });
      });
    },
    async backchannelLogout(accountId, sid) {
      const c = provider && clientId ? await provider.Client.find(clientId) : undefined;
      if (!c) throw new Error('no client registered');
      // oidc-provider's own logout token, signed with its keys and posted to the client's back-channel URI.
      await (c as unknown as { backchannelLogout(sub: string, sid: string): Promise<void> }).backchannelLogout(
        accountId,
        sid,
      );
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
