//! vimsim's endpoint: an in-memory vCenter with `ServiceInstance`, `SessionManager` (all of
//! its methods and properties, with the semantics and faults its page documents) and the
//! `PropertyCollector` calls that read properties. Written against the generated server
//! traits; the dispatcher has checked sessions and privileges before any of this runs.

use std::sync::RwLock;
use std::time::{Duration, SystemTime};

use vim_types::server::{Call, Reply, StandardFault};
use vim_types::xml::{Encode, Writer};
use vim_types::*;

use crate::auth::{Role, Users};
use crate::dispatch::{check_access, Caller, Endpoint};
use crate::sessions::{NewSession, Session, SessionStore};

/// The objects vimsim serves (reference values as vCenter names them).
const SERVICE_INSTANCE: &str = "ServiceInstance";
const SESSION_MANAGER: &str = "SessionManager";
const PROPERTY_COLLECTOR: &str = "propertyCollector";
const ROOT_FOLDER: &str = "group-d1";

/// How vimsim is set up.
#[derive(Clone, Debug)]
pub struct Config {
    pub users: Users,
    /// Locales SetLocale and Login accept; the first is the default.
    pub locales: Vec<String>,
    /// Sessions end after this long without a call (vCenter: 30 minutes).
    pub idle_timeout: Duration,
    /// Clone and service tickets are valid this long, once.
    pub ticket_lifetime: Duration,
    /// Live sessions one user may hold (`None`: no limit); a login beyond it is refused
    /// with `InvalidLogin`.
    pub max_sessions_per_user: Option<usize>,
}

impl Config {
    pub fn new(users: Users) -> Config {
        Config {
            users,
            locales: ["en", "de", "fr", "ja", "ko", "zh_CN", "zh_TW", "es"].map(String::from).to_vec(),
            idle_timeout: Duration::from_secs(30 * 60),
            ticket_lifetime: Duration::from_secs(30),
            max_sessions_per_user: None,
        }
    }
}

/// The in-memory vCenter.
pub struct Vimsim {
    config: Config,
    sessions: SessionStore,
    message: RwLock<String>,
    content: ServiceContent,
    /// RetrievePropertiesEx results not yet read, by token (see `Pages`).
    pages: std::sync::Mutex<Pages>,
}

/// The rest of each paged result: its session, page size and objects, by token. Bounded: the
/// oldest is forgotten past `MAX_PENDING` (its token then fails as unknown).
#[derive(Default)]
struct Pages {
    next: u64,
    pending: std::collections::BTreeMap<u64, (Option<String>, usize, Vec<ObjectContent>)>,
}

const MAX_PENDING: usize = 256;

impl Pages {
    /// The first `n` objects as a page; the rest kept under a new token.
    fn page(&mut self, session: Option<String>, n: usize, mut objects: Vec<ObjectContent>) -> RetrieveResult {
        if objects.len() <= n {
            return RetrieveResult { objects, ..Default::default() };
        }
        let rest = objects.split_off(n);
        self.next += 1;
        self.pending.insert(self.next, (session, n, rest));
        while self.pending.len() > MAX_PENDING {
            self.pending.pop_first();
        }
        RetrieveResult { objects, token: Some(format!("page-{}", self.next)), ..Default::default() }
    }

    /// The objects kept under `token` for this session.
    fn take(&mut self, session: &Option<String>, token: &str) -> Option<(usize, Vec<ObjectContent>)> {
        let id: u64 = token.strip_prefix("page-")?.parse().ok()?;
        if self.pending.get(&id).is_none_or(|(s, _, _)| s != session) {
            return None;
        }
        self.pending.remove(&id).map(|(_, n, objects)| (n, objects))
    }
}

/// The API's WSDL (this project's `spec/wsdl/vim.wsdl`, which `vim-types` was generated
/// from), served at `/sdk/vim.wsdl` and `/sdk/vimService.wsdl`.
pub const WSDL: &str = include_str!("../../spec/wsdl/vim.wsdl");

