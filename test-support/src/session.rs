//! Session conveniences over the generated client traits, for the workspace's tests: the
//! service content, login/logout, and reading properties of one object. Named apart from the
//! generated methods (`login_as`, not `login`), so that both traits can be in scope.

use vim_client::{Client, TransportError};
use vim_types::{
    AnyMethodFault, ContinueRetrievePropertiesExFault, DynamicProperty, Error, LoginFault, LogoutFault, ManagedObjectReference, MoRef,
    ObjectContent, ObjectSpec, PropertyCollectorClient, PropertyFilterSpec, PropertySpec, RetrieveOptions, RetrievePropertiesExFault,
    RetrieveResult, RetrieveServiceContentFault, ServiceContent, ServiceInstance, ServiceInstanceClient, SessionManager,
    SessionManagerClient, UserSession,
};

/// The root object `ServiceInstance`.
pub fn service_instance() -> MoRef<ServiceInstance> {
    MoRef::new("ServiceInstance")
}

/// Session conveniences on a [`Client`].
#[allow(async_fn_in_trait)]
pub trait Session {
    /// `RetrieveServiceContent` on the `ServiceInstance`.
    async fn content(&self) -> Result<ServiceContent, Error<RetrieveServiceContentFault>>;
    /// `SessionManager.Login` with a user name and password; the client keeps the cookie.
    async fn login_as(&self, user: &str, password: &str) -> Result<UserSession, Error<LoginFault>>;
    /// `SessionManager.Logout`.
    async fn log_out(&self) -> Result<(), Error<LogoutFault>>;
    /// The values of `paths` on one object; unset or unreadable properties are absent.
    async fn read_properties(
        &self,
        obj: &ManagedObjectReference,
        paths: &[&str],
    ) -> Result<Vec<DynamicProperty>, Error<RetrievePropertiesExFault>>;
    /// The whole `ObjectContent` of one object (with `missingSet`), through
    /// RetrievePropertiesEx and its continuation pages.
    async fn read_object(
        &self,
        obj: &ManagedObjectReference,
        paths: &[&str],
    ) -> Result<Option<ObjectContent>, Error<RetrievePropertiesExFault>>;
}

impl Session for Client {
    async fn content(&self) -> Result<ServiceContent, Error<RetrieveServiceContentFault>> {
        self.retrieve_service_content(&service_instance()).await
    }

    async fn login_as(&self, user: &str, password: &str) -> Result<UserSession, Error<LoginFault>> {
        let sm = session_manager(self).await?;
        SessionManagerClient::login(self, &sm, user, password, None).await
    }

    async fn log_out(&self) -> Result<(), Error<LogoutFault>> {
        let sm = session_manager(self).await?;
        SessionManagerClient::logout(self, &sm).await?;
        self.set_session_cookie(None);
        Ok(())
    }

    async fn read_properties(
        &self,
        obj: &ManagedObjectReference,
        paths: &[&str],
    ) -> Result<Vec<DynamicProperty>, Error<RetrievePropertiesExFault>> {
        Ok(self.read_object(obj, paths).await?.map(|c| c.prop_set).unwrap_or_default())
    }

    async fn read_object(
        &self,
        obj: &ManagedObjectReference,
        paths: &[&str],
    ) -> Result<Option<ObjectContent>, Error<RetrievePropertiesExFault>> {
        let collector = self.content().await.map_err(from_service_content)?.property_collector;
        let spec = PropertyFilterSpec {
            prop_set: vec![PropertySpec {
                r#type: obj.type_name.clone(),
                all: Some(false),
                path_set: paths.iter().map(|p| p.to_string()).collect(),
                ..Default::default()
            }],
            object_set: vec![ObjectSpec { obj: obj.clone(), skip: Some(false), ..Default::default() }],
            ..Default::default()
        };
        let mut objects = Vec::new();
        let first = self.retrieve_properties_ex(&collector, std::slice::from_ref(&spec), &RetrieveOptions::default()).await?;
        let mut page = collector_page(first);
        loop {
            let (batch, token) = page;
            objects.extend(batch);
            let Some(token) = token else { break };
            let next = self.continue_retrieve_properties_ex(&collector, &token).await.map_err(|e| {
                map_fault(e, |f| match f {
                    ContinueRetrievePropertiesExFault::InvalidProperty(x) => RetrievePropertiesExFault::InvalidProperty(x),
                    ContinueRetrievePropertiesExFault::Other(x) => RetrievePropertiesExFault::Other(x),
                })
            })?;
            page = collector_page(Some(next));
        }
        // The object asked for; a page boundary may split its properties over two entries.
        let mut merged: Option<ObjectContent> = None;
        for content in objects.into_iter().filter(|c| c.obj.value == obj.value) {
            match &mut merged {
                None => merged = Some(content),
                Some(m) => {
                    m.prop_set.extend(content.prop_set);
                    m.missing_set.extend(content.missing_set);
                }
            }
        }
        Ok(merged)
    }
}

async fn session_manager<G: From<AnyMethodFault>>(client: &Client) -> Result<MoRef<SessionManager>, Error<G>> {
    let content = client.content().await.map_err(from_service_content)?;
    content
        .session_manager
        .ok_or_else(|| Error::Transport(Box::new(TransportError::Protocol("the server's ServiceContent has no sessionManager".into()))))
}

/// Carries an error over to another method's fault type.
fn map_fault<F, G>(e: Error<F>, f: impl FnOnce(F) -> G) -> Error<G> {
    match e {
        Error::Fault(x) => Error::Fault(f(x)),
        Error::VersionTooOld { method, since, negotiated } => Error::VersionTooOld { method, since, negotiated },
        Error::ParameterTooNew { method, parameter, since, negotiated } => Error::ParameterTooNew { method, parameter, since, negotiated },
        Error::ServerFault { code, message } => Error::ServerFault { code, message },
        Error::Decode(d) => Error::Decode(d),
        Error::Transport(b) => Error::Transport(b),
    }
}

fn from_service_content<G: From<AnyMethodFault>>(e: Error<RetrieveServiceContentFault>) -> Error<G> {
    map_fault(e, |RetrieveServiceContentFault::Other(f)| G::from(f))
}

fn collector_page(result: Option<RetrieveResult>) -> (Vec<ObjectContent>, Option<String>) {
    match result {
        Some(r) => (r.objects, r.token),
        None => (Vec::new(), None),
    }
}
