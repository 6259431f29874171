//! Values of classes whose feature is off survive a read and a write.
//!
//! `features-subset fetch URL USER PASSWORD DIR` (built with the default features: eight
//! managed objects of the full 5.5 API) logs in, lists every VM and host through a
//! ContainerView with their large properties (`config`, `summary`, `runtime`, `guest`,
//! `hardware`, ...), decodes the response with the subset, and writes into DIR the response
//! as received (`response.xml`) and the decoded result written back (`rewrite-subset.xml`).
//! Many of the classes in it are compiled out (device subclasses, backings, ...): the
//! decoder keeps them in `Unknown` variants with their XML, which must be more than zero.
//!
//! `features-subset compare DIR` (built with `--features full`) decodes both files with the
//! whole API and checks that they give equal values, and says whether the subset's rewrite
//! is byte for byte what the full API writes.

use vim_client::{Client, ClientOptions};
use vim_types::soap::{decode_response_with_report, request_body, DecodeOptions};
use vim_types::xml::Writer;
use vim_types::*;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [cmd, url, user, password, dir] if cmd == "fetch" => fetch(url, user, password, std::path::Path::new(dir)).await,
        [cmd, dir] if cmd == "compare" => compare(std::path::Path::new(dir)),
        _ => Err("usage: features-subset fetch URL USER PASSWORD DIR | compare DIR".into()),
    }
}

/// Which build this is.
fn build() -> &'static str {
    if cfg!(feature = "full") {
        "full"
    } else {
        "subset"
    }
}

async fn fetch(url: &str, user: &str, password: &str, dir: &std::path::Path) -> Result<()> {
    let client = Client::connect(&vim_types::API, url, ClientOptions::default()).await?;
    let root: MoRef<ServiceInstance> = MoRef::new("ServiceInstance");
    let content = client.retrieve_service_content(&root).await?;
    let sessions = content.session_manager.clone().ok_or("no SessionManager")?;
    client.login(&sessions, user, password, None).await?;
    let views = content.view_manager.clone().ok_or("no ViewManager")?;
    let kinds = ["VirtualMachine".to_string(), "HostSystem".to_string()];
    let view = client.create_container_view(&views, &content.root_folder.upcast(), &kinds, true).await?;

    let spec = PropertyFilterSpec {
        prop_set: vec![
            PropertySpec {
                r#type: "VirtualMachine".into(),
                path_set: ["name", "config", "summary", "runtime", "guest", "layoutEx", "storage"].map(String::from).to_vec(),
                ..Default::default()
            },
            PropertySpec {
                r#type: "HostSystem".into(),
                path_set: ["name", "summary", "hardware", "runtime", "config", "capability"].map(String::from).to_vec(),
                ..Default::default()
            },
        ],
        object_set: vec![ObjectSpec {
            obj: view.untyped(),
            skip: Some(true),
            // TraversalSpec is nested in PropertyCollector: the feature property-collector has it.
            select_set: vec![AnySelectionSpec::TraversalSpec(Box::new(TraversalSpec {
                r#type: "ContainerView".into(),
                path: "view".into(),
                ..Default::default()
            }))],
            ..Default::default()
        }],
        ..Default::default()
    };
    let request = methods::RetrievePropertiesExRequest { spec_set: std::slice::from_ref(&spec), options: &RetrieveOptions::default() };
    let body = request_body::<methods::RetrievePropertiesEx>(&content.property_collector.untyped(), &request);
    let (status, response) = client.send_raw(body).await?;
    if status != 200 {
        return Err(format!("RetrievePropertiesEx answered HTTP {status}").into());
    }
    let (result, report) = decode_response_with_report::<methods::RetrievePropertiesEx>(&response, &DecodeOptions::default());
    let result = result?;
    let objects = result.as_ref().map_or(0, |r| r.objects.len());
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("response.xml"), &response)?;
    std::fs::write(dir.join(format!("rewrite-{}.xml", build())), rewrite(&result))?;
    println!(
        "{}: {objects} objects, {} bytes; values of classes not compiled (kept as Unknown): {}",
        build(),
        response.len(),
        report.unknown_types
    );
    client.destroy_view(&view).await?;
    client.logout(&sessions).await?;
    if objects == 0 {
        return Err("vcsim listed no VM or host".into());
    }
    if !cfg!(feature = "full") && report.unknown_types == 0 {
        return Err("no value of a compiled-out class met: the test would prove nothing".into());
    }
    Ok(())
}

/// A decoded result written back as the response it came in.
fn rewrite(result: &Option<RetrieveResult>) -> Vec<u8> {
    let mut w = Writer::new();
    w.buf.extend_from_slice(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" "#,
            r#"xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            r#"<soapenv:Body><RetrievePropertiesExResponse xmlns="urn:vim25">"#,
        )
        .as_bytes(),
    );
    w.opt("returnval", result);
    w.buf.extend_from_slice(b"</RetrievePropertiesExResponse></soapenv:Body></soapenv:Envelope>");
    w.buf
}

fn decode(path: &std::path::Path) -> Result<(Option<RetrieveResult>, u64)> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (result, report) = decode_response_with_report::<methods::RetrievePropertiesEx>(&bytes, &DecodeOptions::default());
    Ok((result.map_err(|e| format!("{}: {e}", path.display()))?, report.unknown_types))
}

fn compare(dir: &std::path::Path) -> Result<()> {
    if !cfg!(feature = "full") {
        return Err("compare needs the build with --features full".into());
    }
    let (original, unknown) = decode(&dir.join("response.xml"))?;
    let (from_subset, _) = decode(&dir.join("rewrite-subset.xml"))?;
    if original != from_subset {
        // Name the first property that differs.
        let objects = |r: &Option<RetrieveResult>| r.as_ref().map(|r| r.objects.clone()).unwrap_or_default();
        for (a, b) in objects(&original).iter().zip(objects(&from_subset).iter()) {
            for (p, q) in a.prop_set.iter().zip(&b.prop_set) {
                if p != q {
                    let (p, q) = (format!("{:?}", p.val), format!("{:?}", q.val));
                    let at = p.bytes().zip(q.bytes()).position(|(x, y)| x != y).unwrap_or(0).saturating_sub(200);
                    let cut = |s: &str| s.get(at..(at + 800).min(s.len())).unwrap_or("").to_string();
                    eprintln!("{} {}: differs\n  response: ...{}\n  rewrite:  ...{}", a.obj.value, p.len(), cut(&p), cut(&q));
                    break;
                }
            }
        }
        return Err("the subset's rewrite decodes (with the full API) to other values than the response".into());
    }
    let full = rewrite(&original);
    let subset = std::fs::read(dir.join("rewrite-subset.xml"))?;
    std::fs::write(dir.join("rewrite-full.xml"), &full)?;
    let objects = original.as_ref().map_or(0, |r| r.objects.len());
    if full == subset {
        println!(
            "full: {objects} objects equal; the subset's rewrite is byte-identical to the full API's ({} bytes; {unknown} unknown classes)",
            full.len()
        );
    } else {
        let at = full.iter().zip(&subset).position(|(a, b)| a != b).unwrap_or(full.len().min(subset.len()));
        println!(
            "full: {objects} objects equal; the rewrites differ in bytes from offset {at} ({} and {} bytes; {unknown} unknown classes)",
            full.len(),
            subset.len()
        );
    }
    Ok(())
}