/// A fault the runtime raises, as this API's class (the same bytes on the wire).
fn from_standard(f: StandardFault) -> AnyMethodFault {
    match f {
        StandardFault::InvalidRequest => AnyMethodFault::InvalidRequest(Box::default()),
        StandardFault::RuntimeFault => AnyMethodFault::RuntimeFault(Box::default()),
        StandardFault::MethodNotFound { receiver, method } => {
            AnyMethodFault::MethodNotFound(Box::new(MethodNotFound { receiver, method, ..Default::default() }))
        }
        StandardFault::NotAuthenticated { object, privilege_id } => {
            AnyMethodFault::NotAuthenticated(Box::new(NotAuthenticated { object, privilege_id, ..Default::default() }))
        }
        StandardFault::NoPermission { object, privilege_id } => {
            AnyMethodFault::NoPermission(Box::new(NoPermission { object, privilege_id, ..Default::default() }))
        }
        StandardFault::ManagedObjectNotFound { obj } => {
            AnyMethodFault::ManagedObjectNotFound(Box::new(ManagedObjectNotFound { obj, ..Default::default() }))
        }
        StandardFault::InvalidArgument { invalid_property } => {
            AnyMethodFault::InvalidArgument(Box::new(InvalidArgument { invalid_property, ..Default::default() }))
        }
        StandardFault::InvalidProperty { name } => {
            AnyMethodFault::InvalidProperty(Box::new(InvalidProperty { name, ..Default::default() }))
        }
        StandardFault::InvalidLogin => AnyMethodFault::InvalidLogin(Box::default()),
        StandardFault::NotFound => AnyMethodFault::NotFound(Box::default()),
        StandardFault::NotSupported => AnyMethodFault::NotSupported(Box::default()),
        StandardFault::NotImplemented => AnyMethodFault::NotImplemented(Box::default()),
    }
}

fn fault<F: From<AnyMethodFault>>(f: AnyMethodFault) -> F {
    F::from(f)
}

fn invalid_login() -> AnyMethodFault {
    AnyMethodFault::InvalidLogin(Box::default())
}

/// A login over the per-user session limit. The 5.5 API has no fault of its own for this
/// (none of the Login page's faults, nor any other, says "too many sessions"), so it is the
/// fault Login declares for a refused login, `InvalidLogin`, with a `faultMessage` that
/// says why: clients handle it, and a person reading it is not sent to check a password.
fn too_many_sessions(limit: usize) -> AnyMethodFault {
    let message = LocalizableMessage {
        key: "vimsim.session.limit".into(),
        message: Some(format!(
            "Too many sessions: this user already holds {limit}, the most allowed. Log out of one, or wait until one expires."
        )),
        ..Default::default()
    };
    AnyMethodFault::InvalidLogin(Box::new(InvalidLogin { fault_message: vec![message], ..Default::default() }))
}

fn invalid_locale() -> AnyMethodFault {
    AnyMethodFault::InvalidLocale(Box::default())
}

fn not_supported() -> AnyMethodFault {
    AnyMethodFault::NotSupported(Box::default())
}

fn invalid_argument(property: &str) -> AnyMethodFault {
    AnyMethodFault::InvalidArgument(Box::new(InvalidArgument { invalid_property: Some(property.to_string()), ..Default::default() }))
}

fn not_authenticated(this: ManagedObjectReference) -> AnyMethodFault {
    AnyMethodFault::NotAuthenticated(Box::new(NotAuthenticated { object: this, privilege_id: "System.View".into(), ..Default::default() }))
}

fn no_permission(this: ManagedObjectReference, privilege: &str) -> AnyMethodFault {
    AnyMethodFault::NoPermission(Box::new(NoPermission { object: this, privilege_id: privilege.into(), ..Default::default() }))
}

