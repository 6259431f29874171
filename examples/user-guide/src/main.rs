//! A first program on the full vSphere API: connect, log in, list the virtual machines with
//! their power state through a ContainerView, power one off and on again through its tasks,
//! read its events, log out.
//!
//! ```sh
//! cargo run -- https://vcenter.example.com/sdk administrator@vsphere.local 'secret' [--insecure]
//! ```

use std::time::Duration;

use vim_client::{Client, ClientOptions, TlsMode};
use vim_types::*;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, user, password, rest @ ..] = args.as_slice() else {
        return Err("usage: user-guide URL USER PASSWORD [--insecure]".into());
    };
    let tls = if rest.iter().any(|a| a == "--insecure") { TlsMode::AcceptInvalid } else { TlsMode::Verify };

    // 1. Connect (the API version is negotiated with the server) and log in.
    let client = Client::connect(&vim_types::API, url, ClientOptions { tls, ..ClientOptions::default() }).await?;
    let root: MoRef<ServiceInstance> = MoRef::new("ServiceInstance");
    let content = client.retrieve_service_content(&root).await?;
    let sessions = content.session_manager.clone().ok_or("no SessionManager")?;
    let me = client.login(&sessions, user, password, None).await?;
    println!("logged in as {} (API {})", me.user_name, client.api_version().version());

    // 2. Every VM with its name and power state: a ContainerView over the inventory, read
    //    with one RetrievePropertiesEx (and its continuation pages).
    let views = content.view_manager.clone().ok_or("no ViewManager")?;
    let kinds = ["VirtualMachine".to_string()];
    let view = client.create_container_view(&views, &content.root_folder.upcast(), &kinds, true).await?;
    let vms = list_vms(&client, &content.property_collector, &view).await?;
    client.destroy_view(&view).await?;
    for (vm, name, state) in &vms {
        println!("{:<24} {:<12} {}", name, state, vm.value);
    }
    let (vm, name, _) = vms.iter().find(|(_, _, s)| s == "poweredOn").ok_or("no powered-on VM")?;

    // 3. Power it off and on again; each call returns a Task, which we wait for.
    let task = client.power_off_vm(vm).await?;
    wait(&client, &content.property_collector, &task).await?;
    println!("{name}: powered off");
    let task = client.power_on_vm(vm, None).await?;
    wait(&client, &content.property_collector, &task).await?;
    println!("{name}: powered on");

    // 4. Its events, as the server lists them (vCenter and vcsim: newest first).
    let events = content.event_manager.clone().ok_or("no EventManager")?;
    let filter = EventFilterSpec {
        entity: Some(EventFilterSpecByEntity { entity: vm.upcast(), recursion: EventFilterSpecRecursionOption::Self_, ..Default::default() }),
        ..Default::default()
    };
    for event in client.query_events(&events, &filter).await? {
        match &event {
            AnyEvent::VmPoweredOffEvent(e) => println!("event {}: {}", e.created_time.0, e.full_formatted_message.as_deref().unwrap_or("")),
            AnyEvent::VmPoweredOnEvent(e) => println!("event {}: {}", e.created_time.0, e.full_formatted_message.as_deref().unwrap_or("")),
            other => println!("event {}", other.type_name()),
        }
    }

    // 5. Log out: the server frees the session at once.
    client.logout(&sessions).await?;
    println!("logged out");
    Ok(())
}

/// The VMs of a view: (reference, name, power state).
async fn list_vms(client: &Client, collector: &MoRef<PropertyCollector>, view: &MoRef<ContainerView>) -> Result<Vec<(MoRef<VirtualMachine>, String, String)>> {
    let spec = PropertyFilterSpec {
        prop_set: vec![PropertySpec { r#type: "VirtualMachine".into(), path_set: vec!["name".into(), "runtime.powerState".into()], ..Default::default() }],
        object_set: vec![ObjectSpec {
            obj: view.untyped(),
            skip: Some(true),
            select_set: vec![AnySelectionSpec::TraversalSpec(Box::new(TraversalSpec {
                r#type: "ContainerView".into(),
                path: "view".into(),
                ..Default::default()
            }))],
            ..Default::default()
        }],
        ..Default::default()
    };
    let mut vms = Vec::new();
    let mut page = client.retrieve_properties_ex(collector, std::slice::from_ref(&spec), &RetrieveOptions::default()).await?;
    while let Some(result) = page {
        for object in result.objects {
            let (mut name, mut state) = (String::new(), String::new());
            for p in object.prop_set {
                match (p.name.as_str(), p.val) {
                    ("name", AnyValue::String(s)) => name = s,
                    ("runtime.powerState", AnyValue::Enum { value, .. }) => state = value,
                    _ => {}
                }
            }
            vms.push((MoRef::from_untyped(object.obj), name, state));
        }
        page = match result.token {
            Some(token) => Some(client.continue_retrieve_properties_ex(collector, &token).await?),
            None => None,
        };
    }
    Ok(vms)
}

/// Waits for a task to end by reading its `info` every 100 ms (for 2 minutes at most);
/// a failed task's fault becomes the error.
async fn wait(client: &Client, collector: &MoRef<PropertyCollector>, task: &MoRef<Task>) -> Result<()> {
    let spec = PropertyFilterSpec {
        prop_set: vec![PropertySpec { r#type: "Task".into(), path_set: vec!["info".into()], ..Default::default() }],
        object_set: vec![ObjectSpec { obj: task.untyped(), ..Default::default() }],
        ..Default::default()
    };
    for _ in 0..1200 {
        let result = client.retrieve_properties_ex(collector, std::slice::from_ref(&spec), &RetrieveOptions::default()).await?;
        let info = result.into_iter().flat_map(|r| r.objects).flat_map(|o| o.prop_set).find_map(|p| match p.val {
            AnyValue::Data(AnyData::TaskInfo(info)) => Some(info),
            _ => None,
        });
        if let Some(info) = info {
            match info.state {
                TaskInfoState::Success => return Ok(()),
                TaskInfoState::Error => return Err(format!("task {} failed: {:?}", task.value, info.error).into()),
                _ => {}
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!("task {} did not end within 2 minutes", task.value).into())
}
