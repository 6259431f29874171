//! HTTP proxies: the [`Proxy`] option, the `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY`
//! variables, and the connector that opens a `CONNECT` tunnel through the proxy. Every target
//! goes through a tunnel, `https://` and `http://` alike: one code path, and the proxy never
//! sees the SOAP bodies or the session cookie of a plain-HTTP endpoint in its own logs.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use hyper::Uri;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::ConnectError;

/// Which HTTP proxy the client goes through.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Proxy {
    /// From the environment, as curl and Go read it: `https_proxy` / `HTTPS_PROXY` for an
    /// `https://` endpoint, `http_proxy` / `HTTP_PROXY` for `http://`, except the hosts
    /// `no_proxy` / `NO_PROXY` lists. As in Go, `localhost` and loopback addresses are never
    /// sent to a proxy found this way.
    #[default]
    FromEnv,
    /// No proxy, whatever the environment says.
    None,
    /// This proxy (`http://[user:password@]host:port`; the port defaults to 80), for every host
    /// but those in `no_proxy` (the `NO_PROXY` syntax: `host,.domain,*`).
    Url { url: String, no_proxy: String },
}

impl Proxy {
    /// [`Proxy::Url`] for every host.
    pub fn url(url: impl Into<String>) -> Proxy {
        Proxy::Url { url: url.into(), no_proxy: String::new() }
    }
}

/// A proxy to go through, resolved from a [`Proxy`] option.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Route {
    /// `host:port` of the proxy.
    pub authority: String,
    /// `Basic ...`, from the proxy URL's user name and password.
    auth: Option<String>,
    no_proxy: Vec<String>,
    /// Loopback targets bypass it (a proxy from the environment).
    bypass_loopback: bool,
}

/// The proxy for an endpoint (`https` or not), or none. `env` reads a variable.
pub(crate) fn resolve(option: &Proxy, https: bool, env: &dyn Fn(&str) -> Option<String>) -> Result<Option<Route>, ConnectError> {
    let var = |names: [&str; 2]| names.iter().find_map(|n| env(n).filter(|v| !v.trim().is_empty()));
    let (url, no_proxy, from_env) = match option {
        Proxy::None => return Ok(None),
        Proxy::Url { url, no_proxy } => (url.clone(), no_proxy.clone(), false),
        Proxy::FromEnv => {
            let names = if https { ["https_proxy", "HTTPS_PROXY"] } else { ["http_proxy", "HTTP_PROXY"] };
            match var(names) {
                Some(url) => (url, var(["no_proxy", "NO_PROXY"]).unwrap_or_default(), true),
                None => return Ok(None),
            }
        }
    };
    let source = if from_env { "the proxy from the environment" } else { "the proxy" };
    let bad = |reason: String| ConnectError::InvalidOptions(format!("{source} `{}`: {reason}", redact_userinfo(&url)));
    let url_t = url.trim();
    let (scheme, rest) = match url_t.split_once("://") {
        Some((s, r)) => (s.to_ascii_lowercase(), r),
        None => ("http".to_string(), url_t),
    };
    match scheme.as_str() {
        "http" => {}
        "https" => {
            return Err(bad(
                "an https:// proxy (TLS to the proxy itself) is not supported; use the proxy's plain http:// port (the tunnel to the server is TLS either way)"
                    .into(),
            ))
        }
        other => return Err(bad(format!("the scheme `{other}` is not supported; only http:// proxies are"))),
    }
    let authority = rest.split('/').next().unwrap_or("");
    let (userinfo, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    if hostport.is_empty() {
        return Err(bad("no host name".into()));
    }
    let has_port = hostport.rfind(':').is_some_and(|i| !hostport[i..].contains(']'));
    let authority = if has_port {
        let port = &hostport[hostport.rfind(':').unwrap() + 1..];
        if port.parse::<u16>().is_err() {
            return Err(bad("the port is not a number from 0 to 65535".into()));
        }
        hostport.to_string()
    } else {
        format!("{hostport}:80")
    };
    let auth = userinfo.map(|u| {
        let (user, password) = u.split_once(':').unwrap_or((u, ""));
        let plain = format!("{}:{}", percent_decode(user), percent_decode(password));
        let mut b64 = Vec::new();
        vim_runtime::xml::base64_encode(plain.as_bytes(), &mut b64);
        format!("Basic {}", String::from_utf8_lossy(&b64))
    });
    let no_proxy = no_proxy.split(',').map(|s| s.trim().to_ascii_lowercase()).filter(|s| !s.is_empty()).collect();
    Ok(Some(Route { authority, auth, no_proxy, bypass_loopback: from_env }))
}

/// `user:password@` replaced by `***@`, for messages.
pub(crate) fn redact_userinfo(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}***@{}", &url[..s + 3], &url[at + 1..]),
        (None, Some(at)) => format!("***@{}", &url[at + 1..]),
        _ => url.to_string(),
    }
}