fn string_array(items: impl IntoIterator<Item = String>) -> AnyValue {
    AnyValue::Array { item_type: "string".into(), items: items.into_iter().map(AnyValue::String).collect() }
}

impl Vimsim {
    pub fn new(config: Config) -> Vimsim {
        let instance_uuid = crate::sessions::fresh_key();
        let version = API.latest().version().to_string();
        let about = AboutInfo {
            name: "VMware vCenter Server".into(),
            full_name: format!("VMware vCenter Server {version}.0 build-vimsim (vimgen vimsim)"),
            vendor: "VMware, Inc.".into(),
            version: format!("{version}.0"),
            build: "0".into(),
            locale_version: Some("INTL".into()),
            locale_build: Some("000".into()),
            os_type: "linux-x64".into(),
            product_line_id: "vpx".into(),
            api_type: "VirtualCenter".into(),
            api_version: version,
            instance_uuid: Some(instance_uuid),
            ..Default::default()
        };
        let content = ServiceContent {
            root_folder: MoRef::new(ROOT_FOLDER),
            property_collector: MoRef::new(PROPERTY_COLLECTOR),
            session_manager: Some(MoRef::new(SESSION_MANAGER)),
            about,
            ..Default::default()
        };
        Vimsim {
            sessions: SessionStore::new(config.idle_timeout, config.ticket_lifetime).with_user_limit(config.max_sessions_per_user),
            config,
            message: RwLock::new(String::new()),
            content,
            pages: Default::default(),
        }
    }

    /// The sessions (for tests and metrics).
    pub fn sessions(&self) -> &SessionStore {
        &self.sessions
    }

    /// A supported locale, or a regional form of one (`en_US` for `en`, as vCenter
    /// accepts and govmomi sends).
    fn valid_locale(&self, l: &str) -> bool {
        let language = l.split_once('_').map_or(l, |x| x.0);
        self.config.locales.iter().any(|x| x == l || x == language)
    }

    fn default_locale(&self) -> &str {
        self.config.locales.first().map_or("en", String::as_str)
    }

    /// The caller's live session.
    fn session(&self, ctx: &CallContext) -> Option<Session> {
        ctx.session_key.as_deref().and_then(|k| self.sessions.get(k)).filter(|_| ctx.user_name.is_some())
    }

    fn user_session(s: &Session) -> UserSession {
        UserSession {
            key: s.key.clone(),
            user_name: s.user_name.clone(),
            full_name: s.user_name.clone(),
            login_time: DateTime::from_system_time(s.login_time),
            last_active_time: DateTime::from_system_time(s.last_active),
            locale: s.locale.clone(),
            message_locale: s.message_locale.clone(),
            extension_session: false,
            ip_address: s.ip_address.clone(),
            user_agent: s.user_agent.clone(),
            call_count: s.call_count,
            ..Default::default()
        }
    }

    /// Logs `user_name` in under the call's (fresh or current) session key, within the
    /// per-user session limit.
    fn start_session(&self, ctx: &CallContext, user_name: &str, role: Role, locale: &str) -> Result<UserSession, AnyMethodFault> {
        let key = ctx.session_key.clone().unwrap_or_else(crate::sessions::fresh_key);
        let s = self
            .sessions
            .create_within_limit(NewSession {
                key: &key,
                user_name,
                role,
                locale,
                ip_address: ctx.client_ip.as_deref().unwrap_or(""),
                user_agent: ctx.user_agent.as_deref().unwrap_or(""),
            })
            .map_err(|e| too_many_sessions(e.limit))?;
        Ok(Self::user_session(&s))
    }

    fn locale_or_default(&self, locale: Option<String>) -> Result<String, AnyMethodFault> {
        match locale {
            None => Ok(self.default_locale().to_string()),
            Some(l) if self.valid_locale(&l) => Ok(l),
            Some(_) => Err(invalid_locale()),
        }
    }

