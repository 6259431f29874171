//! A first program on the full vSphere API, the nine steps of docs/automation.md: log in,
//! list the VMs with their power state, power one off and on, see a failing task's fault,
//! create a folder twice, rename the VM, read its events, log out.
//!
//! ```sh
//! cargo run -- https://vcenter.example.com/sdk administrator@vsphere.local 'secret' [--insecure]
//! ```

use vim_client::{Client, ClientOptions, Error, Object, Result, TlsMode};
use vim_types::*;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, user, password, ..] = args.as_slice() else {
        return Err(Error::Other("usage: user-guide URL USER PASSWORD [--insecure]".into()));
    };
    let tls = if args.iter().any(|a| a == "--insecure") { TlsMode::AcceptInvalid } else { TlsMode::Verify };

    // 1. Connect (the API version is negotiated) and log in.
    let client = Client::connect(&API, url, ClientOptions { tls, ..Default::default() }).await?;
    let content = client.retrieve_service_content(&MoRef::<ServiceInstance>::new("ServiceInstance")).await?;
    let sessions = content.session_manager.clone().ok_or(Error::NotFound("SessionManager".into()))?;
    let me = client.login(&sessions, user, password, None).await?;
    println!("logged in as {} (API {})", me.user_name, client.api_version().version());

    // 2. Every VM with its power state: a ContainerView, read page by page into typed values.
    let view = client.view::<VirtualMachine>(&content.root_folder).await?;
    let vms = client.retrieve(&view, &[&ManagedEntity::name(), &VirtualMachine::runtime()]).all().await?;
    view.destroy().await?;
    for vm in &vms {
        println!("{:<24} {}", vm.get(&ManagedEntity::name())?, vm.get(&VirtualMachine::runtime())?.power_state.as_str());
    }
    let on =
        |o: &&Object<VirtualMachine>| o.get(&VirtualMachine::runtime()).is_ok_and(|r| r.power_state == VirtualMachinePowerState::PoweredOn);
    let vm = vms.iter().find(on).ok_or(Error::NotFound("a powered-on VM".into()))?.obj.clone();

    // 3, 4. Power it off and on again, waiting for each task.
    client.wait::<methods::PowerOffVM>(&client.power_off_vm(&vm).await?).await?;
    println!("powered off");
    client.wait::<methods::PowerOnVM>(&client.power_on_vm(&vm, None).await?).await?;
    println!("powered on");

    // 5. A failing task: its fault is PowerOnVM's own fault enum.
    if let Err(vim_types::Error::Fault(PowerOnVMFault::InvalidState(f))) =
        client.wait::<methods::PowerOnVM>(&client.power_on_vm(&vm, None).await?).await
    {
        println!("powering on again failed: {}", f.type_name());
    }

    // 6. Create a folder twice: the second call fails with DuplicateName.
    let folder = client.create_folder(&content.root_folder, "scratch").await?;
    if let Err(vim_types::Error::Fault(CreateFolderFault::DuplicateName(_))) = client.create_folder(&content.root_folder, "scratch").await {
        println!("folder scratch exists");
    }
    client.wait::<methods::Destroy>(&client.destroy(&folder).await?).await?;

    // 7. Rename the VM, and back.
    let name = client.read(&vm, &ManagedEntity::name()).await?;
    client.wait::<methods::Rename>(&client.rename(&vm, "renamed").await?).await?;
    client.wait::<methods::Rename>(&client.rename(&vm, &name).await?).await?;
    println!("renamed {name} and back");

    // 8. Its events: every class's time and message through the base class, no match.
    let events = content.event_manager.clone().ok_or(Error::NotFound("EventManager".into()))?;
    let by_entity = EventFilterSpecByEntity { entity: vm.upcast(), recursion: EventFilterSpecRecursionOption::Self_, ..Default::default() };
    for e in client.query_events(&events, &EventFilterSpec { entity: Some(by_entity), ..Default::default() }).await? {
        println!("event {} {}", e.created_time(), e.full_formatted_message().as_deref().unwrap_or(""));
    }

    // 9. Log out: the server frees the session at once.
    client.logout(&sessions).await?;
    println!("logged out");
    Ok(())
}