/// `%XX` escapes decoded (URL user names and passwords); invalid escapes kept as written.
pub(crate) fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(v) = hex {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Route {
    /// Whether a connection to `host` goes through the proxy.
    pub(crate) fn applies(&self, host: &str) -> bool {
        let host = host.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
        if self.bypass_loopback && is_loopback(&host) {
            return false;
        }
        !self.no_proxy.iter().any(|entry| {
            if entry == "*" {
                return true;
            }
            // `host:port` and `[v6]:port` entries: the port is ignored.
            let entry = match entry.strip_prefix('[') {
                Some(rest) => rest.split(']').next().unwrap_or(rest),
                None if entry.matches(':').count() == 1 => entry.split(':').next().unwrap_or(entry),
                None => entry,
            };
            let domain = entry.trim_start_matches('.');
            host == domain || host.ends_with(&format!(".{domain}"))
        })
    }
}

fn is_loopback(host: &str) -> bool {
    host == "localhost" || host.ends_with(".localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Why a tunnel could not be opened (inside hyper's connect error; its text reaches
/// [`ConnectError::Unreachable`] or [`crate::TransportError::Connection`]).
#[derive(Debug)]
pub struct ProxyError(String);

impl std::fmt::Display for ProxyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ProxyError {}

/// hyper's TCP connector, through a proxy's `CONNECT` tunnel when one applies.
#[derive(Clone)]
pub(crate) struct Connector {
    pub http: HttpConnector,
    pub route: Option<Arc<Route>>,
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl tower_service::Service<Uri> for Connector {
    type Response = TokioIo<TcpStream>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        tower_service::Service::<Uri>::poll_ready(&mut self.http, cx).map_err(Into::into)
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let mut http = self.http.clone();
        let route = self.route.clone();
        Box::pin(async move {
            let host = dst.host().unwrap_or("").to_string();
            let route = match route {
                Some(r) if r.applies(&host) => r,
                _ => return http.call(dst).await.map_err(Into::into),
            };
            let https = dst.scheme_str() == Some("https");
            let port = dst.port_u16().unwrap_or(if https { 443 } else { 80 });
            let target = format!("{host}:{port}");
            let proxy_uri: Uri = format!("http://{}", route.authority)
                .parse()
                .map_err(|_| ProxyError(format!("invalid proxy address {}", route.authority)))?;
            let io = http.call(proxy_uri).await.map_err(|e| ProxyError(format!("cannot reach the proxy {}: {e}", route.authority)))?;
            let mut tcp = io.into_inner();
            tunnel(&mut tcp, &target, route.auth.as_deref(), &route.authority).await?;
            Ok(TokioIo::new(tcp))
        })
    }
}

/// Sends `CONNECT target` and reads the proxy's answer up to its blank line.
async fn tunnel(tcp: &mut TcpStream, target: &str, auth: Option<&str>, proxy: &str) -> Result<(), ProxyError> {
    let mut request = format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n");
    if let Some(a) = auth {
        request.push_str(&format!("Proxy-Authorization: {a}\r\n"));
    }
    request.push_str("\r\n");
    let io = |e: std::io::Error| ProxyError(format!("the proxy {proxy} broke the connection during CONNECT {target}: {e}"));
    tcp.write_all(request.as_bytes()).await.map_err(io)?;
    let mut head = Vec::with_capacity(256);
    let mut byte = [0u8; 1];
    // Byte by byte: nothing after the blank line may be consumed (it belongs to the tunnel).
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 16 * 1024 {
            return Err(ProxyError(format!("the proxy {proxy} sent an over-long answer to CONNECT")));
        }
        let n = tcp.read(&mut byte).await.map_err(io)?;
        if n == 0 {
            return Err(ProxyError(format!("the proxy {proxy} closed the connection during CONNECT {target}")));
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head);
    let status_line = text.lines().next().unwrap_or("");
    let mut parts = status_line.split_whitespace();
    let (version, code) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    if !version.starts_with("HTTP/1.") {
        return Err(ProxyError(format!("{proxy} did not answer CONNECT like an HTTP proxy: {status_line:?}")));
    }
    if !code.starts_with('2') {
        let hint = if code == "407" { " (the proxy wants credentials: http://user:password@host:port)" } else { "" };
        return Err(ProxyError(format!("the proxy {proxy} refused CONNECT {target}: {status_line}{hint}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn from_environment() {
        let e = env(&[("HTTPS_PROXY", "http://u%40x:p%3Aw@proxy.lan:3128"), ("NO_PROXY", "vc1.example.com, .lab,10.0.0.5:443")]);
        let r = resolve(&Proxy::FromEnv, true, &e).unwrap().unwrap();
        assert_eq!(r.authority, "proxy.lan:3128");
        // base64("u@x:p:w")
        assert_eq!(r.auth.as_deref(), Some("Basic dUB4OnA6dw=="));
        assert!(r.applies("vc2.example.com"));
        assert!(!r.applies("vc1.example.com"));
        assert!(!r.applies("esx.lab"));
        assert!(!r.applies("lab"));
        assert!(!r.applies("10.0.0.5"));
        assert!(!r.applies("127.0.0.1"), "loopback bypasses an environment proxy");
        assert!(!r.applies("[::1]"));
        assert!(!r.applies("localhost"));
        // http:// endpoints read HTTP_PROXY, not HTTPS_PROXY.
        assert_eq!(resolve(&Proxy::FromEnv, false, &e).unwrap(), None);
        let e = env(&[("http_proxy", "proxy:8080"), ("HTTP_PROXY", "ignored:1")]);
        assert_eq!(resolve(&Proxy::FromEnv, false, &e).unwrap().unwrap().authority, "proxy:8080");
        let e = env(&[("HTTPS_PROXY", "http://p:1"), ("no_proxy", "*")]);
        assert!(!resolve(&Proxy::FromEnv, true, &e).unwrap().unwrap().applies("anything"));
        assert_eq!(resolve(&Proxy::None, true, &env(&[("HTTPS_PROXY", "http://p:1")])).unwrap(), None);
    }

    #[test]
    fn explicit_and_refused() {
        let r = resolve(&Proxy::url("http://127.0.0.1:9"), true, &env(&[])).unwrap().unwrap();
        assert!(r.applies("127.0.0.1"), "an explicit proxy applies to loopback too");
        assert_eq!(r.authority, "127.0.0.1:9");
        assert_eq!(resolve(&Proxy::url("http://p"), true, &env(&[])).unwrap().unwrap().authority, "p:80");
        let err = resolve(&Proxy::url("https://u:secret@p:443"), true, &env(&[])).unwrap_err().to_string();
        assert!(err.contains("https:// proxy") && err.contains("not supported"), "{err}");
        assert!(!err.contains("secret"), "{err}");
        let err = resolve(&Proxy::url("socks5://p:1080"), true, &env(&[])).unwrap_err().to_string();
        assert!(err.contains("socks5"), "{err}");
        assert!(resolve(&Proxy::url("http://p:99999"), true, &env(&[])).is_err());
        assert!(resolve(&Proxy::url("http://"), true, &env(&[])).is_err());
    }

    #[test]
    fn percent() {
        assert_eq!(percent_decode("a%20b%zz%4"), "a b%zz%4");
        assert_eq!(percent_decode("%"), "%");
    }
}