    /// One property's value, as the caller may see it.
    fn property_value(&self, ctx: &CallContext, this: &ManagedObjectReference, name: &str) -> Result<Option<AnyValue>, AnyMethodFault> {
        Ok(match (this.type_name.as_str(), name) {
            ("ServiceInstance", "content") => Some(AnyValue::Data(AnyData::ServiceContent(Box::new(self.content.clone())))),
            ("ServiceInstance", "serverClock") => Some(AnyValue::DateTime(DateTime::from_system_time(SystemTime::now()))),
            ("SessionManager", "sessionList") => {
                let items: Vec<AnyValue> =
                    self.sessions.list().iter().map(|s| AnyValue::Data(AnyData::UserSession(Box::new(Self::user_session(s))))).collect();
                Some(AnyValue::Array { item_type: "UserSession".into(), items })
            }
            ("SessionManager", "currentSession") => {
                self.session(ctx).map(|s| AnyValue::Data(AnyData::UserSession(Box::new(Self::user_session(&s)))))
            }
            ("SessionManager", "message") => {
                let m = self.message.read().unwrap_or_else(|e| e.into_inner()).clone();
                (!m.is_empty()).then_some(AnyValue::String(m))
            }
            ("SessionManager", "messageLocaleList") => Some(string_array([self.default_locale().to_string()])),
            ("SessionManager", "supportedLocaleList") => Some(string_array(self.config.locales.iter().cloned())),
            ("SessionManager", "defaultLocale") => Some(AnyValue::String(self.default_locale().to_string())),
            ("PropertyCollector", "filter") => None,
            _ => return Err(invalid_argument(name)),
        })
    }

    /// RetrieveProperties: the objects of each filter spec, with the properties its
    /// property specs ask for. Objects are named directly (`selectSet` traversal is not
    /// supported: vimsim has no inventory to walk).
    fn retrieve(&self, ctx: &CallContext, specs: &[PropertyFilterSpec]) -> Result<Vec<ObjectContent>, AnyMethodFault> {
        let caller = self.session(ctx).map(|s| Caller { user_name: s.user_name, locale: s.locale, role: s.role });
        let mut out = Vec::new();
        for spec in specs {
            for os in &spec.object_set {
                if !os.select_set.is_empty() {
                    return Err(not_supported());
                }
                let obj = &os.obj;
                if !self.has_object(obj) {
                    if spec.report_missing_objects_in_results == Some(true) {
                        continue;
                    }
                    return Err(AnyMethodFault::ManagedObjectNotFound(Box::new(ManagedObjectNotFound {
                        obj: obj.clone(),
                        ..Default::default()
                    })));
                }
                if os.skip == Some(true) {
                    continue;
                }
                let Some(info) = API.managed_object(&obj.type_name) else { continue };
                let mut content = ObjectContent { obj: obj.clone(), ..Default::default() };
                for ps in spec.prop_set.iter().filter(|ps| info.lineage().any(|m| m.wsdl_name == ps.r#type)) {
                    let paths: Vec<String> = if ps.all == Some(true) {
                        info.lineage().flat_map(|m| m.properties.iter().map(|p| p.name.to_string())).collect()
                    } else {
                        ps.path_set.clone()
                    };
                    for path in paths {
                        let Some(p) = info.property(&path) else {
                            return Err(AnyMethodFault::InvalidProperty(Box::new(InvalidProperty { name: path, ..Default::default() })));
                        };
                        if let Some(f) = check_access(caller.as_ref(), obj, p.privilege) {
                            let fault = LocalizedMethodFault { fault: Box::new(from_standard(f)), ..Default::default() };
                            content.missing_set.push(MissingProperty { path, fault, ..Default::default() });
                            continue;
                        }
                        if let Some(val) = self.property_value(ctx, obj, &path)? {
                            content.prop_set.push(DynamicProperty { name: path, val });
                        }
                    }
                }
                out.push(content);
            }
        }
        Ok(out)
    }
}

impl Endpoint for Vimsim {
    type Value = AnyValue;
    type Fault = AnyMethodFault;

