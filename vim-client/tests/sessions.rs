//! Sessions that survive, against vimsim (`VIMSIM_BIN`, vim-server's binary) and vcsim
//! (`VCSIM_BIN`): re-login after an idle expiry (one for three concurrent calls), keepalive,
//! logout at shutdown, per-call timeout and read retries through a CONNECT proxy written
//! here, a CA bundle, a client certificate, the redacted wire log, and a URL with credentials.
//! Figures (re-login latency, keepalive traffic) are printed, never asserted.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use vim_client::{Client, ClientOptions, ConnectError, SessionError, TlsMode, TransportError};
use vim_types::{AnyData, AnyValue, Error, MoRef, ServiceInstance, ServiceInstanceClient, SessionManagerClient};
use vimgen_test_support::{Server, Session};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime")
}

/// vimsim with an Admin `admin:secret` (the inspector) and an Admin `alice:wonderland-pw`.
fn vimsim(test: &str, extra: &[&str]) -> Option<Server> {
    let mut args = vec!["--user", "admin:secret:Admin", "--user", "alice:wonderland-pw:Admin"];
    args.extend_from_slice(extra);
    vimgen_test_support::vimsim(test, &args)
}

/// The sessions of `user` on the server, as the admin reads `SessionManager.sessionList`.
async fn sessions_of(url: &str, user: &str) -> usize {
    let admin =
        Client::connect(&vim_types::API, url, ClientOptions::default().with_login("admin", "secret")).await.expect("admin connects");
    let sm = admin.content().await.expect("content").session_manager.expect("a session manager");
    let props = admin.read_properties(&sm.untyped(), &["sessionList"]).await.expect("sessionList");
    let n = match props.iter().find(|p| p.name == "sessionList").map(|p| &p.val) {
        Some(AnyValue::Array { items, .. }) => {
            items.iter().filter(|i| matches!(i, AnyValue::Data(AnyData::UserSession(s)) if s.user_name == user)).count()
        }
        None => 0,
        Some(other) => panic!("sessionList is {other:?}"),
    };
    admin.shutdown().await.expect("admin logs out");
    n
}

/// The user of the client's current session, or the call's error. `CurrentTime` first: it
/// needs a session (`System.View`) on vimsim, where reading `currentSession` without one
/// answers nothing rather than a fault.
async fn whoami(client: &Client) -> Result<Option<String>, String> {
    client.current_time(&MoRef::<ServiceInstance>::new("ServiceInstance")).await.map_err(|e| e.to_string())?;
    let sm = client.content().await.map_err(|e| e.to_string())?.session_manager.expect("a session manager");
    let props = client.read_properties(&sm.untyped(), &["currentSession"]).await.map_err(|e| e.to_string())?;
    Ok(props.iter().find_map(|p| match &p.val {
        AnyValue::Data(AnyData::UserSession(s)) => Some(s.user_name.clone()),
        _ => None,
    }))
}

