//! Lists, shows and ends vSphere sessions.
//!
//! ```sh
//! cargo run -p vim-client --example sessions -- --url https://vc/sdk --user U --password P [--insecure] whoami
//! cargo run -p vim-client --example sessions -- --url ... list
//! cargo run -p vim-client --example sessions -- --url ... terminate KEY
//! ```
//! `--insecure` accepts any certificate; `--pin AB:CD:...` accepts exactly one (its SHA-256).

use std::process::ExitCode;
use std::time::Duration;

use vim_client::{Client, ClientOptions, TlsMode};
use vim_types::{AnyData, AnyValue, Error, LoginFault, SessionManagerClient, TerminateSessionFault, UserSession};
use vimgen_test_support::Session;

const USAGE: &str = "usage: sessions --url URL --user USER --password PASSWORD [--insecure | --pin SHA256] [--timeout SECS] \
                     (whoami | list | terminate KEY)";

struct Args {
    url: String,
    user: String,
    password: String,
    tls: TlsMode,
    timeout: Duration,
    command: Command,
}

enum Command {
    WhoAmI,
    List,
    Terminate(String),
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let (mut url, mut user, mut password) = (None, None, None);
    let mut tls = TlsMode::Verify;
    let mut timeout = Duration::from_secs(60);
    let mut positional = Vec::new();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--url" => url = Some(value("--url")?),
            "--user" => user = Some(value("--user")?),
            "--password" => password = Some(value("--password")?),
            "--insecure" => tls = TlsMode::AcceptInvalid,
            "--pin" => {
                let v = value("--pin")?;
                tls = TlsMode::pin_from_hex(&v).ok_or(format!("--pin wants 64 hex digits, got `{v}`"))?;
            }
            "--timeout" => {
                let v = value("--timeout")?;
                let secs: f64 = v.parse().map_err(|_| format!("--timeout wants seconds, got `{v}`"))?;
                timeout = Duration::from_secs_f64(secs);
            }
            "-h" | "--help" => return Err(String::new()),
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ => positional.push(arg),
        }
    }
    let command = match positional.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["whoami"] => Command::WhoAmI,
        ["list"] => Command::List,
        ["terminate", key] => Command::Terminate(key.to_string()),
        [] => return Err("no command given".into()),
        other => return Err(format!("unknown command `{}`", other.join(" "))),
    };
    Ok(Args {
        url: url.ok_or("--url is required")?,
        user: user.ok_or("--user is required")?,
        password: password.ok_or("--password is required")?,
        tls,
        timeout,
        command,
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("error: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let options = ClientOptions { tls: args.tls, timeout: args.timeout, ..ClientOptions::default() };
    let client = Client::connect(&vim_types::API, &args.url, options).await.map_err(|e| e.to_string())?;
    match client.login_as(&args.user, &args.password).await {
        Ok(_) => {}
        Err(Error::Fault(LoginFault::InvalidLogin(_))) => return Err("login failed: wrong user name or password".into()),
        Err(e) => return Err(format!("login failed: {e}")),
    }
    let result = command(&client, &args.command).await;
    // Log out whatever happened, so the session does not linger on the server.
    if let Err(e) = client.log_out().await {
        eprintln!("warning: logout failed: {e}");
    }
    result
}

async fn command(client: &Client, command: &Command) -> Result<(), String> {
    let content = client.content().await.map_err(|e| e.to_string())?;
    let sm = content.session_manager.ok_or("the server has no SessionManager")?;
    match command {
        Command::WhoAmI => {
            let props = client.read_properties(&sm.untyped(), &["currentSession"]).await.map_err(|e| e.to_string())?;
            let session = props.iter().find(|p| p.name == "currentSession").and_then(|p| user_session(&p.val));
            match session {
                Some(s) => {
                    println!("key:        {}", s.key);
                    println!("user:       {}", s.user_name);
                    println!("full name:  {}", s.full_name);
                    println!("login time: {}", s.login_time.0);
                    println!("last active:{}", s.last_active_time.0);
                    println!("client:     {} ({})", s.ip_address, s.user_agent);
                }
                None => println!("no current session (the server did not return one)"),
            }
        }
        Command::List => {
            let props = client.read_properties(&sm.untyped(), &["sessionList"]).await.map_err(|e| e.to_string())?;
            let sessions: Vec<&UserSession> = match props.iter().find(|p| p.name == "sessionList").map(|p| &p.val) {
                Some(AnyValue::Array { items, .. }) => items.iter().filter_map(user_session).collect(),
                Some(other) => user_session(other).into_iter().collect(),
                None => Vec::new(),
            };
            println!("{:<40} {:<32} LOGIN TIME", "KEY", "USER");
            for s in &sessions {
                println!("{:<40} {:<32} {}", s.key, s.user_name, s.login_time.0);
            }
            println!("{} session(s)", sessions.len());
        }
        Command::Terminate(key) => match client.terminate_session(&sm, std::slice::from_ref(key)).await {
            Ok(()) => println!("terminated {key}"),
            Err(Error::Fault(TerminateSessionFault::NotFound(_))) => return Err(format!("no session with key {key}")),
            Err(e) => return Err(format!("TerminateSession failed: {e}")),
        },
    }
    Ok(())
}

fn user_session(v: &AnyValue) -> Option<&UserSession> {
    match v {
        AnyValue::Data(AnyData::UserSession(s)) => Some(s),
        _ => None,
    }
}