    fn api(&self) -> &'static ApiInfo {
        &API
    }

    fn wsdl(&self) -> &str {
        WSDL
    }

    fn caller(&self, session_key: &str) -> Option<Caller> {
        self.sessions.touch(session_key).map(|s| Caller { user_name: s.user_name, locale: s.locale, role: s.role })
    }

    fn has_object(&self, this: &ManagedObjectReference) -> bool {
        matches!(
            (this.type_name.as_str(), this.value.as_str()),
            ("ServiceInstance", SERVICE_INSTANCE)
                | ("SessionManager", SESSION_MANAGER)
                | ("PropertyCollector", PROPERTY_COLLECTOR)
                | ("Folder", ROOT_FOLDER)
        )
    }

    async fn serve(&self, ctx: &CallContext, this: ManagedObjectReference, call: Call<'_>) -> Reply {
        match this.type_name.as_str() {
            "ServiceInstance" => ServiceInstance::serve(self, ctx, MoRef::from_untyped(this), call).await,
            "SessionManager" => SessionManager::serve(self, ctx, MoRef::from_untyped(this), call).await,
            "PropertyCollector" => PropertyCollector::serve(self, ctx, MoRef::from_untyped(this), call).await,
            _ => call.unknown_method(),
        }
    }

    async fn property(&self, ctx: &CallContext, this: &ManagedObjectReference, name: &str) -> Result<Option<AnyValue>, AnyMethodFault> {
        self.property_value(ctx, this, name)
    }

    fn write_fetch_result(&self, value: &AnyValue, w: &mut Writer) {
        match value {
            AnyValue::Array { items, .. } => {
                for i in items {
                    i.encode(w, "returnval");
                }
            }
            v => v.encode(w, "returnval"),
        }
    }
}

impl ServiceInstanceServer for Vimsim {
    async fn retrieve_service_content(
        &self,
        _ctx: &CallContext,
        _this: &MoRef<ServiceInstance>,
    ) -> Result<ServiceContent, RetrieveServiceContentFault> {
        Ok(self.content.clone())
    }

    async fn current_time(&self, _ctx: &CallContext, _this: &MoRef<ServiceInstance>) -> Result<DateTime, CurrentTimeFault> {
        Ok(DateTime::from_system_time(SystemTime::now()))
    }
}

impl SessionManagerServer for Vimsim {
    async fn login(
        &self,
        ctx: &CallContext,
        _this: &MoRef<SessionManager>,
        user_name: String,
        password: String,
        locale: Option<String>,
    ) -> Result<UserSession, LoginFault> {
        let locale = self.locale_or_default(locale)?;
        let user = self.config.users.check(&user_name, &password).ok_or_else(invalid_login)?;
        if user.role == Role::NoAccess {
            return Err(fault(no_permission(self.content.root_folder.untyped(), "System.View")));
        }
        Ok(self.start_session(ctx, &user.name, user.role, &locale)?)
    }

    async fn logout(&self, ctx: &CallContext, this: &MoRef<SessionManager>) -> Result<(), LogoutFault> {
        match (self.session(ctx), &ctx.session_key) {
            (Some(_), Some(k)) => {
                self.sessions.remove(k);
                Ok(())
            }
            _ => Err(fault(not_authenticated(this.untyped()))),
        }
    }

    async fn acquire_clone_ticket(&self, ctx: &CallContext, this: &MoRef<SessionManager>) -> Result<String, AcquireCloneTicketFault> {
        let key = ctx.session_key.as_deref().unwrap_or_default();
        self.sessions.issue_ticket(key).ok_or_else(|| fault(not_authenticated(this.untyped())))
    }

    async fn clone_session(
        &self,
        ctx: &CallContext,
        _this: &MoRef<SessionManager>,
        clone_ticket: String,
    ) -> Result<UserSession, CloneSessionFault> {
        let (user, role, locale) = self.sessions.redeem_ticket(&clone_ticket).ok_or_else(invalid_login)?;
        Ok(self.start_session(ctx, &user, role, &locale)?)
    }

