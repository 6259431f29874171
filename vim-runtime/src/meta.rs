//! What the API says about itself, as static tables a generated crate fills in: its
//! versions, privileges, managed object types with their methods and properties. The
//! generated crate's `API` ([`ApiInfo`]) is the entry point; a client negotiates versions
//! and a server dispatches calls and checks privileges from it alone.

use std::cmp::Ordering;
use std::fmt;

/// A version of an API (`vim.version.version9`, vSphere API 5.5, namespace `vim25/5.5`).
/// Versions of one API compare by age (their rank in [`ApiInfo::versions`]); the generated
/// crate defines one constant per version in its `versions` module. Two words wide, so that
/// an [`Error`](crate::Error) naming two of them stays small.
#[derive(Clone, Copy, Debug)]
pub struct ApiVersion {
    rank: u16,
    /// Id, release name, SOAP namespace.
    text: &'static [&'static str; 3],
}

impl ApiVersion {
    /// A version; `rank` orders the versions of one API, oldest first; `text` is its id
    /// (`vim.version.version9`), release name (`vSphere API 5.5`) and namespace (`vim25/5.5`).
    pub const fn new(rank: u16, text: &'static [&'static str; 3]) -> ApiVersion {
        ApiVersion { rank, text }
    }

    /// The version id (`vim.version.version9`).
    pub fn id(self) -> &'static str {
        self.text[0]
    }

    /// The release name (`vSphere API 5.5`).
    pub fn name(self) -> &'static str {
        self.text[1]
    }

    /// The SOAP namespace (`vim25/5.5`): calls are sent with `SOAPAction: urn:vim25/5.5`.
    pub fn namespace(self) -> &'static str {
        self.text[2]
    }

    /// The version number (`5.5`): the namespace without its prefix.
    pub fn version(self) -> &'static str {
        let ns = self.namespace();
        ns.split_once('/').map_or(ns, |(_, v)| v)
    }
}

impl PartialEq for ApiVersion {
    fn eq(&self, other: &Self) -> bool {
        self.rank == other.rank && self.id() == other.id()
    }
}
impl Eq for ApiVersion {}
impl std::hash::Hash for ApiVersion {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.rank.hash(h);
        self.id().hash(h);
    }
}
impl PartialOrd for ApiVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for ApiVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank.cmp(&other.rank).then(self.id().cmp(other.id()))
    }
}

/// A privilege id (`Sessions.TerminateSession`): what a role grants and what a method or
/// property needs. The generated crate names every privilege of its spec as a constant in
/// its `privileges` module and lists them in [`ApiInfo::privileges`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Privilege(&'static str);

impl Privilege {
    pub const fn new(id: &'static str) -> Privilege {
        Privilege(id)
    }

    /// The id (`Sessions.TerminateSession`).
    pub fn id(self) -> &'static str {
        self.0
    }
}

impl fmt::Debug for Privilege {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Privilege({})", self.0)
    }
}
impl fmt::Display for Privilege {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// One generated API as a whole: the generated crate's `API` static.
#[derive(Debug)]
pub struct ApiInfo {
    /// Every version, oldest first; the last is the newest the bindings know.
    pub versions: &'static [ApiVersion],
    /// Every privilege the spec names, sorted by id.
    pub privileges: &'static [Privilege],
    /// Every managed object type, sorted by WSDL name.
    pub managed_objects: &'static [ManagedObjectInfo],
}

impl ApiInfo {
    /// The newest version the bindings know.
    pub fn latest(&self) -> ApiVersion {
        *self.versions.last().expect("an API has at least one version")
    }

    /// The version whose SOAP namespace is `ns` (`vim25/5.5`).
    pub fn version_of_namespace(&self, ns: &str) -> Option<ApiVersion> {
        self.versions.iter().copied().find(|v| v.namespace() == ns)
    }

    /// The privilege with this id, if the spec names it.
    pub fn privilege(&self, id: &str) -> Option<Privilege> {
        self.privileges.binary_search_by(|p| p.0.cmp(id)).ok().map(|i| self.privileges[i])
    }

    /// The managed object type with this WSDL name.
    pub fn managed_object(&self, wsdl_name: &str) -> Option<&'static ManagedObjectInfo> {
        let all = self.managed_objects;
        all.binary_search_by(|m| m.wsdl_name.cmp(wsdl_name)).ok().map(|i| &all[i])
    }
}

/// A managed object type (the zero-sized markers `SessionManager`, `Folder`, ...).
pub trait ManagedObject: 'static {
    /// The `type` attribute its references carry (`SessionManager`, `HostAutoStartManager`).
    const WSDL_NAME: &'static str;
    /// Its methods, sorted by name (inherited ones are on the base types).
    const METHODS: &'static [MethodInfo];
    /// Its own properties, in declaration order.
    const PROPERTIES: &'static [PropertyInfo];
    /// The WSDL name of its base managed object (`None` for the roots).
    const BASE: Option<&'static str>;
    /// All of the above as one value, its base linked.
    const INFO: ManagedObjectInfo;
}

/// `Self` is `B` or inherits from it: a `MoRef<Self>` may be used where a `MoRef<B>` is
/// expected (`Folder: IsA<ManagedEntity>`).
pub trait IsA<B: ManagedObject>: ManagedObject {}

/// What the API says about one method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MethodInfo {
    /// The name the documentation uses (`PowerOnVM`).
    pub name: &'static str,
    /// The SOAP operation (`PowerOnVM_Task`).
    pub wsdl_name: &'static str,
    /// The WSDL name of the managed object that owns it.
    pub owner: &'static str,
    /// The privilege a caller needs on the object; `None` where none is fixed.
    pub privilege: Option<Privilege>,
    /// The version that introduced it.
    pub since: ApiVersion,
    /// The faults it declares (WSDL names), sorted.
    pub faults: &'static [&'static str],
}

/// What the API says about one managed object type: one row of
/// [`ApiInfo::managed_objects`], for code that meets types by name (a dispatcher reading a
/// reference's `type` attribute).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ManagedObjectInfo {
    pub wsdl_name: &'static str,
    /// Its own methods (see [`ManagedObjectInfo::method`] for inherited ones).
    pub methods: &'static [MethodInfo],
    /// Its own properties.
    pub properties: &'static [PropertyInfo],
    /// Its base type (`None` for the roots).
    pub base: Option<&'static ManagedObjectInfo>,
}

impl ManagedObjectInfo {
    /// The type and its bases, most derived first.
    pub fn lineage(&'static self) -> impl Iterator<Item = &'static ManagedObjectInfo> {
        let mut next = Some(self);
        std::iter::from_fn(move || {
            let cur = next?;
            next = cur.base;
            Some(cur)
        })
    }

    /// The method a SOAP operation names on this type, its own or inherited.
    pub fn method(&'static self, operation: &str) -> Option<&'static MethodInfo> {
        self.lineage().find_map(|m| m.methods.iter().find(|x| x.wsdl_name == operation))
    }

    /// A property of this type, its own or inherited.
    pub fn property(&'static self, name: &str) -> Option<&'static PropertyInfo> {
        self.lineage().find_map(|m| m.properties.iter().find(|x| x.name == name))
    }
}

/// What the API says about one managed-object property.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PropertyInfo {
    pub name: &'static str,
    /// The type in VMODL spelling (`vim.UserSession`, `string`).
    pub type_name: &'static str,
    pub array: bool,
    pub optional: bool,
    /// The privilege needed to read it; `None` where none is fixed.
    pub privilege: Option<Privilege>,
    /// The version that added it (its owner's where the spec does not say): a server of an
    /// older version does not have it.
    pub since: ApiVersion,
}
