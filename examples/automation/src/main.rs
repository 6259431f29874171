//! A small govc-like CLI on vim-client's helpers: finder, typed reads, tasks with progress,
//! change streams.
//!
//! ```sh
//! automation URL USER PASSWORD [--insecure] ls /DC0/vm
//! automation URL USER PASSWORD info /DC0/vm/DC0_H0_VM0
//! automation URL USER PASSWORD power off /DC0/vm/DC0_H0_VM0
//! automation URL USER PASSWORD watch [--seconds N] /DC0/vm/DC0_H0_VM0 runtime.powerState
//! ```

use std::time::Duration;

use vim_client::{Client, ClientOptions, Error, Result, TlsMode};
use vim_types::*;

const USAGE: &str =
    "usage: automation URL USER PASSWORD [--insecure] (ls PATH | info PATH | power on|off PATH | watch [--seconds N] PATH PROPERTY...)";

#[tokio::main(flavor = "current_thread")]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

async fn run() -> Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let insecure = args.iter().any(|a| a == "--insecure");
    args.retain(|a| a != "--insecure");
    let [url, user, password, command @ ..] = args.as_slice() else { return Err(Error::Other(USAGE.into())) };
    let tls = if insecure { TlsMode::AcceptInvalid } else { TlsMode::Verify };
    let client = Client::connect(&API, url, ClientOptions { tls, ..ClientOptions::default() }).await?;
    let content = client.retrieve_service_content(&MoRef::<ServiceInstance>::new("ServiceInstance")).await?;
    let sessions = content.session_manager.ok_or(Error::NotFound("SessionManager".into()))?;
    client.login(&sessions, user, password, None).await?;
    let done = match command.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["ls", path] => ls(&client, path).await,
        ["info", path] => info(&client, path).await,
        ["power", on_off @ ("on" | "off"), path] => power(&client, *on_off == "on", path).await,
        ["watch", "--seconds", n, path, props @ ..] if !props.is_empty() => {
            let n = n.parse().map_err(|_| Error::Other(format!("--seconds {n}: not a number")))?;
            watch(&client, path, props, Some(Duration::from_secs(n))).await
        }
        ["watch", path, props @ ..] if !props.is_empty() => watch(&client, path, props, None).await,
        _ => Err(Error::Other(USAGE.into())),
    };
    client.logout(&sessions).await?;
    done
}

async fn ls(client: &Client, path: &str) -> Result<()> {
    for entry in client.list(path).await? {
        println!("{}/{}\t{}", path.trim_end_matches('/'), entry.name, entry.obj.type_name);
    }
    Ok(())
}

async fn info(client: &Client, path: &str) -> Result<()> {
    let obj = client.find_any(path).await?;
    let entity: MoRef<ManagedEntity> = client.downcast(&obj)?;
    let found = client.retrieve_objects(&[entity], &[&ManagedEntity::name(), &ManagedEntity::overall_status()]).all().await?;
    let o = found.first().ok_or(Error::NotFound(path.into()))?;
    println!("Name:     {}", o.get(&ManagedEntity::name())?);
    println!("Type:     {}", obj.type_name);
    println!("Status:   {}", o.get(&ManagedEntity::overall_status())?.as_str());
    if let Ok(vm) = client.downcast::<VirtualMachine>(&obj) {
        let runtime = client.read(&vm, &VirtualMachine::runtime()).await?;
        println!("Power:    {}", runtime.power_state.as_str());
        if let Some(boot) = &runtime.boot_time {
            println!("Booted:   {boot} ({} s since the epoch)", boot.unix_seconds()?);
        }
    }
    Ok(())
}

async fn power(client: &Client, on: bool, path: &str) -> Result<()> {
    let vm: MoRef<VirtualMachine> = client.find(path).await?;
    let show = |p: &vim_client::TaskProgress| println!("{}: {:?} {}%", p.task, p.state, p.progress.unwrap_or(0));
    if on {
        let task = client.power_on_vm(&vm, None).await?;
        client.wait::<methods::PowerOnVM>(&task).progress(show).await?;
    } else {
        let task = client.power_off_vm(&vm).await?;
        client.wait::<methods::PowerOffVM>(&task).progress(show).await?;
    }
    println!("{path}: powered {}", if on { "on" } else { "off" });
    Ok(())
}

async fn watch(client: &Client, path: &str, props: &[&str], limit: Option<Duration>) -> Result<()> {
    let obj = client.find_any(path).await?;
    let mut changes = client.watch_paths(&obj.type_name, std::slice::from_ref(&obj), props).await?;
    let started = std::time::Instant::now();
    loop {
        let left = limit.map(|l| l.saturating_sub(started.elapsed()));
        if left == Some(Duration::ZERO) {
            break;
        }
        let Some(batch) = changes.next_within(left).await? else { break };
        for c in batch {
            let value = c.value::<AnyValue>()?;
            println!("{} {} {} = {:?}", c.obj.value, c.kind, c.path, value);
        }
    }
    changes.close().await;
    Ok(())
}