/// A wire log that keeps each record's text.
fn recorder() -> (Arc<Mutex<Vec<String>>>, impl Fn(&vim_client::WireRecord<'_>) + Send + Sync + 'static) {
    let log = Arc::new(Mutex::new(Vec::new()));
    let keep = log.clone();
    (log, move |r: &vim_client::WireRecord<'_>| keep.lock().unwrap().push(r.to_string()))
}

fn count(log: &Mutex<Vec<String>>, prefix: &str) -> usize {
    log.lock().unwrap().iter().filter(|l| l.starts_with(prefix)).count()
}

#[test]
fn relogin_after_idle_expiry_is_one_for_concurrent_calls() {
    let Some(sim) = vimsim("relogin_after_idle_expiry_is_one_for_concurrent_calls", &["--session-idle-timeout", "1"]) else { return };
    runtime().block_on(async {
        let (log, record) = recorder();
        let options = ClientOptions::default().with_login("alice", "wonderland-pw").with_relogin().with_wire_log(record);
        let client = Client::connect(&vim_types::API, &sim.url, options).await.expect("connect and log in");
        assert_eq!(whoami(&client).await.unwrap().as_deref(), Some("alice"));
        let started = Instant::now();
        whoami(&client).await.unwrap();
        let normal = started.elapsed();
        let cookie = client.session_cookie().expect("a session cookie");

        // Idle past the server's timeout: the session is gone.
        tokio::time::sleep(Duration::from_millis(1600)).await;
        let started = Instant::now();
        let (a, b, c) = tokio::join!(whoami(&client), whoami(&client), whoami(&client));
        let relogged = started.elapsed();
        for r in [a, b, c] {
            assert_eq!(r.unwrap().as_deref(), Some("alice"), "each call retried on the new session");
        }
        let stats = client.session_stats();
        assert_eq!(stats.relogins, 1, "{stats:?}");
        assert_eq!(stats.logins, 2, "{stats:?}");
        assert_eq!(count(&log, "> Login"), 2, "one Login at connect, one re-login");
        assert_ne!(client.session_cookie().as_deref(), Some(cookie.as_str()), "a new session");
        // On the server: alice holds exactly one session (three re-logins would leave three).
        assert_eq!(sessions_of(&sim.url, "alice").await, 1);
        println!(
            "re-login: three concurrent reads after expiry took {:.1} ms (a read on a live session: {:.1} ms); {} Login on the wire",
            relogged.as_secs_f64() * 1e3,
            normal.as_secs_f64() * 1e3,
            count(&log, "> Login") - 1
        );

        // Without re-login, the expiry is the caller's NotAuthenticated.
        let plain =
            Client::connect(&vim_types::API, &sim.url, ClientOptions::default().with_login("alice", "wonderland-pw")).await.unwrap();
        tokio::time::sleep(Duration::from_millis(1600)).await;
        let err = whoami(&plain).await.unwrap_err();
        assert!(err.contains("NotAuthenticated"), "{err}");

        // A wrong password at re-login is a clear error, not a loop.
        let calls = Arc::new(AtomicUsize::new(0));
        let asked = calls.clone();
        let options = ClientOptions::default()
            .with_login_callback(move || {
                let n = asked.fetch_add(1, Ordering::SeqCst);
                async move { Ok(("alice".to_string(), if n == 0 { "wonderland-pw" } else { "stale" }.to_string())) }
            })
            .with_relogin();
        let rotating = Client::connect(&vim_types::API, &sim.url, options).await.unwrap();
        tokio::time::sleep(Duration::from_millis(1600)).await;
        let err = whoami(&rotating).await.unwrap_err();
        assert!(err.contains("logging in again failed") && err.contains("InvalidLogin"), "{err}");
        assert_eq!(calls.load(Ordering::SeqCst), 2, "the callback is asked at connect and at the re-login");
        client.shutdown().await.unwrap();
    });
}

#[test]
fn keepalive_keeps_an_idle_session_and_stops() {
    let Some(sim) = vimsim("keepalive_keeps_an_idle_session_and_stops", &["--session-idle-timeout", "2"]) else { return };
    runtime().block_on(async {
        let (log, record) = recorder();
        let options =
            ClientOptions::default().with_login("alice", "wonderland-pw").with_keepalive(Duration::from_millis(500)).with_wire_log(record);
        let client = Client::connect(&vim_types::API, &sim.url, options).await.unwrap();
        let control =
            Client::connect(&vim_types::API, &sim.url, ClientOptions::default().with_login("alice", "wonderland-pw")).await.unwrap();
        let idle = Duration::from_millis(4500);
        tokio::time::sleep(idle).await;
        assert_eq!(whoami(&client).await.expect("the session outlived the 2 s idle timeout").as_deref(), Some("alice"));
        let err = whoami(&control).await.unwrap_err();
        assert!(err.contains("NotAuthenticated"), "without keepalive the session expired: {err}");
        let stats = client.session_stats();
        assert!(stats.keepalives >= 2, "{stats:?}");
        assert_eq!(stats.relogins, 0);
        let bytes: usize =
            log.lock().unwrap().iter().filter(|l| l.starts_with("> CurrentTime") || l.starts_with("< CurrentTime")).map(|l| l.len()).sum();
        println!(
            "keepalive every 500 ms: {} CurrentTime calls in {:.1} s idle, about {} bytes of SOAP each way per call",
            stats.keepalives,
            idle.as_secs_f64(),
            bytes / (2 * stats.keepalives.max(1) as usize)
        );

        // Dropping the last clone stops it: no record after the drop.
        let seen = Arc::new(AtomicUsize::new(0));
        let counter = seen.clone();
        let options = ClientOptions::default()
            .with_login("alice", "wonderland-pw")
            .with_keepalive(Duration::from_millis(40))
            .with_wire_log(move |_| {
                counter.fetch_add(1, Ordering::SeqCst);
            });
        let dropped = Client::connect(&vim_types::API, &sim.url, options).await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(dropped.session_stats().keepalives >= 2);
        drop(dropped);
        let after_drop = seen.load(Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(seen.load(Ordering::SeqCst) <= after_drop + 2, "at most the call in flight finishes");
        let settled = seen.load(Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(seen.load(Ordering::SeqCst), settled, "the keepalive stopped with the client");
        client.shutdown().await.unwrap();
        let stopped = client.session_stats().keepalives;
        tokio::time::sleep(Duration::from_millis(900)).await;
        assert_eq!(client.session_stats().keepalives, stopped, "shutdown stops the keepalive");
    });
}

#[test]
fn shutdown_leaves_no_session() {
    let Some(sim) = vimsim("shutdown_leaves_no_session", &[]) else { return };
    runtime().block_on(async {
        let options = ClientOptions::default().with_login("alice", "wonderland-pw").with_relogin().with_keepalive(Duration::from_secs(60));
        let client = Client::connect(&vim_types::API, &sim.url, options).await.unwrap();
        let clone = client.clone();
        assert_eq!(sessions_of(&sim.url, "alice").await, 1);
        client.shutdown().await.expect("logout");
        assert_eq!(sessions_of(&sim.url, "alice").await, 0, "no session left on the server");
        assert_eq!(client.session_cookie(), None);
        // The clone shares the (ended) session; no re-login after shutdown.
        let err = whoami(&clone).await.unwrap_err();
        assert!(err.contains("NotAuthenticated"), "{err}");
        assert_eq!(clone.session_stats().relogins, 0);
        assert_eq!(sessions_of(&sim.url, "alice").await, 0);
        // Twice is fine; a client that never logged in shuts down cleanly too.
        client.shutdown().await.expect("second shutdown");
        let anonymous = Client::connect(&vim_types::API, &sim.url, ClientOptions::default()).await.unwrap();
        anonymous.shutdown().await.expect("shutdown without a session");
        // A refused login at connect is ConnectError::Login with the fault's class.
        let bad = Client::connect(&vim_types::API, &sim.url, ClientOptions::default().with_login("alice", "nope")).await.unwrap_err();
        assert!(
            matches!(&bad, ConnectError::Login { reason: SessionError::Refused { fault, .. }, .. } if fault == "InvalidLogin"),
            "{bad}"
        );
    });
}

#[test]
fn wire_log_redacts_password_and_cookie() {
    let Some(sim) = vimsim("wire_log_redacts_password_and_cookie", &[]) else { return };
    runtime().block_on(async {
        let (log, record) = recorder();
        let client =
            Client::connect(&vim_types::API, &sim.url, ClientOptions::default().with_login("alice", "wonderland-pw").with_wire_log(record))
                .await
                .unwrap();
        // The typed Login too (a second session of the same user).
        let typed = Client::connect(
            &vim_types::API,
            &sim.url,
            ClientOptions::default().with_wire_log({
                let log = log.clone();
                move |r| log.lock().unwrap().push(r.to_string())
            }),
        )
        .await
        .unwrap();
        typed.login_as("alice", "wonderland-pw").await.expect("typed login");
        whoami(&client).await.unwrap();
        let cookies: Vec<String> =
            [client.session_cookie().unwrap(), typed.session_cookie().unwrap()].iter().map(|c| c.trim_matches('"').to_string()).collect();
        let text = log.lock().unwrap().join("\n");
        assert_eq!(count(&log, "> Login"), 2, "{text}");
        assert!(text.contains("<userName>alice</userName>"), "{text}");
        assert!(text.contains("<password>***</password>"), "{text}");
        assert!(!text.contains("wonderland-pw"), "the password leaked:\n{text}");
        for c in &cookies {
            assert!(c.len() > 8);
            assert!(!text.contains(c.as_str()), "the cookie {c} leaked:\n{text}");
        }
        assert!(text.contains("cookie=<redacted>"), "{text}");
        assert!(text.contains("< RetrievePropertiesEx HTTP 200"), "{text}");
        client.shutdown().await.unwrap();
        typed.shutdown().await.unwrap();
    });
}

// ---------------------------------------------------------------------------------------------
// A CONNECT proxy on loopback

#[derive(Default)]
struct ProxyState {
    connects: Mutex<Vec<String>>,
    /// Requests to drop, closing their tunnel without forwarding them (a broken path).
    break_next: AtomicUsize,
    /// Stop forwarding client bytes (a stalled path).
    stall: AtomicBool,
}

async fn start_proxy() -> (String, Arc<ProxyState>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let state = Arc::new(ProxyState::default());
    let shared = state.clone();
    tokio::spawn(async move {
        loop {
            let Ok((conn, _)) = listener.accept().await else { return };
            tokio::spawn(tunnel(conn, shared.clone()));
        }
    });
    (url, state)
}

async fn tunnel(mut conn: TcpStream, state: Arc<ProxyState>) {
    let mut head = Vec::new();
    let mut b = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if conn.read(&mut b).await.unwrap_or(0) == 0 {
            return;
        }
        head.push(b[0]);
    }
    let text = String::from_utf8_lossy(&head).to_string();
    let line = text.lines().next().unwrap_or("").to_string();
    state.connects.lock().unwrap().push(line.clone());
    let target = match line.strip_prefix("CONNECT ").and_then(|r| r.split(' ').next()) {
        Some(t) => t.to_string(),
        None => {
            let _ = conn.write_all(b"HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n").await;
            return;
        }
    };
    let Ok(mut upstream) = TcpStream::connect(&target).await else {
        let _ = conn.write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n").await;
        return;
    };
    let _ = conn.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").await;
    let (mut cr, mut cw) = conn.into_split();
    let (mut ur, mut uw) = upstream.split();
    let up = async {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = cr.read(&mut buf).await.unwrap_or(0);
            if n == 0 {
                return;
            }
            if state.break_next.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok() {
                return;
            }
            while state.stall.load(Ordering::SeqCst) {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            if uw.write_all(&buf[..n]).await.is_err() {
                return;
            }
        }
    };
    let down = async {
        let _ = tokio::io::copy(&mut ur, &mut cw).await;
    };
    tokio::select! { _ = up => {}, _ = down => {} }
}

#[test]
fn proxy_tunnel_retries_and_call_timeout() {
    let Some(sim) = vimsim("proxy_tunnel_retries_and_call_timeout", &[]) else { return };
    let target = sim.authority();
    runtime().block_on(async {
        let (proxy, state) = start_proxy().await;
        let options = ClientOptions::default().with_proxy(&proxy).with_login("alice", "wonderland-pw").with_read_retries(3);
        let client = Client::connect(&vim_types::API, &sim.url, options).await.expect("connect through the proxy");
        assert_eq!(whoami(&client).await.unwrap().as_deref(), Some("alice"));
        let connects = state.connects.lock().unwrap().clone();
        assert!(!connects.is_empty() && connects.iter().all(|l| *l == format!("CONNECT {target} HTTP/1.1")), "{connects:?}");
        // Without the proxy option, a loopback target never goes through the environment's.
        let direct = Client::connect(&vim_types::API, &sim.url, ClientOptions::default()).await.unwrap();
        direct.retrieve_service_content(&MoRef::<ServiceInstance>::new("ServiceInstance")).await.unwrap();
        assert_eq!(state.connects.lock().unwrap().len(), connects.len());

        // Two broken exchanges: a read is re-sent (twice) and succeeds.
        let root: MoRef<ServiceInstance> = MoRef::new("ServiceInstance");
        state.break_next.store(2, Ordering::SeqCst);
        let started = Instant::now();
        client.current_time(&root).await.expect("retried through the breaks");
        assert_eq!(client.session_stats().retries, 2);
        println!("a read through two broken connections: {:.0} ms with retries", started.elapsed().as_secs_f64() * 1e3);
        // A Login is not idempotent: not re-sent.
        let sm = client.content().await.unwrap().session_manager.unwrap();
        state.break_next.store(1, Ordering::SeqCst);
        let err = SessionManagerClient::login(&client, &sm, "alice", "wonderland-pw", None).await.unwrap_err();
        assert!(
            matches!(&err, Error::Transport(t) if matches!(t.downcast_ref::<TransportError>(), Some(TransportError::Connection { .. }))),
            "{err}"
        );
        assert_eq!(client.session_stats().retries, 2);
        // Without retries, a read fails too.
        let once =
            Client::connect(&vim_types::API, &sim.url, ClientOptions::default().with_proxy(&proxy).with_login("alice", "wonderland-pw"))
                .await
                .unwrap();
        state.break_next.store(1, Ordering::SeqCst);
        let err = once.current_time(&root).await.unwrap_err();
        assert!(
            matches!(&err, Error::Transport(t) if matches!(t.downcast_ref::<TransportError>(), Some(TransportError::Connection { .. }))),
            "{err}"
        );
        assert_eq!(once.session_stats().retries, 0);

        // A stalled path: the per-call timeout gives a typed error.
        state.stall.store(true, Ordering::SeqCst);
        let started = Instant::now();
        let err = client.with_call_timeout(Duration::from_millis(300)).current_time(&root).await.unwrap_err();
        let waited = started.elapsed();
        state.stall.store(false, Ordering::SeqCst);
        let Error::Transport(t) = &err else { panic!("{err}") };
        match t.downcast_ref::<TransportError>() {
            Some(e @ TransportError::CallTimeout { method, after }) => {
                assert_eq!((*method, *after), ("CurrentTime", Duration::from_millis(300)));
                assert!(e.is_timeout());
                assert!(e.to_string().contains("CurrentTime did not complete within its call timeout"), "{e}");
            }
            other => panic!("{other:?}"),
        }
        println!("per-call timeout of 300 ms returned after {:.0} ms", waited.as_secs_f64() * 1e3);
        client.current_time(&root).await.expect("the path works again");

        // A proxy that refuses: the message says so.
        let err = Client::connect(&vim_types::API, &sim.url, ClientOptions::default().with_proxy("http://127.0.0.1:1"))
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("cannot reach the proxy 127.0.0.1:1"), "{err}");
        let err = Client::connect(&vim_types::API, &sim.url, ClientOptions::default().with_proxy("https://127.0.0.1:3128"))
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("https:// proxy") && err.contains("not supported"), "{err}");
        client.shutdown().await.unwrap();
    });
}

// ---------------------------------------------------------------------------------------------
// TLS: a CA bundle, a client certificate

#[test]
fn ca_bundle_trusts_vimsim_certificate() {
    let dir = std::env::temp_dir().join(format!("vim-client-ca-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pem_path = dir.join("vimsim.pem");
    let Some(sim) = vimsim("ca_bundle_trusts_vimsim_certificate", &["--tls", "--cert-out", pem_path.to_str().unwrap()]) else { return };
    let pem = std::fs::read(&pem_path).expect("vimsim wrote its certificate");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(sim.url.starts_with("https://"));
    runtime().block_on(async {
        let refused = Client::connect(&vim_types::API, &sim.url, ClientOptions::default()).await.unwrap_err();
        assert!(matches!(refused, ConnectError::Certificate { .. }), "{refused}");
        let options = ClientOptions { tls: TlsMode::Verify, ..ClientOptions::default() }
            .with_ca_pem(pem.clone())
            .with_login("alice", "wonderland-pw");
        let client = Client::connect(&vim_types::API, &sim.url, options).await.expect("verified against the bundle");
        assert_eq!(whoami(&client).await.unwrap().as_deref(), Some("alice"));
        client.shutdown().await.unwrap();
        // The same through the CONNECT proxy: TLS end to end inside the tunnel.
        let (proxy, state) = start_proxy().await;
        let options = ClientOptions::default().with_ca_pem(pem.clone()).with_proxy(&proxy).with_login("alice", "wonderland-pw");
        let tunnelled = Client::connect(&vim_types::API, &sim.url, options).await.expect("https through the proxy");
        assert_eq!(whoami(&tunnelled).await.unwrap().as_deref(), Some("alice"));
        tunnelled.shutdown().await.unwrap();
        let connects = state.connects.lock().unwrap().clone();
        assert!(!connects.is_empty() && connects.iter().all(|l| *l == format!("CONNECT {} HTTP/1.1", sim.authority())), "{connects:?}");
        // A bundle with no certificate, or with another mode, is refused up front.
        let err = Client::connect(&vim_types::API, &sim.url, ClientOptions::default().with_ca_pem(b"not pem".to_vec())).await.unwrap_err();
        assert!(err.to_string().contains("CA bundle"), "{err}");
        let options = ClientOptions { tls: TlsMode::AcceptInvalid, ..ClientOptions::default() }.with_ca_pem(pem);
        let err = Client::connect(&vim_types::API, &sim.url, options).await.unwrap_err();
        assert!(err.to_string().contains("TlsMode::Verify only"), "{err}");
    });
}

fn pem(label: &str, der: &[u8]) -> Vec<u8> {
    let mut b64 = Vec::new();
    vim_types::xml::base64_encode(der, &mut b64);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out.into_bytes()
}

/// A CA, a server certificate for 127.0.0.1 and a client certificate, both signed by it.
struct Pki {
    ca_pem: Vec<u8>,
    ca_der: Vec<u8>,
    server: (Vec<u8>, Vec<u8>),
    client: (Vec<u8>, Vec<u8>),
    client_der: Vec<u8>,
}

fn pki() -> Pki {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name.push(DnType::CommonName, "vim-client test CA");
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let leaf = |name: &str, sans: Vec<String>| {
        let key = KeyPair::generate().unwrap();
        let mut p = CertificateParams::new(sans).unwrap();
        p.distinguished_name.push(DnType::CommonName, name);
        let cert = p.signed_by(&key, &ca_cert, &ca_key).unwrap();
        (cert.der().to_vec(), key.serialize_der())
    };
    let (server_der, server_key) = leaf("127.0.0.1", vec!["127.0.0.1".into()]);
    let (client_der, client_key) = leaf("automation-bot", vec![]);
    Pki {
        ca_pem: pem("CERTIFICATE", ca_cert.der()),
        ca_der: ca_cert.der().to_vec(),
        server: (server_der, server_key),
        client: (pem("CERTIFICATE", &client_der), pem("PRIVATE KEY", &client_key)),
        client_der,
    }
}

/// A loopback HTTPS server that requires a client certificate signed by the CA and serves
/// `vimServiceVersions.xml`; it records the client certificates it saw.
async fn mtls_server(pki: &Pki) -> (String, Arc<Mutex<Vec<Vec<u8>>>>) {
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots.add(CertificateDer::from(pki.ca_der.clone())).unwrap();
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone()).build().unwrap();
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_single_cert(
            vec![CertificateDer::from(pki.server.0.clone())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pki.server.1.clone())),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}/sdk", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else { return };
            let (acceptor, record) = (acceptor.clone(), record.clone());
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else { return };
                if let Some(certs) = tls.get_ref().1.peer_certificates() {
                    record.lock().unwrap().push(certs[0].to_vec());
                }
                let mut buf = vec![0u8; 4096];
                let mut got = Vec::new();
                while !got.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => got.extend_from_slice(&buf[..n]),
                    }
                }
                let body = "<namespaces version=\"1.0\"><namespace><name>urn:vim25</name><version>6.5</version><priorVersions><version>6.0</version></priorVersions></namespace></namespaces>";
                let reply = format!("HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ncontent-length: {}\r\n\r\n{body}", body.len());
                let _ = tls.write_all(reply.as_bytes()).await;
                let _ = tls.flush().await;
            });
        }
    });
    (url, seen)
}

