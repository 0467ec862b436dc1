package org.tlsrpt.ingest.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrpt.ingest.SourceHealth;
import org.tlsrpt.ingest.imap.ImapSettings.Security;
import org.tlsrpt.ingest.imap.oauth.KeyFiles;
import org.tlsrpt.ingest.imap.oauth.OAuthGrant;
import org.tlsrpt.ingest.imap.oauth.OAuthSettings;
import org.tlsrpt.testkit.DovecotServer;
import org.tlsrpt.testkit.FreePorts;
import org.tlsrpt.testkit.LocalOAuthServer;
import org.tlsrpt.testkit.RepoLayout;

/**
 * The IMAP poller logging in with OAuth2 (SASL XOAUTH2) to a real Dovecot whose oauth2 passdb asks
 * a loopback introspection endpoint about each token, the poller getting its tokens from a loopback
 * token endpoint that checks each grant as Microsoft's and Google's do: a client secret, a
 * certificate's signed assertion, a refresh token, a service account's signed assertion; a token
 * expired early and renewed in flight, a revoked one, and a token endpoint that is down.
 */
class ImapOAuthIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String CLIENT_ID = "6f1e3c52-client";
  private static final String CLIENT_SECRET = "client-secret-never-logged";
  private static final String REFRESH_TOKEN = "1//refresh-token-never-logged";

  @TempDir Path dir;
  private LocalOAuthServer idp;
  private DovecotServer dovecot;
  private TestStore store;
  private LogCapture log;
  private final List<ImapPoller> pollers = new ArrayList<>();

  @BeforeEach
  void startServers() throws Exception {
    log = new LogCapture();
    idp = LocalOAuthServer.start(DovecotServer.USER);
    dovecot = DovecotServer.startWithOAuth2(dir, idp.introspectionUrl());
    store = TestStore.embedded(dir.resolve("data"));
  }

  @AfterEach
  void stopEverything() {
    pollers.forEach(ImapPoller::close);
    store.close();
    dovecot.close();
    idp.close();
    log.close();
  }

  @Test
  void logsInWithAClientSecretsTokenStoresTheReportsAndLogsNoSecret() throws Exception {
    idp.acceptClientSecret(CLIENT_ID, CLIENT_SECRET, OAuthSettings.MICROSOFT_SCOPE);
    deliver(2);
    ImapPoller poller =
        start(
            new OAuthGrant.ClientSecret(CLIENT_ID, CLIENT_SECRET, OAuthSettings.MICROSOFT_SCOPE),
            idp.tokenUrl());
    await(() -> poller.messagesProcessed() == 2, "both reports processed");

    assertThat(dovecot.count("processed")).isEqualTo(2);
    assertThat(dovecot.logs()).contains("Login: user=<tlsrpt>, method=XOAUTH2");
    assertThat(idp.tokenRequests()).hasSize(1);
    assertThat(idp.tokenRequests().get(0))
        .containsEntry("grant_type", "client_credentials")
        .containsEntry("scope", "https://outlook.office365.com/.default");
    // Dovecot asked the introspection endpoint (once per connection: the store's, the folder's)
    assertThat(idp.introspections()).isPositive();
    assertThat(poller.health().state()).isEqualTo(SourceHealth.State.OK);
    assertNoSecretLogged();
  }

  @Test
  void signsAClientAssertionWithTheCertificatesKeyAsMicrosoftWantsIt() throws Exception {
    Path key = keyPair("ms");
    idp.acceptClientCertificate(
        CLIENT_ID, KeyFiles.certificate(dir.resolve("ms.crt")), OAuthSettings.MICROSOFT_SCOPE);
    deliver(1);
    ImapPoller poller =
        start(
            new OAuthGrant.ClientCertificate(
                CLIENT_ID,
                KeyFiles.privateKey(key),
                KeyFiles.certificate(dir.resolve("ms.crt")),
                OAuthSettings.MICROSOFT_SCOPE),
            idp.tokenUrl());
    await(() -> poller.messagesProcessed() == 1, "the report processed");

    assertThat(idp.refusals()).isEmpty();
    assertThat(idp.tokenRequests().get(0))
        .containsEntry(
            "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        .doesNotContainKey("client_secret");
    assertNoSecretLogged();
  }

  @Test
  void getsTokensWithAGoogleRefreshToken() throws Exception {
    idp.acceptRefreshToken(CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN);
    deliver(1);
    ImapPoller poller =
        start(new OAuthGrant.RefreshToken(CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN), idp.tokenUrl());
    await(() -> poller.messagesProcessed() == 1, "the report processed");

    assertThat(idp.refusals()).isEmpty();
    assertThat(idp.tokenRequests().get(0)).containsEntry("grant_type", "refresh_token");
    assertNoSecretLogged();
  }

  @Test
  void getsTokensAsAGoogleServiceAccountActingAsTheMailboxUser() throws Exception {
    keyPair("sa");
    Path keyFile = dir.resolve("service-account.json");
    String pem = Files.readString(dir.resolve("sa.key"));
    Files.writeString(
        keyFile,
        "{\"type\":\"service_account\",\"client_email\":\"tlsrpt@project.iam.gserviceaccount.com\","
            + "\"private_key_id\":\"k1\",\"private_key\":\""
            + pem.replace("\n", "\\n")
            + "\",\"token_uri\":\"https://oauth2.googleapis.com/token\"}");
    KeyFiles.ServiceAccountKey sa = KeyFiles.serviceAccount(keyFile);
    idp.acceptServiceAccount(
        sa.email(),
        KeyFiles.certificate(dir.resolve("sa.crt")).getPublicKey(),
        DovecotServer.USER,
        OAuthSettings.GOOGLE_SCOPE);
    deliver(1);
    ImapPoller poller =
        start(
            new OAuthGrant.ServiceAccount(
                sa.email(), sa.key(), sa.keyId(), DovecotServer.USER, OAuthSettings.GOOGLE_SCOPE),
            idp.tokenUrl());
    await(() -> poller.messagesProcessed() == 1, "the report processed");

    assertThat(idp.refusals()).isEmpty();
    assertThat(idp.tokenRequests().get(0))
        .containsEntry("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
    assertThat(log.text()).doesNotContain(pem.lines().skip(1).findFirst().orElseThrow());
  }

  @Test
  void aTokenTheServerNoLongerTakesIsRenewedAndTheLoginTriedAgain() throws Exception {
    idp.acceptClientSecret(CLIENT_ID, CLIENT_SECRET, OAuthSettings.MICROSOFT_SCOPE);
    deliver(1);
    ImapPoller poller =
        start(
            new OAuthGrant.ClientSecret(CLIENT_ID, CLIENT_SECRET, OAuthSettings.MICROSOFT_SCOPE),
            idp.tokenUrl());
    await(() -> poller.messagesProcessed() == 1, "the first report processed");

    // the held token lapses before its expires_in said, and the connection drops
    idp.expireIssued();
    dovecot.kick();
    deliver(1);
    await(() -> poller.messagesProcessed() == 2, "the second report processed");

    assertThat(idp.tokenRequests()).as("one token, then one renewal").hasSize(2);
    assertThat(log.text()).contains("refused the OAuth2 token held since before");
    assertThat(dovecot.logs()).containsPattern("(?s)method=XOAUTH2.*method=XOAUTH2");
    assertThat(poller.health().state()).isEqualTo(SourceHealth.State.OK);
    assertNoSecretLogged();
  }

  @Test
  void aRevokedTokenIsAClearErrorThenBackOffUntilAccessIsBack() throws Exception {
    idp.acceptClientSecret(CLIENT_ID, CLIENT_SECRET, OAuthSettings.MICROSOFT_SCOPE);
    deliver(1);
    ImapPoller poller =
        start(
            new OAuthGrant.ClientSecret(CLIENT_ID, CLIENT_SECRET, OAuthSettings.MICROSOFT_SCOPE),
            idp.tokenUrl());
    await(() -> poller.messagesProcessed() == 1, "the first report processed");

    idp.revokeAccess();
    dovecot.kick();
    deliver(1);
    // the kick itself is a first failure (a lost session); then the logins are refused
    await(
        () -> String.valueOf(poller.health().lastError()).contains("refused a new OAuth2 token"),
        "the refused login reported");
    await(() -> poller.errors() >= 2, "the lost session and the refused login counted");

    SourceHealth failing = poller.health();
    assertThat(failing.lastError())
        .contains("refused a new OAuth2 token for tlsrpt")
        .contains(idp.tokenUrl().toString())
        .contains("Authentication failed");
    assertThat(failing.failingSince()).isNotNull();
    assertThat(dovecot.count("INBOX")).as("the new report waits in the inbox").isEqualTo(1);
    assertThat(log.text())
        .contains("imap session account=" + DovecotServer.USER + "@127.0.0.1")
        .contains("refused a new OAuth2 token")
        .contains("reconnecting in");
    // each attempt: the held token refused, then a new one refused; never a loop of token requests
    assertThat(idp.tokenRequests().size()).isLessThanOrEqualTo(1 + 2 * (int) poller.errors());

    idp.restoreAccess();
    await(() -> poller.messagesProcessed() == 2, "the second report processed once access is back");
    assertThat(poller.health().state()).isEqualTo(SourceHealth.State.OK);
    assertThat(poller.health().lastError()).contains("refused a new OAuth2 token");
    assertNoSecretLogged();
  }

  @Test
  void aTokenEndpointThatIsDownIsAClearErrorAndNoLoginIsTried() throws Exception {
    URI down = URI.create("http://127.0.0.1:" + FreePorts.tcp() + "/token");
    deliver(1);
    ImapPoller poller =
        start(
            new OAuthGrant.ClientSecret(CLIENT_ID, CLIENT_SECRET, OAuthSettings.MICROSOFT_SCOPE),
            down);
    await(() -> poller.errors() >= 2, "two failed attempts");

    assertThat(poller.health().state()).isEqualTo(SourceHealth.State.FAILING);
    assertThat(poller.health().lastError())
        .contains("the OAuth2 token endpoint " + down + " cannot be reached");
    assertThat(dovecot.count("INBOX")).isEqualTo(1);
    assertThat(dovecot.logs()).doesNotContain("Login:").doesNotContain("auth failed");
    assertNoSecretLogged();
  }

  @Test
  void aRefusedGrantIsAClearErrorNamingTheProvidersReason() throws Exception {
    idp.acceptRefreshToken(CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN);
    idp.refuseGrants();
    ImapPoller poller =
        start(new OAuthGrant.RefreshToken(CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN), idp.tokenUrl());
    await(() -> poller.health().state() == SourceHealth.State.FAILING, "the mailbox failing");

    assertThat(poller.health().lastError())
        .contains("refused refresh token (client " + CLIENT_ID + ") (HTTP 400): invalid_grant");
    assertNoSecretLogged();
  }

  private void assertNoSecretLogged() throws IOException {
    String text = log.text();
    assertThat(text).doesNotContain(CLIENT_SECRET).doesNotContain(REFRESH_TOKEN);
    for (String token : idp.issuedTokens()) {
      assertThat(text).doesNotContain(token);
      assertThat(dovecot.logs()).doesNotContain(token);
    }
  }

  private ImapPoller start(OAuthGrant grant, URI tokenUrl) {
    ImapSettings s =
        new ImapSettings(
                "127.0.0.1",
                dovecot.imapsPort(),
                Security.IMAPS,
                DovecotServer.USER,
                "",
                "INBOX",
                "processed",
                "rejected",
                false,
                Duration.ofMinutes(10),
                true,
                dovecot.trustStore(),
                DovecotServer.TRUST_PASSWORD,
                Duration.ofSeconds(5),
                Duration.ofSeconds(20),
                Duration.ofMillis(200),
                32 << 20,
                null)
            .withOAuth(new OAuthSettings(tokenUrl, grant, Duration.ofMinutes(5)));
    ImapPoller p = new ImapPoller(s, store.intake(), dir.resolve("state"));
    pollers.add(p);
    p.start();
    return p;
  }

  private void deliver(int n) throws IOException {
    List<Path> samples;
    try (Stream<Path> files = Files.list(RepoLayout.samples())) {
      samples = files.filter(f -> f.toString().endsWith(".eml")).sorted().toList();
    }
    int offset = dovecot.count("INBOX") + dovecot.count("processed");
    for (int i = 0; i < n; i++) {
      dovecot.deliver(Files.readAllBytes(samples.get((offset + i) % samples.size())));
    }
  }

  /** An RSA key (PKCS#8 PEM) and a self-signed certificate for it, made with openssl. */
  private Path keyPair(String name) throws Exception {
    Process p =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                name + ".key",
                "-out",
                name + ".crt",
                "-days",
                "2",
                "-subj",
                "/CN=tlsrpt-" + name)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      fail("openssl failed: " + out);
    }
    return dir.resolve(name + ".key");
  }

  private static void await(BooleanSupplier done, String what) throws InterruptedException {
    long end = System.nanoTime() + WAIT.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        fail("not within " + WAIT + ": " + what);
      }
      Thread.sleep(10);
    }
  }
}
