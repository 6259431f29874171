//! vim-client's helpers against vcsim on the full 5.5 API, run by `cargo xtask test`:
//! typed reads with paging, the finder, a failing task's typed fault, 50 tasks waited on at
//! once, a change stream that sees another session's power change and survives the loss of
//! its collector, events through their base class, and `?` across calls. Every step asserts;
//! a failure exits non-zero with the step's name.
//!
//! ```sh
//! cargo run --bin check -- URL USER PASSWORD
//! ```

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use vim_client::{Client, ClientOptions, Error, Result, TaskState};
use vim_types::*;

macro_rules! check {
    ($cond:expr, $($msg:tt)*) => {
        if !$cond {
            return Err(Error::Other(format!("check failed: {} ({})", stringify!($cond), format!($($msg)*))));
        }
    };
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

async fn login(url: &str, user: &str, password: &str) -> Result<(Client, MoRef<SessionManager>)> {
    let client = Client::connect(&API, url, ClientOptions::default()).await?;
    let content = client.retrieve_service_content(&MoRef::<ServiceInstance>::new("ServiceInstance")).await?;
    let sessions = content.session_manager.ok_or(Error::NotFound("SessionManager".into()))?;
    client.login(&sessions, user, password, None).await?;
    Ok((client, sessions))
}

async fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, user, password] = args.as_slice() else { return Err(Error::Other("usage: check URL USER PASSWORD".into())) };
    let (client, sessions) = login(url, user, password).await?;
    let (other, other_sessions) = login(url, user, password).await?;
    let root = client.core().await?.root_folder;

    // Typed reads of every VM, asking for one object per page (vcsim ignores maxObjects and
    // answers in one page; paging itself is checked against vimsim, which honours it).
    let view = client.view::<VirtualMachine>(&MoRef::<Folder>::from_untyped(root.clone())).await?;
    let state = VirtualMachine::runtime().field::<VirtualMachinePowerState>("powerState");
    let mut pages = client.retrieve(&view, &[&ManagedEntity::name(), &state, &VirtualMachine::datastore()]).page_size(1).pages().await?;
    let (mut vms, mut page_count) = (Vec::new(), 0);
    while let Some(page) = pages.next().await? {
        page_count += 1;
        vms.extend(page);
    }
    let all = client.retrieve(&view, &[&ManagedEntity::name()]).all().await?;
    view.destroy().await?;
    check!(
        vms.len() >= 2 && vms.len() == all.len() && page_count >= 1,
        "{} VMs in {page_count} pages, {} in one read",
        vms.len(),
        all.len()
    );
    for vm in &vms {
        check!(!vm.get(&VirtualMachine::datastore())?.is_empty(), "{:?} has no datastore", vm.obj);
    }
    println!("typed reads: {} VMs in {page_count} pages", vms.len());
    let on = vms
        .iter()
        .find(|o| o.get(&state).is_ok_and(|s| *s == VirtualMachinePowerState::PoweredOn))
        .ok_or(Error::NotFound("a powered-on VM".into()))?;
    let (vm, name) = (on.obj.clone(), on.get(&ManagedEntity::name())?.clone());
    println!("poweredOn VM: {name} ({})", vm.value);

    // Finder.
    let found: MoRef<VirtualMachine> = client.find(&format!("/DC0/vm/{name}")).await?;
    check!(found == vm, "found {found:?}");
    check!(matches!(client.find::<Folder>(&format!("/DC0/vm/{name}")).await, Err(Error::WrongType { .. })), "a VM typed as a Folder");
    check!(matches!(client.find_any("/DC0/vm/no-such-vm").await, Err(Error::NotFound(_))), "a missing path");
    check!(client.find_by_name::<VirtualMachine>(&name).await? == vec![vm.clone()], "by name");
    let entries: Vec<String> = client.list("/DC0").await?.into_iter().map(|e| e.name).collect();
    check!(["vm", "host", "datastore", "network"].iter().all(|n| entries.iter().any(|e| e == n)), "ls /DC0: {entries:?}");
    check!(client.downcast::<ManagedEntity>(&vm.untyped()).is_ok() && client.downcast::<HostSystem>(&vm.untyped()).is_err(), "downcast");
    println!("finder: /DC0 holds {entries:?}");

    // A failing task gives the method's own fault enum.
    let task = client.power_on_vm(&vm, None).await?;
    match client.wait::<methods::PowerOnVM>(&task).await {
        Err(vim_types::Error::Fault(PowerOnVMFault::InvalidState(AnyInvalidState::InvalidPowerState(f)))) => {
            println!("failing task: InvalidPowerState (requested {:?})", f.requested_state)
        }
        other => check!(false, "powering on a powered-on VM gave {other:?}"),
    }

    // A change stream sees the other session's power-off, then survives losing its collector.
    let mut changes = client.watch(std::slice::from_ref(&vm), &[&state]).await?;
    let first = changes.next().await?;
    check!(first.iter().any(|c| c.get(&state).ok().flatten() == Some(VirtualMachinePowerState::PoweredOn)), "first batch {first:?}");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let task = other.power_off_vm(&vm).await?;
    let log = seen.clone();
    other.wait::<methods::PowerOffVM>(&task).progress(move |p| log.lock().unwrap().push(p.state)).await?;
    check!(seen.lock().unwrap().last() == Some(&TaskState::Success), "progress reports {:?}", seen.lock().unwrap());
    let batch = changes.next_within(Some(Duration::from_secs(30))).await?.unwrap_or_default();
    check!(
        batch.iter().any(|c| c.get(&state).ok().flatten() == Some(VirtualMachinePowerState::PoweredOff)),
        "after the power-off: {batch:?}"
    );
    println!("change stream: saw {name} powered off by another session (version {})", changes.version());
    changes.lose_collector_for_test().await?;
    let task = other.power_on_vm(&vm, None).await?;
    other.wait::<methods::PowerOnVM>(&task).await?;
    let batch = changes.next_within(Some(Duration::from_secs(30))).await?.unwrap_or_default();
    check!(
        batch.iter().any(|c| c.get(&state).ok().flatten() == Some(VirtualMachinePowerState::PoweredOn)),
        "after the collector was lost: {batch:?}"
    );
    println!("change stream: resumed on a new collector, saw {name} powered on");
    changes.close().await;

    // The same as a futures `Stream`, polled by hand (no futures-util here).
    let mut stream = client.watch(std::slice::from_ref(&vm), &[&state]).await?.into_stream();
    let first = std::future::poll_fn(|cx| futures_core::Stream::poll_next(std::pin::Pin::new(&mut stream), cx)).await;
    let first = first.ok_or(Error::Other("the stream ended".into()))??;
    check!(
        first.iter().any(|c| c.get(&state).ok().flatten() == Some(VirtualMachinePowerState::PoweredOn)),
        "the stream's first batch {first:?}"
    );
    drop(stream);

    // 50 tasks waited on at once through one client.
    let started = Instant::now();
    let mut handles = Vec::new();
    for i in 0..50 {
        let (client, vm) = (client.clone(), vm.clone());
        handles.push(tokio::spawn(async move {
            let task = client.rename(&vm, &format!("renamed-{i}")).await?;
            client.wait::<methods::Rename>(&task).await.map_err(Error::from)
        }));
    }
    let mut ok = 0;
    for h in handles {
        h.await.map_err(|e| Error::Other(e.to_string()))??;
        ok += 1;
    }
    check!(ok == 50, "{ok} of 50 tasks");
    println!("50 concurrent tasks: all succeeded in {:.2} s", started.elapsed().as_secs_f64());
    let task = client.rename(&vm, &name).await?;
    let done = client.wait::<methods::Rename>(&task).timeout(Duration::from_secs(60)).await?;
    check!(done.value::<AnyValue>()?.is_none(), "Rename has no result");
    let late = client.wait::<methods::Rename>(&task).timeout(Duration::ZERO).await.map_err(Error::from);
    check!(matches!(late, Err(Error::Timeout { .. })), "a wait with no time left gave {late:?}");
    check!(client.read(&vm, &ManagedEntity::name()).await? == name, "renamed back");

    // `?` across calls: a duplicate folder's fault, typed, through the common error.
    let vm_folder: MoRef<Folder> = client.find("/DC0/vm").await?;
    let folder = client.create_folder(&vm_folder, "automation-check").await?;
    let err: Error = client.create_folder(&vm_folder, "automation-check").await.map(drop).map_err(Error::from).unwrap_err();
    check!(
        matches!(err.fault::<CreateFolderFault>(), Some(CreateFolderFault::DuplicateName(_))) && err.fault_class() == Some("DuplicateName"),
        "{err:?}"
    );
    let task = client.destroy(&folder).await?;
    client.wait::<methods::Destroy>(&task).await?;
    println!("common error: {err}");

    // Events through their base class: every event's time and message, no match.
    let events = client.core().await?.event_manager.ok_or(Error::NotFound("EventManager".into()))?;
    let filter = EventFilterSpec {
        entity: Some(EventFilterSpecByEntity {
            entity: vm.upcast(),
            recursion: EventFilterSpecRecursionOption::Self_,
            ..Default::default()
        }),
        ..Default::default()
    };
    let list = client.query_events(&MoRef::<EventManager>::from_untyped(events), &filter).await?;
    check!(!list.is_empty(), "no events");
    for e in &list {
        let at = e.created_time().to_system_time()?;
        check!(at <= SystemTime::now() + Duration::from_secs(3600), "an event from the future: {}", e.created_time());
    }
    let messages = list.iter().filter(|e| e.full_formatted_message().is_some()).count();
    println!("events: {} read, {messages} with a message, newest at {}", list.len(), list[0].created_time());

    other.logout(&other_sessions).await?;
    client.logout(&sessions).await?;
    println!("all checks passed");
    Ok(())
}