#[test]
fn client_certificate_is_presented() {
    runtime().block_on(async {
        let pki = pki();
        let (url, seen) = mtls_server(&pki).await;
        let options = ClientOptions::default().with_ca_pem(pki.ca_pem.clone()).with_client_cert(pki.client.0.clone(), pki.client.1.clone());
        let client = Client::connect(&vim_types::API, &url, options).await.expect("connect with a client certificate");
        assert_eq!(client.server_api_version(), "6.5");
        assert_eq!(*seen.lock().unwrap(), vec![pki.client_der.clone()], "the server saw our certificate");
        // Without one, the server ends the handshake.
        let err = Client::connect(&vim_types::API, &url, ClientOptions::default().with_ca_pem(pki.ca_pem.clone())).await.unwrap_err();
        assert!(matches!(err, ConnectError::ClientCertificateRequired { .. }), "{err}");
        assert!(err.to_string().contains("with_client_cert"), "{err}");
        assert_eq!(seen.lock().unwrap().len(), 1);
        // A key that is not PEM is refused up front.
        let options = ClientOptions::default().with_client_cert(pki.client.0.clone(), b"garbage".to_vec());
        let err = Client::connect(&vim_types::API, &url, options).await.unwrap_err();
        assert!(err.to_string().contains("client key"), "{err}");
    });
}