    async fn acquire_generic_service_ticket(
        &self,
        ctx: &CallContext,
        this: &MoRef<SessionManager>,
        spec: AnySessionManagerServiceRequestSpec,
    ) -> Result<SessionManagerGenericServiceTicket, AcquireGenericServiceTicketFault> {
        if self.session(ctx).is_none() {
            return Err(fault(not_authenticated(this.untyped())));
        }
        let valid = match &spec {
            AnySessionManagerServiceRequestSpec::SessionManagerHttpServiceRequestSpec(s) => {
                s.url.starts_with("http://") || s.url.starts_with("https://")
            }
            AnySessionManagerServiceRequestSpec::SessionManagerVmomiServiceRequestSpec(s) => !s.method.is_empty(),
            _ => false,
        };
        if !valid {
            return Err(fault(invalid_argument("spec")));
        }
        let key = ctx.session_key.as_deref().unwrap_or_default();
        let id = self.sessions.issue_ticket(key).ok_or_else(|| not_authenticated(this.untyped()))?;
        Ok(SessionManagerGenericServiceTicket { id, ..Default::default() })
    }

    async fn acquire_local_ticket(
        &self,
        _ctx: &CallContext,
        _this: &MoRef<SessionManager>,
        user_name: String,
    ) -> Result<SessionManagerLocalTicket, AcquireLocalTicketFault> {
        // A local ticket is a file on the server's own disk for a local client to read:
        // an in-memory server has no such channel.
        match self.config.users.get(&user_name) {
            None => Err(fault(invalid_login())),
            Some(_) => Err(fault(not_supported())),
        }
    }

    async fn login_by_sspi(
        &self,
        _ctx: &CallContext,
        _this: &MoRef<SessionManager>,
        _base64_token: String,
        locale: Option<String>,
    ) -> Result<UserSession, LoginBySSPIFault> {
        self.locale_or_default(locale)?;
        // SSPI is Windows domain authentication: not available here.
        Err(fault(not_supported()))
    }

    async fn login_by_token(
        &self,
        _ctx: &CallContext,
        _this: &MoRef<SessionManager>,
        locale: Option<String>,
    ) -> Result<UserSession, LoginByTokenFault> {
        self.locale_or_default(locale)?;
        // The SAML token would come in the SOAP header, signed by an SSO server vimsim does
        // not trust: there is no token it can validate.
        Err(fault(invalid_login()))
    }

    async fn login_extension_by_certificate(
        &self,
        _ctx: &CallContext,
        _this: &MoRef<SessionManager>,
        _extension_key: String,
        locale: Option<String>,
    ) -> Result<UserSession, LoginExtensionByCertificateFault> {
        self.locale_or_default(locale)?;
        // vimsim does not ask for client certificates.
        Err(fault(AnyMethodFault::NoClientCertificate(Box::default())))
    }

    async fn login_extension_by_subject_name(
        &self,
        _ctx: &CallContext,
        _this: &MoRef<SessionManager>,
        _extension_key: String,
        locale: Option<String>,
    ) -> Result<UserSession, LoginExtensionBySubjectNameFault> {
        self.locale_or_default(locale)?;
        // No extension is registered with vimsim.
        Err(fault(AnyMethodFault::NotFound(Box::default())))
    }

    async fn impersonate_user(
        &self,
        ctx: &CallContext,
        this: &MoRef<SessionManager>,
        user_name: String,
        locale: Option<String>,
    ) -> Result<UserSession, ImpersonateUserFault> {
        let locale = self.locale_or_default(locale)?;
        if self.session(ctx).is_none() {
            return Err(fault(not_authenticated(this.untyped())));
        }
        let user = self.config.users.get(&user_name).ok_or_else(invalid_login)?;
        let (name, role) = (user.name.clone(), user.role);
        Ok(self.start_session(ctx, &name, role, &locale)?)
    }

