//! Conveniences over the generated client traits: the service content, login/logout, and
//! reading properties of one object.
//!
//! These are inherent methods, so `client.login(user, password)` means this one; the
//! generated `SessionManagerClient::login` (which takes the session manager and a locale) and
//! `PropertyCollectorClient::retrieve_properties` stay reachable by their trait paths.

use vim_types::{
    AnyMethodFault, ContinueRetrievePropertiesExFault, DynamicProperty, Error, LoginFault, LogoutFault,
    ManagedObjectReference, MoRef, ObjectContent, ObjectSpec, PropertyCollector, PropertyCollectorClient,
    PropertyFilterSpec, PropertySpec, RetrieveOptions, RetrievePropertiesExFault, RetrieveServiceContentFault,
    ServiceContent, ServiceInstance, ServiceInstanceClient, SessionManager, SessionManagerClient, UserSession,
};

use crate::{Client, TransportError};

/// Carries an error over to another method's fault type.
fn map_fault<F, G>(e: Error<F>, f: impl FnOnce(F) -> G) -> Error<G> {
    match e {
        Error::Fault(x) => Error::Fault(f(x)),
        Error::VersionTooOld { method, since, negotiated } => Error::VersionTooOld { method, since, negotiated },
        Error::ServerFault { code, message } => Error::ServerFault { code, message },
        Error::Decode(d) => Error::Decode(d),
        Error::Transport(b) => Error::Transport(b),
    }
}

fn from_service_content<G: From<AnyMethodFault>>(e: Error<RetrieveServiceContentFault>) -> Error<G> {
    map_fault(e, |RetrieveServiceContentFault::Other(f)| G::from(f))
}

fn missing<G>(what: &str) -> Error<G> {
    Error::Transport(Box::new(TransportError::Protocol(format!("the server's ServiceContent has no {what}"))))
}

impl Client {
    /// The root object `ServiceInstance`.
    pub fn service_instance() -> MoRef<ServiceInstance> {
        MoRef::new("ServiceInstance")
    }

    /// `RetrieveServiceContent` on the `ServiceInstance`: the references to the managers. Asked
    /// once and then kept (it does not change during a connection).
    pub async fn service_content(&self) -> Result<ServiceContent, Error<RetrieveServiceContentFault>> {
        if let Some(content) = self.inner.service_content.lock().unwrap().clone() {
            return Ok(content);
        }
        let content = self.retrieve_service_content(&Self::service_instance()).await?;
        *self.inner.service_content.lock().unwrap() = Some(content.clone());
        Ok(content)
    }

    async fn session_manager<G: From<AnyMethodFault>>(&self) -> Result<MoRef<SessionManager>, Error<G>> {
        let content = self.service_content().await.map_err(from_service_content)?;
        content.session_manager.ok_or_else(|| missing("sessionManager"))
    }

    /// Logs in with a user name and password (`SessionManager.Login`); the session cookie is
    /// kept for the calls that follow. A wrong password is `Error::Fault(LoginFault::InvalidLogin(_))`.
    pub async fn login(&self, user: &str, password: &str) -> Result<UserSession, Error<LoginFault>> {
        let sm = self.session_manager().await?;
        SessionManagerClient::login(self, &sm, user, password, None).await
    }

    /// Ends the session (`SessionManager.Logout`) and forgets its cookie.
    pub async fn logout(&self) -> Result<(), Error<LogoutFault>> {
        let sm = self.session_manager().await?;
        SessionManagerClient::logout(self, &sm).await?;
        self.set_session_cookie(None);
        Ok(())
    }

    /// The values of `paths` on one object, through `RetrievePropertiesEx` (following
    /// `ContinueRetrievePropertiesEx` pages). Properties that are unset are absent, and so are
    /// those the server could not read (use [`Client::retrieve_object`] to see why).
    pub async fn retrieve_properties(
        &self,
        obj: &ManagedObjectReference,
        paths: &[&str],
    ) -> Result<Vec<DynamicProperty>, Error<RetrievePropertiesExFault>> {
        Ok(self.retrieve_object(obj, paths).await?.map(|c| c.prop_set).unwrap_or_default())
    }

    /// Like [`Client::retrieve_properties`], but the whole `ObjectContent` (with `missingSet`);
    /// `None` when the server returned nothing for the object.
    pub async fn retrieve_object(
        &self,
        obj: &ManagedObjectReference,
        paths: &[&str],
    ) -> Result<Option<ObjectContent>, Error<RetrievePropertiesExFault>> {
        let content = self.service_content().await.map_err(from_service_content)?;
        let collector: MoRef<PropertyCollector> = content.property_collector;
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
        let options = RetrieveOptions::default();
        let mut objects = Vec::new();
        let mut page = collector_page(self.retrieve_properties_ex(&collector, std::slice::from_ref(&spec), &options).await?);
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

fn collector_page(result: Option<vim_types::RetrieveResult>) -> (Vec<ObjectContent>, Option<String>) {
    match result {
        Some(r) => (r.objects, r.token),
        None => (Vec::new(), None),
    }
}