// ---------------------------------------------------------------------------------------------
// vcsim

#[test]
fn vcsim_url_with_credentials_logs_in() {
    let Some(sim) = vimgen_test_support::vcsim("vcsim_url_with_credentials_logs_in", &[]) else { return };
    assert!(sim.printed_url.contains('@'), "vcsim prints user:password@ ({})", sim.printed_url);
    runtime().block_on(async {
        let options = ClientOptions { tls: TlsMode::AcceptInvalid, ..ClientOptions::default() };
        let client = Client::connect(&vim_types::API, &sim.printed_url, options.clone()).await.expect("connect with the printed URL");
        assert_eq!(client.session_stats().logins, 1);
        assert_eq!(whoami(&client).await.unwrap().as_deref(), Some(sim.user.as_str()), "logged in at connect");
        client.shutdown().await.expect("logout");
        // vcsim answers CurrentTime without a session; currentSession is then empty.
        let after = whoami(&client).await;
        assert!(matches!(&after, Ok(None)) || after.as_ref().is_err_and(|e| e.contains("NotAuthenticated")), "{after:?}");
        // Credentials twice is a clear refusal.
        let err = Client::connect(&vim_types::API, &sim.printed_url, options.with_login("x", "y")).await.unwrap_err();
        assert!(err.to_string().contains("both in the URL and in the options"), "{err}");
    });
}

