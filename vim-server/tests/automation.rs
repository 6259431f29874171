//! vim-client's typed property reads against vimsim: a ReadOnly user's read of a property it
//! may not see fails naming the privilege vimsim reported (`NoPermission.privilegeId` in the
//! `missingSet`), and the common error keeps typed call faults for `?`.

mod common;

use vim_client::{Client, ClientOptions};
use vim_types::{MoRef, SessionManager, UserSession};
use vimgen_test_support::session::Session;

#[test]
fn read_only_user_is_told_the_missing_privilege() {
    let server = common::vimsim(&[]);
    common::runtime().block_on(async {
        let client = Client::connect(&vim_types::API, &server.url, ClientOptions::default()).await.unwrap();
        client.login_as("viewer", "pw").await.unwrap();
        let content = client.content().await.unwrap();
        let sm: MoRef<SessionManager> = content.session_manager.unwrap();

        // A property ReadOnly may read, typed.
        let current: Option<UserSession> = client.read(&sm, &SessionManager::current_session()).await.ok();
        assert_eq!(current.map(|s| s.user_name).as_deref(), Some("viewer"));

        // One it may not: the error names the privilege.
        let objs = [sm.clone()];
        let found = client.retrieve_objects(&objs, &[&SessionManager::session_list()]).all().await.unwrap();
        assert_eq!(found.len(), 1);
        let err = found[0].get(&SessionManager::session_list()).unwrap_err();
        assert_eq!(err.privilege(), Some("Sessions.TerminateSession"), "{err}");
        assert_eq!(err.fault_class(), Some("NoPermission"));
        assert!(err.to_string().contains("Sessions.TerminateSession"), "{err}");

        // The same read as Admin succeeds.
        let admin = Client::connect(&vim_types::API, &server.url, ClientOptions::default()).await.unwrap();
        admin.login_as("admin", "secret").await.unwrap();
        let sessions = admin.read(&sm, &SessionManager::session_list()).await.unwrap();
        assert!(sessions.len() >= 2, "{sessions:?}");

        // Paging: vimsim honours maxObjects; the same object three times is three results,
        // one per page (RetrievePropertiesEx, then ContinueRetrievePropertiesEx twice).
        let three = [sm.clone(), sm.clone(), sm.clone()];
        let mut pages = admin.retrieve_objects(&three, &[&SessionManager::current_session()]).page_size(1).pages().await.unwrap();
        let mut sizes = Vec::new();
        while let Some(page) = pages.next().await.unwrap() {
            for o in &page {
                assert_eq!(o.get(&SessionManager::current_session()).unwrap().user_name, "admin");
            }
            sizes.push(page.len());
        }
        assert_eq!(sizes, [1, 1, 1]);
        let all = admin.retrieve_objects(&three, &[&SessionManager::current_session()]).page_size(2).all().await.unwrap();
        assert_eq!(all.len(), 3);
        // A page left unread: its token is cancelled when the pages are dropped.
        let mut pages = admin.retrieve_objects(&three, &[&SessionManager::current_session()]).page_size(1).pages().await.unwrap();
        assert_eq!(pages.next().await.unwrap().map(|p| p.len()), Some(1));
        drop(pages);

        // A typed call's fault through the common error: a bad login keeps its class.
        let third = Client::connect(&vim_types::API, &server.url, ClientOptions::default()).await.unwrap();
        let err: vim_client::Error = third.login_as("admin", "wrong").await.unwrap_err().into();
        assert_eq!(err.fault_class(), Some("InvalidLogin"), "{err}");
        assert!(matches!(err.fault::<vim_types::LoginFault>(), Some(vim_types::LoginFault::InvalidLogin(_))), "{err:?}");
    });
}
