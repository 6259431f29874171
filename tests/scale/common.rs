//! What the scale test and the decode benchmark share: a vcsim with a large model, a logged-in
//! client, and a paged RetrievePropertiesEx through a ContainerView that keeps each response
//! body as received.

#![allow(dead_code)] // each of the two crates uses part of it

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use vim_client::{Client, ClientOptions};
use vim_types::xml::DecodeReport;
use vim_types::*;

/// The model vcsim is started with.
#[derive(Clone, Copy, Debug)]
pub struct Model {
    /// `-vm`: VMs per resource pool (the VPX model has two pools holding VMs).
    pub vm_per_pool: u32,
    /// `-host`: hosts per cluster.
    pub hosts_per_cluster: u32,
}

/// A running vcsim (`-paging`), stopped when dropped.
pub struct Vcsim {
    child: Child,
    /// The SDK URL without credentials.
    pub url: String,
    pub user: String,
    /// The counts vcsim's summary line gives: (hosts, VMs).
    pub hosts: u64,
    pub vms: u64,
}

impl Vcsim {
    /// Starts `bin` with `model` and `-paging`, waits for its URL (a large model takes a
    /// while to build) and reads the counts from its summary line on stderr.
    pub fn start(bin: &str, model: Model) -> Result<Vcsim, String> {
        let mut child = Command::new(bin)
            .args(["-paging", "-vm", &model.vm_per_pool.to_string(), "-host", &model.hosts_per_cluster.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {bin}: {e}"))?;
        let stderr = child.stderr.take().ok_or("no stderr pipe")?;
        // The summary line comes before the URL; the rest of stderr is drained in the
        // background so that vcsim never blocks on a full pipe.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if line.contains(" model: ") {
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(line);
                    }
                }
            }
        });
        let stdout = child.stdout.take().ok_or("no stdout pipe")?;
        let mut first = String::new();
        BufReader::new(stdout).read_line(&mut first).map_err(|e| format!("reading vcsim's stdout: {e}"))?;
        let url = first.trim().strip_prefix("VCSIM_URL=").ok_or_else(|| format!("vcsim printed {first:?}, not its URL"))?;
        let (scheme, rest) = url.split_once("://").ok_or("vcsim's URL has no scheme")?;
        let (cred, host) = rest.split_once('@').ok_or("vcsim's URL has no credentials")?;
        let user = cred.split(':').next().unwrap_or("user").to_string();
        let summary = rx.recv_timeout(std::time::Duration::from_secs(5)).map_err(|_| "vcsim printed no summary line")?;
        let count = |what: &str| -> Result<u64, String> {
            let at = summary.find(&format!(" {what},")).ok_or_else(|| format!("no {what} count in {summary:?}"))?;
            let digits = summary[..at].rsplit(' ').next().unwrap_or("");
            digits.parse().map_err(|_| format!("bad {what} count in {summary:?}"))
        };
        let (hosts, vms) = (count("hosts")?, count("VMs")?);
        eprintln!("{summary}");
        Ok(Vcsim { child, url: format!("{scheme}://{host}"), user, hosts, vms })
    }
}

impl Drop for Vcsim {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        for _ in 0..100 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime")
}

/// A logged-in client and the objects a retrieval needs.
pub struct Session {
    pub client: Client,
    pub collector: MoRef<PropertyCollector>,
    pub view: MoRef<ContainerView>,
}

/// Connects, logs in and creates a ContainerView over the root folder for `types`.
pub async fn session(sim: &Vcsim, types: &[&str]) -> Result<Session, String> {
    // 33 MB pages take a while on a loaded machine.
    let options = ClientOptions { timeout: std::time::Duration::from_secs(300), ..ClientOptions::default() };
    let client = Client::connect(&vim_types::API, &sim.url, options).await.map_err(|e| format!("connect: {e}"))?;
    let content = client
        .retrieve_service_content(&MoRef::<ServiceInstance>::new("ServiceInstance"))
        .await
        .map_err(|e| format!("RetrieveServiceContent: {e:?}"))?;
    let sessions = content.session_manager.clone().ok_or("the service content has no session manager")?;
    client.login(&sessions, &sim.user, "any", None).await.map_err(|e| format!("Login: {e:?}"))?;
    let views = content.view_manager.clone().ok_or("no ViewManager in ServiceContent")?;
    let types: Vec<String> = types.iter().map(|t| t.to_string()).collect();
    let view = client
        .create_container_view(&views, &content.root_folder.upcast(), &types, true)
        .await
        .map_err(|e| format!("CreateContainerView: {e:?}"))?;
    Ok(Session { client, collector: content.property_collector.clone(), view })
}