// ---------------------------------------------------------------------------------------------
// The cookie rule, against a scripted server

/// A server whose `CurrentTime` on the expired session `old` answers NotAuthenticated with a
/// fresh cookie, the second such answer late (after the re-login): that late cookie must not
/// replace the new session's.
#[test]
fn a_late_answer_does_not_replace_the_new_session() {
    use http_body_util::{BodyExt, Full};
    use hyper::body::Bytes;
    runtime().block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/sdk", listener.local_addr().unwrap());
        let stale = Arc::new(AtomicUsize::new(0));
        tokio::spawn(async move {
            loop {
                let Ok((tcp, _)) = listener.accept().await else { return };
                let stale = stale.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                        let stale = stale.clone();
                        async move {
                            let cookie = req.headers().get("cookie").and_then(|c| c.to_str().ok()).unwrap_or("").to_string();
                            let get = req.method() == hyper::Method::GET;
                            let body = String::from_utf8_lossy(&req.into_body().collect().await.unwrap().to_bytes()).into_owned();
                            let wrap = |b: &str| format!(r#"<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>{b}</soapenv:Body></soapenv:Envelope>"#);
                            let (status, set, text) = if get {
                                (200, None, "<namespaces><namespace><name>urn:vim25</name><version>6.5</version></namespace></namespaces>".to_string())
                            } else if body.contains("<RetrieveServiceContent ") {
                                (200, None, wrap(r#"<RetrieveServiceContentResponse xmlns="urn:vim25"><returnval><sessionManager type="SessionManager">SessionManager</sessionManager></returnval></RetrieveServiceContentResponse>"#))
                            } else if body.contains("<Login ") {
                                (200, Some("good"), wrap(r#"<LoginResponse xmlns="urn:vim25"><returnval><key>k</key><userName>u</userName></returnval></LoginResponse>"#))
                            } else if cookie.contains("good") {
                                (200, None, wrap(r#"<CurrentTimeResponse xmlns="urn:vim25"><returnval>2026-12-08T00:00:00Z</returnval></CurrentTimeResponse>"#))
                            } else {
                                let n = stale.fetch_add(1, Ordering::SeqCst);
                                if n == 1 {
                                    tokio::time::sleep(Duration::from_millis(300)).await;
                                }
                                let fault = r#"<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>not authenticated</faultstring><detail><NotAuthenticatedFault xmlns="urn:vim25" xsi:type="NotAuthenticated"><object type="ServiceInstance">ServiceInstance</object><privilegeId>System.View</privilegeId></NotAuthenticatedFault></detail></soapenv:Fault>"#;
                                (500, Some(if n == 1 { "late" } else { "fresh" }), wrap(fault))
                            };
                            let mut response = hyper::Response::builder().status(status);
                            if let Some(c) = set {
                                response = response.header("set-cookie", format!("vmware_soap_session=\"{c}\"; Path=/; HttpOnly"));
                            }
                            Ok::<_, std::convert::Infallible>(response.body(Full::new(Bytes::from(text))).unwrap())
                        }
                    });
                    let _ = hyper::server::conn::http1::Builder::new().serve_connection(hyper_util::rt::TokioIo::new(tcp), service).await;
                });
            }
        });
        let client = Client::connect(&vim_types::API, &url, ClientOptions::default().with_login("u", "p").with_relogin()).await.unwrap();
        assert_eq!(client.session_cookie().as_deref(), Some("\"good\""));
        // The session is lost.
        client.set_session_cookie(Some("\"old\""));
        let root: MoRef<ServiceInstance> = MoRef::new("ServiceInstance");
        let (a, b) = tokio::join!(client.current_time(&root), client.current_time(&root));
        assert!(a.is_ok() && b.is_ok(), "{a:?} {b:?}");
        assert_eq!(client.session_cookie().as_deref(), Some("\"good\""), "the late answer's cookie was not kept");
        assert_eq!(client.session_stats().relogins, 1);
    });
}