    async fn session_is_active(
        &self,
        _ctx: &CallContext,
        _this: &MoRef<SessionManager>,
        session_id: String,
        user_name: String,
    ) -> Result<bool, SessionIsActiveFault> {
        Ok(self.sessions.get(&session_id).is_some_and(|s| s.user_name == user_name))
    }

    async fn set_locale(&self, ctx: &CallContext, this: &MoRef<SessionManager>, locale: String) -> Result<(), SetLocaleFault> {
        if !self.valid_locale(&locale) {
            return Err(fault(invalid_locale()));
        }
        let key = ctx.session_key.as_deref().unwrap_or_default();
        if self.session(ctx).is_none() || !self.sessions.set_locale(key, &locale) {
            return Err(fault(not_authenticated(this.untyped())));
        }
        Ok(())
    }

    async fn terminate_session(
        &self,
        ctx: &CallContext,
        _this: &MoRef<SessionManager>,
        session_id: Vec<String>,
    ) -> Result<(), TerminateSessionFault> {
        // All or nothing: every id is checked before any session ends.
        for id in &session_id {
            if Some(id) == ctx.session_key.as_ref() {
                return Err(fault(invalid_argument("sessionId")));
            }
            if self.sessions.get(id).is_none() {
                return Err(fault(AnyMethodFault::NotFound(Box::default())));
            }
        }
        for id in &session_id {
            self.sessions.remove(id);
        }
        Ok(())
    }

    async fn update_service_message(
        &self,
        _ctx: &CallContext,
        _this: &MoRef<SessionManager>,
        message: String,
    ) -> Result<(), UpdateServiceMessageFault> {
        *self.message.write().unwrap_or_else(|e| e.into_inner()) = message;
        Ok(())
    }
}

impl PropertyCollectorServer for Vimsim {
    async fn retrieve_properties(
        &self,
        ctx: &CallContext,
        _this: &MoRef<PropertyCollector>,
        spec_set: Vec<PropertyFilterSpec>,
    ) -> Result<Vec<ObjectContent>, RetrievePropertiesFault> {
        self.retrieve(ctx, &spec_set).map_err(fault)
    }

    async fn retrieve_properties_ex(
        &self,
        ctx: &CallContext,
        _this: &MoRef<PropertyCollector>,
        spec_set: Vec<PropertyFilterSpec>,
        options: RetrieveOptions,
    ) -> Result<Option<RetrieveResult>, RetrievePropertiesExFault> {
        // Pages of `maxObjects` objects (a positive value; otherwise one page).
        let objects = self.retrieve(ctx, &spec_set)?;
        if objects.is_empty() {
            return Ok(None);
        }
        let n = options.max_objects.filter(|n| *n > 0).map_or(usize::MAX, |n| n as usize);
        Ok(Some(self.pages.lock().unwrap_or_else(|e| e.into_inner()).page(ctx.session_key.clone(), n, objects)))
    }

    async fn continue_retrieve_properties_ex(
        &self,
        ctx: &CallContext,
        _this: &MoRef<PropertyCollector>,
        token: String,
    ) -> Result<RetrieveResult, ContinueRetrievePropertiesExFault> {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        match pages.take(&ctx.session_key, &token) {
            Some((n, objects)) => Ok(pages.page(ctx.session_key.clone(), n, objects)),
            None => Err(fault(invalid_argument("token"))),
        }
    }

    async fn cancel_retrieve_properties_ex(
        &self,
        ctx: &CallContext,
        _this: &MoRef<PropertyCollector>,
        token: String,
    ) -> Result<(), CancelRetrievePropertiesExFault> {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        match pages.take(&ctx.session_key, &token) {
            Some(_) => Ok(()),
            None => Err(fault(invalid_argument("token"))),
        }
    }
}