/// A filter over the view's objects: for each (type, paths) the properties to read.
pub fn view_filter(view: &MoRef<ContainerView>, props: &[(&str, &[&str])]) -> PropertyFilterSpec {
    let traverse = TraversalSpec {
        name: Some("view".into()),
        r#type: "ContainerView".into(),
        path: "view".into(),
        skip: Some(false),
        ..Default::default()
    };
    PropertyFilterSpec {
        prop_set: props
            .iter()
            .map(|(t, paths)| PropertySpec {
                r#type: t.to_string(),
                path_set: paths.iter().map(|p| p.to_string()).collect(),
                ..Default::default()
            })
            .collect(),
        object_set: vec![ObjectSpec {
            obj: view.untyped(),
            skip: Some(true),
            select_set: vec![AnySelectionSpec::TraversalSpec(Box::new(traverse))],
            ..Default::default()
        }],
        ..Default::default()
    }
}

/// One page of a paged retrieval: the response body as received and what it decoded to.
pub struct Page {
    pub body: Vec<u8>,
    pub result: RetrieveResult,
    pub report: DecodeReport,
}

/// RetrievePropertiesEx with `max_objects`, then ContinueRetrievePropertiesEx while a token
/// comes back. Each body is decoded with the generated decoder (lenient: vcsim speaks a
/// newer API); a fault, a transport error or a body that does not decode is an error.
pub async fn retrieve_paged(s: &Session, spec: &PropertyFilterSpec, max_objects: i32) -> Result<Vec<Page>, String> {
    let this = s.collector.untyped();
    let options = RetrieveOptions { max_objects: Some(max_objects), ..Default::default() };
    let specs = std::slice::from_ref(spec);
    let first = soap::request_body::<methods::RetrievePropertiesEx>(
        &this,
        &methods::RetrievePropertiesExRequest { spec_set: specs, options: &options },
    );
    let body = send(s, first).await?;
    let (result, report) = soap::decode_response_with_report::<methods::RetrievePropertiesEx>(&body, &soap::DecodeOptions::default());
    let result = result.map_err(|e| format!("RetrievePropertiesEx: {e:?}"))?.unwrap_or_default();
    let mut pages = vec![Page { body, result, report }];
    while let Some(token) = pages.last().and_then(|p| p.result.token.clone()) {
        if pages.len() > 100_000 {
            return Err("more than 100,000 pages: the server keeps answering with a token".into());
        }
        let next = soap::request_body::<methods::ContinueRetrievePropertiesEx>(
            &this,
            &methods::ContinueRetrievePropertiesExRequest { token: &token },
        );
        let body = send(s, next).await?;
        let (result, report) =
            soap::decode_response_with_report::<methods::ContinueRetrievePropertiesEx>(&body, &soap::DecodeOptions::default());
        let result = result.map_err(|e| format!("ContinueRetrievePropertiesEx (page {}): {e:?}", pages.len() + 1))?;
        pages.push(Page { body, result, report });
    }
    Ok(pages)
}

async fn send(s: &Session, envelope: Vec<u8>) -> Result<Vec<u8>, String> {
    let (status, body) = s.client.send_raw(envelope).await.map_err(|e| format!("transport: {e}"))?;
    if status != 200 && status != 500 {
        return Err(format!("HTTP {status}: {}", String::from_utf8_lossy(&body[..body.len().min(300)])));
    }
    Ok(body.to_vec())
}
